"""Measure one change to a page in one process, switching it on and off in turn.

    python -m bench.toggle page module [--turns 60] [--requests 20]

``module`` (importable, e.g. a file on ``PYTHONPATH``) defines ``apply()`` and ``revert()``,
which switch the change on and off (a monkeypatch of the code to try), and may define
``setup(app)``. One process loads the app, signs in as each of the page's visitors, checks that
the page writes the same HTML either way, then serves the visits in turns: a few requests with
the change, a few without, in alternating order, timing each turn's CPU time. The figure is the
median of the per-turn ratios (on / off).

Two processes in lockstep (``bench.paired``) compare two git refs, but on this machine two
processes differ by more than most changes; one process switching a change on and off has a
middle half of about 0.95–1.04 for a switch that changes nothing. Uses the seeded national
database (``TEAMHUB_BENCH_DATABASE_URL``).
"""

from __future__ import annotations

import argparse
import importlib
import os
import statistics
import time

from bench.inprocess import logged_in_client, make_app
from bench.load import USER_AGENT
from bench.pages import pick_pages
from bench.paired import ratio_summary
from bench.run import DEFAULT_PG, instance_folder


def _visit_environs(app, page_name: str, url: str) -> list[dict]:
    """A WSGI environ per visit, with the cookie a browser holds after its first page."""
    from werkzeug.test import EnvironBuilder

    visits = {p.name: p for p in pick_pages(url, with_earnings=True)}[page_name].visits
    environs = []
    for visit in visits:
        client = logged_in_client(app, visit.email, user_agent=USER_AGENT)
        client.get(visit.path)
        cookie = "; ".join(f"{c.key}={c.value}" for c in client._cookies.values())
        environs.append(
            EnvironBuilder(
                path=visit.path,
                headers={"User-Agent": USER_AGENT, "Cookie": cookie},
                environ_base={"REMOTE_ADDR": "127.0.0.1"},
            ).get_environ()
        )
    return environs


def _serve(app, environs: list[dict], count: int) -> list[bytes]:
    pages = []

    def start_response(status, _headers, _exc_info=None):
        if not status.startswith("200"):
            raise SystemExit(f"the page answered {status}")

    for index in range(count):
        answer = app.wsgi_app(dict(environs[index % len(environs)]), start_response)
        pages.append(b"".join(answer))
        answer.close()
    return pages


def compare(page: str, change, turns: int, requests: int) -> None:
    url = os.environ.get("TEAMHUB_BENCH_DATABASE_URL") or DEFAULT_PG
    app = make_app(url, instance_folder())
    if hasattr(change, "setup"):
        change.setup(app)
    environs = _visit_environs(app, page, url)
    off = _serve(app, environs, len(environs) * 3)[-len(environs) :]
    change.apply()
    try:
        on = _serve(app, environs, len(environs) * 3)[-len(environs) :]
    finally:
        change.revert()
    times: dict[bool, list[float]] = {False: [], True: []}
    for turn in range(turns):
        for switched in (False, True) if turn % 2 == 0 else (True, False):
            if switched:
                change.apply()
            try:
                start = time.process_time()
                _serve(app, environs, requests)
                times[switched].append((time.process_time() - start) / requests * 1000)
            finally:
                if switched:
                    change.revert()
    print(
        f"{page}: off {statistics.median(times[False]):.3f} ms, on "
        f"{statistics.median(times[True]):.3f} ms of CPU a request; ratio on/off "
        f"{ratio_summary(times[False], times[True])}; same HTML: {off == on}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page")
    parser.add_argument("module")
    parser.add_argument("--turns", type=int, default=60)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args(argv)
    compare(args.page, importlib.import_module(args.module), args.turns, args.requests)


if __name__ == "__main__":
    main()
