"""Where the machine's time goes under load: CPU per request of the gunicorn workers, PostgreSQL
and wrk, for pages and the reference driven in turn.

    python -m bench.decompose [--seconds 5] [page ...]

Each side is driven with wrk as ``make bench`` drives it; the CPU time each process spent
(``/proc/<pid>/stat``) is added up by kind of process and divided by the requests served. The
machine is busy the whole time (2 cores, all of them driven), so a page's requests per second
is close to 2 cores divided by its total: a page at 0.7 of the reference may cost 1 / 0.7 of
the reference's total, and this says which part of it is the app's Python, which PostgreSQL's.
Uses the seeded national database (``TEAMHUB_BENCH_DATABASE_URL``).
"""

from __future__ import annotations

import argparse
import os
import threading
import time
from collections import Counter
from pathlib import Path

from bench import load
from bench.pages import pick_pages
from bench.run import DEFAULT_PG, served

TICKS = os.sysconf("SC_CLK_TCK")
KINDS = ("gunicorn", "postgres", "wrk", "other")


def kind_of(command: bytes) -> str:
    """The kind of a process, from its command line."""
    if command.startswith(b"postgres") or b"/bin/postgres " in command:
        return "postgres"
    if b"gunicorn" in command:
        return "gunicorn"
    if command.split(b" ", 1)[0].endswith(b"wrk"):
        return "wrk"
    return "other"


def processes(proc: Path = Path("/proc")) -> dict[int, tuple[str, int]]:
    """pid → (kind, user + system clock ticks so far) of every process now running."""
    found = {}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # it ended meanwhile
            continue
        found[int(entry.name)] = (kind_of(command), int(fields[11]) + int(fields[12]))
    return found


def per_request(
    before: dict[int, tuple[str, int]],
    after: dict[int, tuple[str, int]],
    requests: int,
    ticks: int = TICKS,
) -> dict[str, float]:
    """Microseconds of CPU per request by kind: what each process spent between the two
    readings (a process that started meanwhile counts from zero, one that ended is missed)."""
    spent: Counter[str] = Counter()
    for pid, (kind, used) in after.items():
        spent[kind] += used - before.get(pid, (kind, 0))[1]
    per = {kind: spent[kind] / ticks / requests * 1e6 for kind in KINDS}
    per["total"] = sum(per.values())
    return per


def measure(base: str, targets: list[load.Target], seconds: int) -> tuple[float, dict]:
    """Drive the targets; requests per second and CPU per request by kind. wrk ends with its
    run, so its processes are read while it runs and its last reading counts."""
    before = processes()
    result: dict[str, load.LoadResult] = {}
    driver = threading.Thread(target=lambda: result.update(r=load.drive(base, targets, seconds)))
    driver.start()
    last_wrk: dict[int, tuple[str, int]] = {}
    while driver.is_alive():
        last_wrk.update({p: v for p, v in processes().items() if v[0] == "wrk"})
        time.sleep(0.2)
    after = {**last_wrk, **processes()}
    return result["r"].rps, per_request(before, after, result["r"].requests)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("pages", nargs="*")
    args = parser.parse_args(argv)
    url = os.environ.get("TEAMHUB_BENCH_DATABASE_URL") or DEFAULT_PG
    pages = {p.name: p for p in pick_pages(url, with_earnings=True)}
    with served(url) as both:
        app_base, ref_base, reference = both.app_base, both.ref_base, both.reference
        for name in args.pages or list(pages):
            targets = both.targets(pages[name].visits)
            load.drive(app_base, targets, 2)
            load.drive(ref_base, reference, 2)
            for label, base, driven in (
                ("reference", ref_base, reference),
                (name, app_base, targets),
                ("reference", ref_base, reference),
            ):
                rps, cpu = measure(base, driven, args.seconds)
                parts = ", ".join(f"{kind} {cpu[kind]:5.0f}" for kind in (*KINDS, "total"))
                print(f"{label:16} {rps:6.0f} req/s   µs of CPU a request: {parts}")


if __name__ == "__main__":
    main()
