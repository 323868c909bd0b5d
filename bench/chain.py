"""What a signed-in page pays before its own work, piece by piece, against the reference.

    python -m bench.chain [--requests 1000]

Uses the seeded national database (``TEAMHUB_BENCH_DATABASE_URL``). The measuring process adds
a few routes to its own copy of the app, each doing one more piece of what every team page does
(the login, the team and membership, the header and the team's menu), and one that reads the
split page's job and team with nothing rendered. Each route, each benchmarked page and the
reference are requested in process (Flask's test client, one request at a time), in turns, and
each request's CPU is counted: this process's time and that of PostgreSQL's backends serving
the database (``/proc/<pid>/stat``). ``make bench`` remains the measurement of record.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from flask import Flask, render_template
from flask_login import current_user, login_required

from bench.inprocess import logged_in_client
from bench.pages import pick_pages, reference_paths
from bench.run import DEFAULT_PG

TICKS = os.sysconf("SC_CLK_TCK")
HEADER_AND_MENU = (
    '{% extends "base.html" %}{% block content %}{% include "teams/_nav.html" %}{% endblock %}'
)


def backend_seconds(database: str, proc: Path = Path("/proc")) -> float:
    """CPU seconds spent so far by the PostgreSQL backends serving ``database``."""
    total = 0
    for entry in proc.glob("[0-9]*"):
        try:
            command = (entry / "cmdline").read_bytes()
            if command.startswith(b"postgres: ") and database.encode() in command:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            continue  # ended meanwhile
    return total / TICKS


def add_pieces(app: Flask) -> None:
    """Routes that each do one more piece of a signed-in team page."""
    from teamhub.jobs import split_page
    from teamhub.jobs.queries import team_job
    from teamhub.teams.queries import team_access

    with app.app_context():
        header_and_menu = app.jinja_env.from_string(HEADER_AND_MENU)

    @app.get("/chain/signed-in")
    @login_required
    def signed_in():
        return "ok"

    @app.get("/chain/team/<slug>")
    @login_required
    def team(slug):
        team_access(slug, current_user)
        return "ok"

    @app.get("/chain/header/<slug>")
    @login_required
    def header(slug):
        access = team_access(slug, current_user)
        return render_template(header_and_menu, access=access, team=access.team)

    @app.get("/chain/split-reading/<slug>/<int:job_id>")
    @login_required
    def split_reading(slug, job_id):
        access = team_access(slug, current_user, need="director")
        split_page.candidates(team_job(access.team, job_id))
        return render_template(header_and_menu, access=access, team=access.team)


def measure(request: Callable[[], object], database: str, n: int) -> float:
    """CPU ms per request: this process's and PostgreSQL's."""
    started, backends = time.process_time(), backend_seconds(database)
    for _ in range(n):
        request()
    spent = time.process_time() - started + backend_seconds(database) - backends
    return spent / n * 1000


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    args = parser.parse_args(argv)
    url = os.environ.get("TEAMHUB_BENCH_DATABASE_URL") or DEFAULT_PG
    database = url.rsplit("/", 1)[1]
    os.environ["TEAMHUB_INSTANCE_PATH"] = tempfile.mkdtemp(prefix="teamhub-chain-")
    os.environ["TEAMHUB_DATABASE_URL"] = url
    from bench.reference_app import create_app as reference_app
    from teamhub import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    add_pieces(app)
    pages = {p.name: p for p in pick_pages(url, with_earnings=True)}
    member, director = pages["my_assignments"].visits[0], pages["split"].visits[0]
    member_client = logged_in_client(app, member.email)
    director_client = logged_in_client(app, director.email)
    slug = member.path.split("/")[2]
    _, _, split_slug, _, job_id, _ = director.path.split("/")
    reference = reference_app().test_client()
    reference_path = reference_paths(url)[0]

    def get(client, path):
        return lambda: client.get(path)

    rows = {
        "reference (50 joined rows)": lambda: reference.get(reference_path),
        "signed in, nothing else": get(member_client, "/chain/signed-in"),
        "+ the team and membership": get(member_client, f"/chain/team/{slug}"),
        "+ the header and the team's menu": get(member_client, f"/chain/header/{slug}"),
        "split minimum: + the job and its team's reading": get(
            director_client, f"/chain/split-reading/{split_slug}/{job_id}"
        ),
        **{p.title: get(member_client if "member" in p.title else director_client, p.visits[0].path)
           for p in pages.values() if p.name != "cohort_outcomes"},
    }  # fmt: skip
    for request in rows.values():
        measure(request, database, 50)
    taken: dict[str, list[float]] = {name: [] for name in rows}
    for _turn in range(3):
        for name, request in rows.items():
            taken[name].append(measure(request, database, args.requests))
    reference_ms = statistics.median(taken["reference (50 joined rows)"])
    print("| request | CPU ms per request | × reference |")
    print("|---|---:|---:|")
    for name, values in taken.items():
        ms = statistics.median(values)
        print(f"| {name} | {ms:.2f} | {ms / reference_ms:.2f} |")


if __name__ == "__main__":
    main()
