"""`make mutate`: mutation testing of the rule modules, one module at a time, bounded.

For each module named in ``[tool.teamhub.mutate.modules]`` (pyproject.toml) this runs mutmut
(settings from ``[tool.mutmut]``) in its own folder ``.mutmut/<module>/``, mutating only the
module's files and running only its tests, then reads the verdicts back and reports the score
and the survivors. Equivalent mutants reviewed by hand are listed in ``mutation/equivalent.txt``
(one line each: the mutant's name, then why it cannot be told apart) and left out of the score.
The rules that live in tables (the assignment state machine, the scam guard's phrases) are
mutated by ``mutation.tables``, which mutmut does not reach.

    python -m mutation.run                   # every module (long: hours on two cores)
    python -m mutation.run money lifecycle   # some of them
    python -m mutation.run --report          # only the report of what was already run
    python -m mutation.run --minutes 20 ...  # stop each module's run after 20 minutes
    python -m mutation.run --survivors money # run the last survivors again (after new tests)

A module's verdicts are kept between runs (mutmut reruns only the functions that changed);
``--fresh`` starts the module over.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".mutmut"
EQUIVALENT = ROOT / "mutation" / "equivalent.txt"
LINKED = ("teamhub", "tests", "mutation")

# mutmut's exit codes (mutmut.stats.status_by_exit_code), grouped as this report counts them.
KILLED = {1, 3, 36, 24, -24, 152, 255}  # a test failed, or the mutant hung and was stopped
BROKE = {2, 4, -1, 35, -11, -9}  # pytest could not even run (import or collection broke)
SURVIVED = {0}
NO_TESTS = {5, 33}


def modules() -> dict[str, dict]:
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["tool"]["teamhub"]["mutate"]["modules"]


def equivalent() -> dict[str, str]:
    """The reviewed equivalent mutants: name → why."""
    found = {}
    if EQUIVALENT.exists():
        for line in EQUIVALENT.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                name, _space, why = line.strip().partition(" ")
                found[name] = why.strip()
    return found


def _toml_list(values: list[str]) -> str:
    return "[" + ", ".join(json.dumps(v) for v in values) + "]"


def prepare(name: str, spec: dict, fresh: bool) -> Path:
    """The module's folder: the package, the tests and this folder linked in, and the project's
    pyproject.toml with the module's files and tests added to ``[tool.mutmut]``."""
    folder = WORK / name
    if fresh and folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for linked in LINKED:
        link = folder / linked
        if not link.exists():
            link.symlink_to(ROOT / linked)
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    added = (
        f"only_mutate = {_toml_list(spec['mutate'])}\n"
        f"pytest_add_cli_args_test_selection = {_toml_list(spec['tests'])}\n"
    )
    text = text.replace("[tool.mutmut]\n", "[tool.mutmut]\n" + added, 1)
    (folder / "pyproject.toml").write_text(text, encoding="utf-8")
    return folder


def run(name: str, folder: Path, max_children: int, minutes: float, only: list[str]) -> str:
    """Run mutmut in the module's folder (``only`` these mutants if named), stopped after
    ``minutes``; its output goes to run.log."""
    mutmut = Path(sys.executable).with_name("mutmut")
    env = {**os.environ, "TEAMHUB_TEST_DATABASE_URL": ""}
    started = time.monotonic()
    with open(folder / "run.log", "w", encoding="utf-8") as log:
        process = subprocess.Popen(
            [str(mutmut), "run", "--max-children", str(max_children), *only],
            cwd=folder, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True,
        )  # fmt: skip
        try:
            process.wait(timeout=minutes * 60)
            outcome = f"finished (exit {process.returncode})"
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            outcome = f"stopped after {minutes:g} min"
    return f"{name}: {outcome} in {(time.monotonic() - started) / 60:.1f} min"


@dataclass
class Score:
    module: str
    killed: int = 0
    broke: int = 0
    survived: list[str] = field(default_factory=list)
    no_tests: list[str] = field(default_factory=list)
    path_of: dict[str, str] = field(default_factory=dict)
    equivalent: int = 0
    not_run: int = 0

    @property
    def judged(self) -> int:
        return self.killed + self.broke + len(self.survived) + len(self.no_tests)

    @property
    def percent(self) -> float | None:
        if not self.judged:
            return None
        return 100 * (self.killed + self.broke) / self.judged


def score(name: str, spec: dict, known_equivalent: dict[str, str]) -> Score:
    result = Score(name)
    for path in spec["mutate"]:
        meta = WORK / name / "mutants" / (path + ".meta")
        if not meta.exists():
            continue
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        for mutant, code in sorted(codes.items()):
            result.path_of[mutant] = path
            if mutant in known_equivalent:
                result.equivalent += 1
            elif code is None:
                result.not_run += 1
            elif code in KILLED:
                result.killed += 1
            elif code in BROKE:
                result.broke += 1
            elif code in SURVIVED:
                result.survived.append(mutant)
            elif code in NO_TESTS:
                result.no_tests.append(mutant)
            else:
                result.broke += 1
    return result


def diff(name: str, mutant: str, path: str) -> str:
    """The lines a mutant changes, as mutmut shows them (read in this process: quick)."""
    from mutmut import configuration
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    here = os.getcwd()
    os.chdir(WORK / name)
    configuration.reset_config()
    try:
        shown = get_diff_for_mutant(mutant, path=path)
    except Exception as error:  # a stale or missing index: the name is enough to look it up
        shown = f"(no diff: {error})"
    finally:
        os.chdir(here)
        configuration.reset_config()
    changed = [
        line
        for line in shown.splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    return " | ".join(line.strip() for line in changed)[:240] or shown[:240]


def report(names: list[str], specs: dict[str, dict], with_diffs: bool = True) -> str:
    known = equivalent()
    lines = [
        "| module | mutants | killed | equivalent | survived | no tests | not run | score |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    survivors = []
    for name in names:
        s = score(name, specs[name], known)
        percent = "—" if s.percent is None else f"{s.percent:.1f}%"
        total = s.judged + s.equivalent + s.not_run
        lines.append(
            f"| {name} | {total} | {s.killed + s.broke} | {s.equivalent} | {len(s.survived)} "
            f"| {len(s.no_tests)} | {s.not_run} | {percent} |"
        )
        for mutant in s.survived + s.no_tests:
            kind = "survived" if mutant in s.survived else "no tests"
            shown = diff(name, mutant, s.path_of[mutant]) if with_diffs else ""
            survivors.append(f"- {kind}: `{mutant}` {shown}")
    text = "\n".join(lines)
    if survivors:
        text += "\n\nSurvivors (`cd .mutmut/<module> && mutmut show <name>`):\n" + "\n".join(
            survivors
        )
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="modules to run (default: all)")
    parser.add_argument("--max-children", type=int, default=2, help="mutants at once (2)")
    parser.add_argument("--minutes", type=float, default=45, help="stop a module after (45)")
    parser.add_argument("--report", action="store_true", help="report only, run nothing")
    parser.add_argument("--fresh", action="store_true", help="forget the modules' verdicts")
    parser.add_argument("--no-diffs", action="store_true", help="survivors without their diffs")
    parser.add_argument(
        "--survivors", action="store_true", help="run only the last run's survivors again"
    )
    args = parser.parse_args(argv)
    specs = modules()
    names = args.modules or list(specs)
    unknown = sorted(set(names) - set(specs))
    if unknown:
        parser.error(f"unknown modules {unknown}; known: {', '.join(specs)}")
    if not args.report:
        known = equivalent()
        for name in names:
            only = []
            if args.survivors:
                last = score(name, specs[name], known)
                only = last.survived + last.no_tests
                if not only:
                    continue
            folder = prepare(name, specs[name], args.fresh)
            print(run(name, folder, args.max_children, args.minutes, only), flush=True)
    text = report(names, specs, with_diffs=not args.no_diffs)
    WORK.mkdir(exist_ok=True)
    (WORK / "report.md").write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
