"""Identical requests released at the same moment, as a double click or an impatient retry sends
them: each through its own test client, its own thread and its own database connection, against
the app's WSGI on PostgreSQL.

The race is made certain rather than likely: every request is held at its first write (an
INSERT, UPDATE or DELETE, or a ``SELECT … FOR UPDATE``) until all of them have read what they
needed and reached one, then all go on at once. So each request reads the state before any other
changes it, the case where a check in Python alone lets every request through.
"""

from __future__ import annotations

import os
import re
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from teamhub.extensions import db

DATABASE_URL = os.environ.get("TEAMHUB_TEST_DATABASE_URL", "")

# Every test of a burst commits for real (each request's connection must see the set-up) and
# needs PostgreSQL: SQLite lets one writer in at a time, so its requests could not race.
needs_postgresql = [
    pytest.mark.commits,
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        not DATABASE_URL.startswith("postgresql"),
        reason="needs PostgreSQL (set TEAMHUB_TEST_DATABASE_URL): SQLite serialises writers, "
        "so identical requests cannot race there",
    ),
]

WAIT_SECONDS = 10  # at most, for the others to reach their first write; they take milliseconds
_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b|\bFOR (NO KEY )?UPDATE\b", re.IGNORECASE)


@dataclass
class Burst:
    """What the identical requests answered, and whether they really raced."""

    statuses: list[int]
    locations: list[str]
    bodies: list[str]
    raced: bool  # every request reached its first write before any of them wrote

    @property
    def counts(self) -> Counter:
        return Counter(self.statuses)

    def assert_one_winner(self, won: int = 302, lost: tuple[int, ...] = (409,)) -> None:
        """One request answered ``won``; each other one ``lost`` (never a 500)."""
        assert self.raced, "the requests did not all read before the first write"
        assert 500 not in self.statuses, self._first_error()
        assert self.statuses.count(won) >= 1, self.statuses
        winners = [s for s in self.statuses if s == won]
        losers = [s for s in self.statuses if s != won]
        assert len(winners) == 1 or won in lost, self.statuses
        assert all(s in lost for s in losers), self.statuses

    def assert_same_answer(self, status: int = 302) -> None:
        """Every request answered as the winner did (an idempotent step)."""
        assert self.raced, "the requests did not all read before the first write"
        assert self.statuses == [status] * len(self.statuses), (self.statuses, self._first_error())
        assert len(set(self.locations)) == 1, self.locations

    def _first_error(self) -> str:
        for status, body in zip(self.statuses, self.bodies, strict=True):
            if status >= 500:
                return body[:800]
        return ""


def clients_like(app: Flask, client: FlaskClient, n: int) -> list[FlaskClient]:
    """``n`` test clients sharing ``client``'s session cookie (the same person, logged in once)."""
    cookie = client.get_cookie("session")
    clients = []
    for _index in range(n):
        other = app.test_client()
        if cookie is not None:
            other.set_cookie("session", cookie.value, domain=cookie.domain)
        clients.append(other)
    return clients


def fire(app: Flask, client: FlaskClient, url: str, data: dict | None = None, n: int = 5) -> Burst:
    """POST ``data`` to ``url`` ``n`` times at once as ``client``'s person; see the module doc."""
    return fire_each(app, [(other, url, data) for other in clients_like(app, client, n)])


def fire_each(
    app: Flask,
    sends: list[tuple[FlaskClient, str, dict | None]],
    post: Callable[[FlaskClient, str, dict], TestResponse] | None = None,
) -> Burst:
    """Send each POST (client, url, form data) at once, each in its own thread; ``post`` sends
    one otherwise (JSON with headers, for the API)."""
    post = post or (lambda client, url, data: client.post(url, data=data))
    n = len(sends)
    barrier = threading.Barrier(n)
    local = threading.local()
    answers: list[tuple[int, str, str] | None] = [None] * n
    broken = []

    def hold_at_first_write(_conn, _cursor, statement, *_args):
        if getattr(local, "armed", False) and _WRITE.search(statement):
            local.armed = False
            try:
                barrier.wait(WAIT_SECONDS)
            except threading.BrokenBarrierError:
                broken.append(statement)

    def send(index: int) -> None:
        client, url, data = sends[index]
        local.armed = True
        try:
            response = post(client, url, dict(data or {}))
            answers[index] = (
                response.status_code,
                response.headers.get("Location", ""),
                response.get_data(as_text=True),
            )
        finally:
            if local.armed:  # it never wrote: let the others go rather than wait for it
                local.armed = False
                barrier.abort()

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", hold_at_first_write)
    try:
        threads = [threading.Thread(target=send, args=(i,)) for i in range(n)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        sa.event.remove(engine, "before_cursor_execute", hold_at_first_write)
    assert all(answers), "a request did not finish"
    statuses, locations, bodies = (list(column) for column in zip(*answers, strict=True))
    return Burst(statuses, locations, bodies, raced=not broken and not barrier.broken)
