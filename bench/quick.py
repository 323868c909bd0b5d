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

from bench import load
from bench.pages import pick_pages
from bench.run import DEFAULT_PG, served


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=6)
    parser.add_argument("pages", nargs="*")
    args = parser.parse_args(argv)
    url = os.environ.get("TEAMHUB_BENCH_DATABASE_URL") or DEFAULT_PG
    pages = {p.name: p for p in pick_pages(url, with_earnings=True)}
    wanted = args.pages or [*pages, "healthz", "healthz_signed_in"]
    with served(url) as both:
        app_base, ref_base, reference = both.app_base, both.ref_base, both.reference
        targets: dict[str, list[load.Target]] = {}
        for name in wanted:
            if name in ("healthz", "healthz_signed_in"):
                [signed_in] = both.targets(pages["my_assignments"].visits[:1])
                cookie = signed_in.cookie if name == "healthz_signed_in" else ""
                targets[name] = [load.Target("/healthz", cookie)]
                continue
            targets[name] = both.targets(pages[name].visits)
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
