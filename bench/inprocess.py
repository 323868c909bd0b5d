"""In-process measures through Flask's test client: SQL queries per page, and timed reports."""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

import sqlalchemy as sa

from bench.pages import Page
from bench.seed import BENCH_PASSWORD


def make_app(url: str, instance_path: str):
    """The app as a gunicorn worker holds it: created, then its heap frozen (gunicorn.conf.py)."""
    import gc
    import os

    os.environ["TEAMHUB_INSTANCE_PATH"] = instance_path
    from teamhub import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    gc.freeze()
    return app


def logged_in_client(app, email: str, user_agent: str | None = None):
    client = app.test_client()
    if user_agent:
        client.environ_base["HTTP_USER_AGENT"] = user_agent
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    answer = client.post(
        "/login", data={"csrf_token": token, "email": email, "password": BENCH_PASSWORD}
    )
    if answer.status_code != 302:
        raise RuntimeError(f"login of {email} answered {answer.status_code}")
    return client


@dataclass
class Recorder:
    """Every SQL statement the app runs while ``on``."""

    on: bool = False
    statements: list[tuple[str, object]] = field(default_factory=list)

    def __call__(self, _conn, _cursor, statement, parameters, _context, _many):
        if self.on:
            self.statements.append((statement, parameters))

    @contextmanager
    def recording(self):
        self.statements = []
        self.on = True
        try:
            yield self
        finally:
            self.on = False


def attach_recorder(app) -> Recorder:
    from teamhub.extensions import db

    recorder = Recorder()
    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", recorder)
    return recorder


@dataclass(frozen=True)
class PageQueries:
    name: str
    counts: list[int]  # one per visit
    statements: list[tuple[str, object]]  # of the first visit


def page_times(app, pages: list[Page], runs: int = 5) -> dict[str, float]:
    """Per page: the median over its visits of each visit's median request time, in ms."""
    clients: dict[str, object] = {}
    times = {}
    for page in pages:
        per_visit = []
        for visit in page.visits:
            client = clients.get(visit.email) or logged_in_client(app, visit.email)
            clients[visit.email] = client
            per_visit.append(median_ms(lambda c=client, v=visit: c.get(v.path), runs))
        times[page.name] = statistics.median(per_visit)
    return times


def count_queries(app, recorder: Recorder, pages: list[Page]) -> dict[str, PageQueries]:
    """Open every visit of every page once warm; record the queries each request ran."""
    clients: dict[str, object] = {}
    result = {}
    for page in pages:
        counts, first = [], None
        for visit in page.visits:
            client = clients.get(visit.email) or logged_in_client(app, visit.email)
            clients[visit.email] = client
            client.get(visit.path)  # warm caches (templates, the person's session)
            with recorder.recording() as rec:
                answer = client.get(visit.path)
            if answer.status_code != 200:
                raise RuntimeError(f"{visit.path} answered {answer.status_code} to {visit.email}")
            counts.append(len(rec.statements))
            first = first or list(rec.statements)
        result[page.name] = PageQueries(page.name, counts, first or [])
    return result


def median_ms(action: Callable[[], object], runs: int = 7) -> float:
    action()  # warm
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def page_ms(app, email: str, path: str, runs: int = 7) -> float:
    client = logged_in_client(app, email)

    def get():
        answer = client.get(path)
        if answer.status_code != 200:
            raise RuntimeError(f"{path} answered {answer.status_code}")

    return median_ms(get, runs)
