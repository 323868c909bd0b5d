"""Fixtures: one app per run on SQLite (or TEAMHUB_TEST_DATABASE_URL), a clean database per test."""

from __future__ import annotations

import contextlib
import os
import re

import pytest
import sqlalchemy as sa

from teamhub import create_app
from teamhub.extensions import db, limiter
from tests import factories

TEST_PASSWORD = factories.TEST_PASSWORD


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEAMHUB_TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'teamhub-test.sqlite'}"


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    os.environ["TEAMHUB_INSTANCE_PATH"] = str(tmp_path_factory.mktemp("instance"))
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path_factory),
            "WTF_CSRF_ENABLED": False,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def _empty_all_tables() -> None:
    tables = db.metadata.sorted_tables
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in reversed(tables):
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture(autouse=True)
def _clean_state(app):
    yield
    with app.app_context():
        db.session.remove()
        _empty_all_tables()
        db.session.remove()
    limiter.reset()
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def ctx(app):
    """An application context for service tests (no HTTP)."""
    with app.test_request_context():
        yield
        db.session.rollback()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class Auth:
    """Log a test client in and out through the real forms."""

    def __init__(self, client):
        self.client = client

    def login(self, email: str, password: str = TEST_PASSWORD):
        return self.client.post("/login", data={"email": email, "password": password})

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return Auth(client)


@contextlib.contextmanager
def statements_run(app):
    """The SQL statements the app sends while the block runs (inside an app context)."""
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", record)


def login_as(app, email: str, password: str = TEST_PASSWORD):
    """A fresh client already logged in as ``email``."""
    client = app.test_client()
    response = Auth(client).login(email, password)
    assert response.status_code == 302, response.data[:500]
    return client


@pytest.fixture
def make_person(app):
    def make(**overrides):
        with app.app_context():
            person = factories.make_person(**overrides)
            db.session.commit()
            return factories.Ref.of(person)

    return make


@pytest.fixture
def team_with_roles(app):
    """A team with a director, an editor and a member, committed; returns plain references."""
    with app.app_context():
        refs = factories.team_with_roles()
        db.session.commit()
        return refs


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no CSRF token in the page"
    return match.group(1)


@pytest.fixture
def smtp_server(app):
    """A real SMTP server on a free local port; the app sends its email there."""
    from aiosmtpd.controller import Controller

    from tests.notification_helpers import Sink, free_port

    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{port}"
    sink.port = port
    yield sink
    controller.stop()
    app.config["SMTP_URL"] = None
