"""Mutants of the rules that live in tables, which mutmut does not reach (it mutates functions).

- The assignment state machine (``lifecycle.TRANSITIONS``): each state an action may start from
  removed, each other state added (widened), each target changed.
- The scam guard (``scam.PHRASES``): each phrase removed, each alternative removed, each slot
  widened to any word, each guard (lookaround, word boundary) dropped, and the NFKC folding
  dropped.

Each mutant is applied in a forked process that has imported teamhub, which then runs the table's
tests; a mutant is killed when a test fails. At most ``--max-children`` run at once.

    python -m mutation.tables [transitions] [scam] [--max-children 2]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from teamhub.assignments import lifecycle
from teamhub.jobs import scam

ROOT = Path(__file__).resolve().parent.parent
PYTEST_ARGS = ["-x", "-q", "-p", "no:cacheprovider", "--hypothesis-profile=mutation"]
STATES = (
    "offered", "accepted", "in_progress", "submitted", "changes_requested", "approved",
    "declined", "cancelled", "reassigned",
)  # fmt: skip
GUARDS = (r"(?<![a-z])", r"(?![a-z])", r"\b")


@dataclass(frozen=True)
class Mutant:
    name: str
    apply: Callable[[], None]


def transition_mutants() -> list[Mutant]:
    mutants = []
    for action, (sources, target) in lifecycle.TRANSITIONS.items():

        def set_rule(new_sources, new_target, action=action):
            def apply():
                lifecycle.TRANSITIONS[action] = (tuple(new_sources), new_target)

            return apply

        for state in STATES:
            if state in sources:
                fewer = [s for s in sources if s != state]
                mutants.append(Mutant(f"{action}: not from {state}", set_rule(fewer, target)))
            else:
                more = [*sources, state]
                mutants.append(Mutant(f"{action}: also from {state}", set_rule(more, target)))
            if state != target:
                mutants.append(Mutant(f"{action}: leads to {state}", set_rule(sources, state)))
    return mutants


def _set_phrases(phrases: tuple[scam.Phrase, ...]) -> Callable[[], None]:
    def apply():
        scam.PHRASES = phrases

    return apply


def scam_mutants() -> list[Mutant]:
    phrases = scam.PHRASES
    mutants = []

    def with_phrase(index: int, phrase: scam.Phrase | None) -> tuple[scam.Phrase, ...]:
        rest = list(phrases)
        if phrase is None:
            del rest[index]
        else:
            rest[index] = phrase
        return tuple(rest)

    for i, phrase in enumerate(phrases):
        mutants.append(Mutant(f"{phrase.name}: removed", _set_phrases(with_phrase(i, None))))
        for slot, alternatives in phrase.slots.items():
            for alternative in alternatives:
                fewer = {**phrase.slots, slot: tuple(a for a in alternatives if a != alternative)}
                mutated = replace(phrase, slots=fewer)
                mutants.append(
                    Mutant(
                        f"{phrase.name}: without {slot}={alternative}",
                        _set_phrases(with_phrase(i, mutated)),
                    )
                )
            wider = replace(phrase, slots={**phrase.slots, slot: (r"\S*",)})
            mutants.append(
                Mutant(f"{phrase.name}: any word for {slot}", _set_phrases(with_phrase(i, wider)))
            )
        for guard in GUARDS:
            for found in re.finditer(re.escape(guard), phrase.template):
                template = phrase.template[: found.start()] + phrase.template[found.end() :]
                mutants.append(
                    Mutant(
                        f"{phrase.name}: without {guard} at {found.start()}",
                        _set_phrases(with_phrase(i, replace(phrase, template=template))),
                    )
                )

    def no_folding():
        scam._fold = lambda text: text or ""

    mutants.append(Mutant("scan: no NFKC folding", no_folding))
    return mutants


TABLES = {
    "transitions": (transition_mutants, ["tests/assignments/test_lifecycle.py"]),
    # Without the check that each alternative has its example (it reads the table itself): the
    # examples must catch a changed table by what the guard then does.
    "scam": (
        scam_mutants,
        [
            "tests/jobs/test_scam.py",
            "--deselect",
            "tests/jobs/test_scam.py::test_every_alternative_of_every_phrase_has_an_example",
        ],
    ),
}


def _child(mutant: Mutant | None, tests: list[str]) -> None:
    """In the forked process: apply the mutant, run the tests quietly, exit with pytest's code."""
    os.chdir(ROOT)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    try:
        if mutant is not None:
            mutant.apply()
        code = int(pytest.main([*PYTEST_ARGS, *tests]))
    except BaseException:
        code = 99
    os._exit(code)


def run_table(name: str, max_children: int) -> tuple[int, list[str]]:
    """Run every mutant of one table; return (how many, the names of those that survived)."""
    make, tests = TABLES[name]
    mutants = make()
    pid = os.fork()
    if pid == 0:
        _child(None, tests)
    if os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) != 0:
        raise SystemExit(f"{name}: the tests fail without any mutant; fix them first")
    survived: list[str] = []
    running: dict[int, Mutant] = {}
    pending = list(mutants)
    while pending or running:
        while pending and len(running) < max_children:
            mutant = pending.pop(0)
            pid = os.fork()
            if pid == 0:
                _child(mutant, tests)
            running[pid] = mutant
        pid, status = os.wait()
        mutant = running.pop(pid)
        if os.waitstatus_to_exitcode(status) in (0, 5):  # passed, or no test ran
            survived.append(mutant.name)
    return len(mutants), survived


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "tables", nargs="*", help=f"tables to mutate (default: {', '.join(TABLES)})"
    )
    parser.add_argument("--max-children", type=int, default=2)
    args = parser.parse_args(argv)
    failed = False
    for name in args.tables or list(TABLES):
        started = time.monotonic()
        total, survived = run_table(name, args.max_children)
        minutes = (time.monotonic() - started) / 60
        print(
            f"{name}: {total - len(survived)} of {total} table mutants killed ({minutes:.1f} min)"
        )
        for mutant in survived:
            print(f"  survived: {mutant}")
        failed |= bool(survived)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
