"""Drive a few pages against the reference in one short run, for working on one page's speed.

    python -m bench.quick [--seconds 6] [page ...]

Uses the already seeded national database (``TEAMHUB_BENCH_DATABASE_URL``); pages are the names
in ``bench/pages.py`` plus ``healthz`` and ``healthz_signed_in`` (the app's cheapest route, anonymous and with a login
cookie: the fixed cost of a request).
``make bench`` remains the measurement of record; this is the loop for trying a change.
"""

from __future__ import annotations

import argparse
import os
import secrets

from bench import load
from bench.pages import pick_pages, reference_paths
from bench.run import DEFAULT_PG, instance_folder
from bench.seed import BENCH_PASSWORD


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=6)
    parser.add_argument("pages", nargs="*")
    args = parser.parse_args(argv)
    url = os.environ.get("TEAMHUB_BENCH_DATABASE_URL") or DEFAULT_PG
    pages = {p.name: p for p in pick_pages(url, with_earnings=True)}
    wanted = args.pages or [*pages, "healthz", "healthz_signed_in"]
    env = {
        "TEAMHUB_DATABASE_URL": url,
        "TEAMHUB_INSTANCE_PATH": instance_folder(),
        "TEAMHUB_SECRET_KEY": secrets.token_hex(16),
    }
    with (
        load.gunicorn("teamhub:create_app()", env) as app_base,
        load.gunicorn("bench.reference_app:create_app()", env) as ref_base,
    ):
        reference = [load.Target(p) for p in reference_paths(url)]
        cookies: dict[str, str] = {}
        targets: dict[str, list[load.Target]] = {}
        for name in wanted:
            if name in ("healthz", "healthz_signed_in"):
                visit = pages["my_assignments"].visits[0]
                if name == "healthz_signed_in" and visit.email not in cookies:
                    cookies[visit.email] = load.log_in(app_base, visit.email, BENCH_PASSWORD)
                cookie = cookies[visit.email] if name == "healthz_signed_in" else ""
                targets[name] = [load.Target("/healthz", cookie)]
                continue
            for visit in pages[name].visits:
                if visit.email not in cookies:
                    cookies[visit.email] = load.log_in(app_base, visit.email, BENCH_PASSWORD)
            targets[name] = [load.Target(v.path, cookies[v.email]) for v in pages[name].visits]
        load.drive(ref_base, reference, 2)
        load.drive(app_base, [t for ts in targets.values() for t in ts], 2)
        for name, page_targets in targets.items():
            got = load.side_by_side(app_base, page_targets, ref_base, reference, args.seconds)
            page, ref = got.page, got.reference
            print(
                f"{name:16} {page.rps:7.0f} req/s  p50 {page.p50_ms:6.1f}  p99 {page.p99_ms:6.1f}"
                f"  reference {ref.rps:5.0f}  ratio {got.ratio:4.2f}  non-2xx {page.non_2xx}"
            )


if __name__ == "__main__":
    main()
