"""``make bench``: seed, count queries, time the reports and the close, drive the pages, report.

    python -m bench.run [--seconds 12] [--skip-load]

PostgreSQL: ``TEAMHUB_BENCH_DATABASE_URL`` (default the local ``test`` database; its contents are
replaced). SQLite files go to ``instance/bench/``.
"""

from __future__ import annotations

import argparse
import os
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bench import inprocess, load, machine, report, timings
from bench.explain import explain
from bench.pages import Page, pick_pages, reference_paths
from bench.scale import NATIONAL, REGIONAL, SMALL, Scale
from bench.seed import BENCH_PASSWORD, seed

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results.md"
WARM_UP_SECONDS = 3
# The driver signs in some 25 people from one address within a minute.
INSTANCE_CONFIG = 'LOGIN_RATE_LIMIT = "1000 per minute"\n'


@dataclass
class Database:
    label: str
    url: str
    scale: Scale
    key: dict = field(default_factory=dict)


def has_payouts() -> bool:
    try:
        import teamhub.payouts.models  # noqa: F401
    except ImportError:
        return False
    return True


def databases(pg_url: str) -> list[Database]:
    folder = ROOT / "instance" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    return [
        Database("SQLite", f"sqlite:///{folder / 'small.sqlite'}", SMALL),
        Database("SQLite", f"sqlite:///{folder / 'regional.sqlite'}", REGIONAL),
        Database("PostgreSQL", pg_url, NATIONAL),
    ]


def instance_folder() -> str:
    folder = tempfile.mkdtemp(prefix="teamhub-bench-")
    Path(folder, "config.py").write_text(INSTANCE_CONFIG)
    return folder


def measure_in_process(dbs: list[Database], instance: str, with_earnings: bool):
    """Queries per page on every database (and the statements they ran); page times."""
    counts, times = {}, {}
    for db in dbs:
        app = inprocess.make_app(db.url, instance)
        recorder = inprocess.attach_recorder(app)
        pages = pick_pages(db.url, with_earnings)
        counts[db.scale.name] = inprocess.count_queries(app, recorder, pages)
        times[db.scale.name] = inprocess.page_times(app, pages)
    return counts, times


@dataclass
class Served:
    """teamhub and the reference under gunicorn on one database, and people signed in."""

    app_base: str
    ref_base: str
    reference: list[load.Target]
    cookies: dict[str, str] = field(default_factory=dict)

    def targets(self, visits) -> list[load.Target]:
        """The visits as wrk targets, each visitor signed in once (their cookie kept)."""
        for visit in visits:
            if visit.email not in self.cookies:
                self.cookies[visit.email] = load.log_in(self.app_base, visit.email, BENCH_PASSWORD)
        return [load.Target(v.path, self.cookies[v.email]) for v in visits]


@contextmanager
def served(pg_url: str, instance: str | None = None) -> Iterator[Served]:
    """Serve teamhub and the reference app under gunicorn (2 sync workers each) on ``pg_url``."""
    env = {
        "TEAMHUB_DATABASE_URL": pg_url,
        "TEAMHUB_INSTANCE_PATH": instance or instance_folder(),
        "TEAMHUB_SECRET_KEY": secrets.token_hex(16),
    }
    with (
        load.gunicorn("teamhub:create_app()", env) as app_base,
        load.gunicorn("bench.reference_app:create_app()", env) as ref_base,
    ):
        yield Served(app_base, ref_base, [load.Target(p) for p in reference_paths(pg_url)])


def drive_pages(
    pg_url: str, pages: list[Page], instance: str, seconds: int
) -> dict[str, load.SideBySide]:
    results = {}
    with served(pg_url, instance) as both:
        targets = {page.name: both.targets(page.visits) for page in pages}
        for name, page_targets in targets.items():
            bad = [t.path for t in page_targets if load.fetch(both.app_base, t) != 200]
            if bad:
                raise RuntimeError(f"{name}: not 200 for {bad}")
        load.drive(both.ref_base, both.reference, WARM_UP_SECONDS)
        load.drive(both.app_base, [t for ts in targets.values() for t in ts], WARM_UP_SECONDS)
        for name, page_targets in targets.items():
            print(f"driving {name} and the reference in turn, {seconds} s each")
            results[name] = load.side_by_side(
                both.app_base, page_targets, both.ref_base, both.reference, seconds
            )
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=12, help="load phase per page")
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--reseed", action="store_true", help="seed even when already seeded")
    args = parser.parse_args(argv)
    pg_url = os.environ.get("TEAMHUB_BENCH_DATABASE_URL") or DEFAULT_PG
    with_earnings = has_payouts()
    dbs = databases(pg_url)
    for db in dbs:
        db.key = seed(db.url, db.scale, force=args.reseed)
    instance = instance_folder()
    national = dbs[-1]
    cpu_before = machine.cpu_times()
    pages = pick_pages(national.url, with_earnings)
    queries, page_times = measure_in_process(dbs, instance, with_earnings)
    plans = {name: explain(national.url, q.statements) for name, q in queries["national"].items()}
    timed = timings.measure(national.url, instance, with_earnings)
    loads = {} if args.skip_load else drive_pages(national.url, pages, instance, args.seconds)
    text = report.render(
        machine=machine.describe(
            national.url, machine.steal_share(cpu_before, machine.cpu_times())
        ),
        dbs=dbs,
        pages=pages,
        queries=queries,
        page_times=page_times,
        plans=plans,
        timed=timed,
        loads=loads,
        seconds=args.seconds,
    )
    RESULTS.write_text(text)
    print(report.summary(queries, timed, loads))
    print(f"written {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
