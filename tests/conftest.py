"""Fixtures: one app per run on SQLite (or TEAMHUB_TEST_DATABASE_URL), a clean database per test.

On PostgreSQL each test runs in one transaction that is rolled back at its end; the app's own
commits release savepoints inside it. Tests marked ``commits`` (other connections, threads or
processes must see their data) commit for real, and the tables are emptied after them, as they
always are on SQLite."""

from __future__ import annotations

import contextlib
import os
import re

import pytest
import sqlalchemy as sa
from flask import current_app
from hypothesis import Phase, settings

from teamhub import create_app
from teamhub.assignments import reliability
from teamhub.extensions import db, limiter
from teamhub.jobs import my_work, queries, split_page
from tests import factories

TEST_PASSWORD = factories.TEST_PASSWORD

# `make mutate` runs each mutant's tests with --hypothesis-profile=mutation: a failing example is
# reported as found, not shrunk (shrinking a mutant's failure can take minutes; it is killed
# either way).
settings.register_profile(
    "mutation", phases=[Phase.explicit, Phase.reuse, Phase.generate], deadline=None
)


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
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


@contextlib.contextmanager
def rolled_back(app, engine=None):
    """Every session of ``app`` on one connection (of ``engine``, else the app's), in one
    transaction rolled back at the end (SQLAlchemy's "joining a session into an external
    transaction"): a commit of the app releases a savepoint. Other apps (a test's own) keep
    their usual sessions. Yields the connection."""
    if engine is None:
        with app.app_context():
            engine = db.engine
    connection = engine.connect()
    outer = connection.begin()
    usual = db.session

    def session():
        if current_app._get_current_object() is app:
            return sa.orm.Session(bind=connection, join_transaction_mode="create_savepoint")
        return usual.session_factory()

    db.session = sa.orm.scoped_session(session, scopefunc=usual.registry.scopefunc)
    try:
        yield connection
    finally:
        db.session = usual
        outer.rollback()
        connection.close()


# Statements the app builds at their first use and keeps (functools.cache). Forgotten before each
# test, so that each test that reads one builds it again from the rule's functions (reliability's
# conditions, terms.awaiting_terms): mutation testing then sees every test that reaches them.
BUILT_AT_FIRST_USE = (
    reliability.flags,
    reliability.figures_of_members,
    my_work._my_assignments,
    queries._board_rows,
    split_page._members,
)


@pytest.fixture(autouse=True)
def _forget_built_statements():
    for built in BUILT_AT_FIRST_USE:
        built.cache_clear()


@pytest.fixture(autouse=True)
def _clean_state(request):
    """A clean database for each test that uses the app; tests of plain functions (money, the
    scam guard, periods) need no app and do not make one."""
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    postgresql = app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    if postgresql and request.node.get_closest_marker("commits") is None:
        with rolled_back(app):
            yield
    else:
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
