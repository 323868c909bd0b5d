"""Pooled connections: one that died while it sat idle is replaced before a request uses it.
GET and HEAD requests read without a transaction and cannot write."""

from __future__ import annotations

import os
import time

import pytest
import sqlalchemy as sa

from teamhub import create_app
from teamhub.auth.models import Person
from teamhub.database import WriteInReadOnlyRequest
from teamhub.extensions import db
from tests.factories import make_person

DATABASE_URL = os.environ.get("TEAMHUB_TEST_DATABASE_URL", "")


def _only_pooled_connection(app):
    """Empty the pool, open one connection, return it to the pool; give its pool entry."""
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
        connection = db.engine.raw_connection()
        record = connection._connection_record
        connection.close()
    return record


def test_a_connection_closed_while_idle_is_replaced_before_use(app, client):
    record = _only_pooled_connection(app)
    record.dbapi_connection.close()  # it died in the pool
    record.info["checked_in_at"] = time.monotonic() - 3600  # after an hour unused

    assert client.get("/healthz").status_code == 200
    assert client.get("/healthz").status_code == 200


@pytest.mark.postgres_only
@pytest.mark.skipif(
    not DATABASE_URL.startswith("postgresql"), reason="needs PostgreSQL to end a server session"
)
def test_a_connection_the_server_ended_while_idle_is_replaced_before_use(app, client):
    record = _only_pooled_connection(app)
    pid = record.dbapi_connection.info.backend_pid
    admin = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with admin.connect() as other:
        assert other.scalar(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    admin.dispose()
    record.info["checked_in_at"] = time.monotonic() - 3600

    assert client.get("/healthz").status_code == 200


@pytest.fixture
def probe_app(app):
    """A second app on the test database with routes that read and write on any method."""
    probe = create_app(dict(app.config))

    @probe.route("/probe/isolation", methods=["GET", "POST"])
    def isolation():
        return db.session.connection().get_execution_options().get("isolation_level", "")

    @probe.route("/probe/rename", methods=["GET", "HEAD", "POST"])
    def rename():
        db.session.execute(sa.update(Person).values(display_name="書き換え"))
        return "renamed"

    @probe.route("/probe/sql", methods=["GET"])
    def raw_sql():
        db.session.execute(sa.text("DELETE FROM person"))
        return "deleted"

    @probe.route("/probe/add", methods=["GET"])
    def add():
        make_person()
        db.session.flush()
        return "added"

    yield probe
    with probe.app_context():
        db.session.remove()
        db.engine.dispose()


def _names(app) -> list[str]:
    with app.app_context():
        names = db.session.scalars(sa.select(Person.display_name)).all()
        db.session.remove()
    return names


def test_get_reads_without_a_transaction_and_post_in_one(app, probe_app):
    client = probe_app.test_client()
    assert client.get("/probe/isolation").get_data(as_text=True) == "AUTOCOMMIT"
    assert client.post("/probe/isolation").get_data(as_text=True) == ""


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/probe/rename"), ("HEAD", "/probe/rename"), ("GET", "/probe/sql"),
     ("GET", "/probe/add")],
)  # fmt: skip
def test_a_get_or_head_that_writes_is_refused_before_anything_is_written(
    app, probe_app, method, path, caplog
):
    with app.app_context():
        make_person(display_name="元の名前")
        db.session.commit()
    assert probe_app.test_client().open(path, method=method).status_code == 500
    [refused] = [r for r in caplog.records if r.exc_info]
    assert refused.exc_info[0] is WriteInReadOnlyRequest
    assert _names(app) == ["元の名前"]
    assert probe_app.test_client().post("/probe/rename").status_code == 200
    assert _names(app) == ["書き換え"]


@pytest.mark.postgres_only
@pytest.mark.skipif(not DATABASE_URL.startswith("postgresql"), reason="PostgreSQL settings")
def test_postgresql_connections_keep_generic_plans_and_skip_jit(app):
    with app.app_context():
        settings = {
            name: db.session.scalar(sa.text(f"SHOW {name}"))
            for name in ("plan_cache_mode", "jit", "work_mem")
        }
        db.session.remove()
    assert settings == {"plan_cache_mode": "force_generic_plan", "jit": "off", "work_mem": "32MB"}


COLUMNS_OF_MANY_TYPES = (
    "SELECT 1 AS n, 'ab'::varchar(40) AS code, 12.5::numeric(10, 2) AS amount,"
    " now() AS at, true AS flag, 'x'::text AS body"
)


def _described(cursor) -> list[tuple]:
    return [
        (c.name, c.type_code, c.display_size, c.internal_size, c.precision, c.scale, c.null_ok)
        for c in cursor.description
    ]


@pytest.mark.postgres_only
@pytest.mark.skipif(not DATABASE_URL.startswith("postgresql"), reason="PostgreSQL cursors")
def test_postgresql_cursors_describe_results_as_psycopg_does(app):
    import psycopg

    with app.app_context():
        raw = db.engine.raw_connection()
        try:
            connection = raw.driver_connection
            ours, theirs = connection.cursor(), psycopg.Cursor(connection)
            assert type(ours) is not psycopg.Cursor, "the app's connections use teamhub's cursor"
            for cursor in (ours, theirs):
                cursor.execute(COLUMNS_OF_MANY_TYPES)
            assert _described(ours) == _described(theirs)
            assert len(ours.description) == 6 and ours.description[1].name == "code"

            # A description read later still describes its own result, not the cursor's next.
            earlier = ours.description
            ours.execute("SELECT 'other' AS other_name")
            assert [c.name for c in earlier] == ["n", "code", "amount", "at", "flag", "body"]
            assert [c.name for c in ours.description] == ["other_name"]

            for cursor in (ours, theirs):
                cursor.execute("SELECT 1 AS n WHERE false")
            assert _described(ours) == _described(theirs), "no rows, still columns"
            for cursor in (ours, theirs):
                cursor.execute("SET LOCAL work_mem = '32MB'")
            assert ours.description is None and theirs.description is None
        finally:
            raw.close()
