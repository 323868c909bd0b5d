"""Compare one page's speed in two versions of the code, in process, in lockstep.

    python -m bench.paired BASE_REF page [--turns 200] [--requests 5]

This machine's speed drifts by ±30% over seconds, so timing one version and then the other
says little. Here the working tree and a checkout of ``BASE_REF`` (a git worktree in a
temporary folder) each load the app in their own process, sign in as the page's first visitor
and wait; the two then take turns, a few requests each, and the figure is the median of the
per-turn ratios (new / old), of the wall time and of the CPU time the app's process spent
(the CPU time leaves out the waits on PostgreSQL, so it shows a change in Python's work with less
noise). Uses the seeded national database (``TEAMHUB_BENCH_DATABASE_URL``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def worker(page_name: str) -> None:
    """Serve turns: read a number of requests from stdin, make them, print ms per request."""
    from bench.inprocess import logged_in_client, make_app
    from bench.pages import pick_pages
    from bench.run import DEFAULT_PG, instance_folder

    url = os.environ.get("TEAMHUB_BENCH_DATABASE_URL") or DEFAULT_PG
    visit = {p.name: p for p in pick_pages(url, with_earnings=True)}[page_name].visits[0]
    client = logged_in_client(make_app(url, instance_folder()), visit.email)
    for _ in range(30):
        client.get(visit.path)
    print("ready", flush=True)
    for line in sys.stdin:
        count = int(line)
        start, cpu = time.perf_counter(), time.process_time()
        for _ in range(count):
            answer = client.get(visit.path)
        if answer.status_code != 200:
            raise SystemExit(f"{visit.path} answered {answer.status_code}")
        wall_ms = (time.perf_counter() - start) / count * 1000
        print(wall_ms, (time.process_time() - cpu) / count * 1000, flush=True)


def _start(tree: Path, page: str) -> subprocess.Popen:
    # This file's worker runs on the tree's code (an older ref may not have this file).
    code = (
        f"__name__, __file__ = 'paired_worker', {__file__!r}; exec(compile(open({__file__!r}).read(), 'paired', 'exec'));"
        f" worker({page!r})"
    )
    env = dict(os.environ, PYTHONPATH=str(tree))
    process = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=tree, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    if process.stdout.readline().strip() != "ready":
        raise SystemExit(f"the app in {tree} did not start")
    return process


def compare(base_ref: str, page: str, turns: int, requests: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="teamhub-base-"))
    subprocess.run(["git", "worktree", "add", "--detach", str(folder), base_ref], cwd=ROOT,
                   check=True, capture_output=True)  # fmt: skip
    catalogs = ROOT / "teamhub" / "translations"
    for compiled in catalogs.rglob("*.mo"):
        shutil.copy(compiled, folder / compiled.relative_to(ROOT))
    try:
        processes = [_start(folder, page), _start(ROOT, page)]
        times: list[list[float]] = [[], []]
        cpu_times: list[list[float]] = [[], []]
        for turn in range(turns):
            for index in (0, 1) if turn % 2 == 0 else (1, 0):
                processes[index].stdin.write(f"{requests}\n")
                processes[index].stdin.flush()
                wall_ms, cpu_ms = processes[index].stdout.readline().split()
                times[index].append(float(wall_ms))
                cpu_times[index].append(float(cpu_ms))
        for process in processes:
            process.stdin.close()
            process.wait()
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(folder)], cwd=ROOT,
                       check=False, capture_output=True)  # fmt: skip
    for label, (old, new) in (("wall", times), ("CPU of the app's process", cpu_times)):
        print(
            f"{page}, {label}: {base_ref} {statistics.median(old):.2f} ms, working tree "
            f"{statistics.median(new):.2f} ms; paired ratio new/old {ratio_summary(old, new)}"
        )


def ratio_summary(before: list[float], after: list[float]) -> str:
    """The median of the per-turn ratios (after / before), with the middle half of them."""
    ratios = sorted(b / a for a, b in zip(before, after, strict=True))
    low, high = ratios[len(ratios) // 4], ratios[3 * len(ratios) // 4]
    return f"{statistics.median(ratios):.3f} (middle half {low:.3f}–{high:.3f})"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_ref", nargs="?")
    parser.add_argument("page", nargs="?")
    parser.add_argument("--turns", type=int, default=200)
    parser.add_argument("--requests", type=int, default=5)
    args = parser.parse_args(argv)
    if args.base_ref and args.page:
        compare(args.base_ref, args.page, args.turns, args.requests)
    else:
        parser.error("give BASE_REF and a page name from bench/pages.py")


if __name__ == "__main__":
    main()
