"""Connections: GET and HEAD requests read on the process's kept connection, without a
transaction, and cannot write; other requests (and reads while the kept one is busy) use the
pool. A connection that died while it sat idle, kept or pooled, is replaced before use."""

from __future__ import annotations

import contextlib
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


def _kept(app):
    return app.extensions["teamhub_kept_read_connection"]


@contextlib.contextmanager
def _kept_connection_busy(app):
    """Another request holds the kept connection: reads go to the pool meanwhile."""
    kept = _kept(app)
    assert kept.acquire() is not None
    try:
        yield
    finally:
        kept.release()


def _kept_dbapi_connection(app, client):
    assert client.get("/healthz").status_code == 200
    return _kept(app)._held[0].connection.dbapi_connection


def test_a_connection_closed_while_idle_is_replaced_before_use(app, client):
    record = _only_pooled_connection(app)
    record.dbapi_connection.close()  # it died in the pool
    record.info["checked_in_at"] = time.monotonic() - 3600  # after an hour unused

    with _kept_connection_busy(app):
        assert client.get("/healthz").status_code == 200
        assert client.get("/healthz").status_code == 200


def test_gets_share_the_kept_connection_and_writes_take_one_from_the_pool(app, probe_app):
    client = probe_app.test_client()
    assert client.get("/probe/isolation").get_data(as_text=True) == "AUTOCOMMIT"
    kept = _kept(probe_app)._held[0].connection.dbapi_connection
    for _ in range(3):
        assert client.get("/probe/connection").get_data(as_text=True) == str(id(kept))
    assert client.post("/probe/connection").get_data(as_text=True) != str(id(kept))
    with _kept_connection_busy(probe_app):
        assert client.get("/probe/isolation").get_data(as_text=True) == "AUTOCOMMIT"
        assert client.get("/probe/connection").get_data(as_text=True) != str(id(kept))
    assert client.get("/probe/connection").get_data(as_text=True) == str(id(kept))


def test_the_kept_connection_closed_while_idle_is_replaced_before_use(app, client):
    dead = _kept_dbapi_connection(app, client)
    dead.close()
    _kept(app)._used_at -= 3600  # an hour unused

    assert client.get("/healthz").status_code == 200
    assert _kept(app)._held[0].connection.dbapi_connection is not dead


def test_the_kept_connection_is_closed_with_the_engine(app, client):
    kept = _kept_dbapi_connection(app, client)
    with app.app_context():
        db.engine.dispose()
    assert _closed(kept) and _kept(app)._held[0] is None
    assert client.get("/healthz").status_code == 200
    assert _kept(app)._held[0] is not None


def _closed(dbapi_connection) -> bool:
    if hasattr(dbapi_connection, "closed"):  # psycopg
        return bool(dbapi_connection.closed)
    try:  # sqlite3
        dbapi_connection.execute("SELECT 1")
    except Exception:  # sqlite3.ProgrammingError: a closed database
        return True
    return False


def test_a_forked_child_never_uses_its_parents_kept_connection(app, client):
    parent = _kept_dbapi_connection(app, client)
    child = os.fork()
    if child == 0:  # the child: it must open its own
        os._exit(0 if _kept(app)._held[0] is None else 1)
    _pid, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert _kept(app)._held[0].connection.dbapi_connection is parent
    assert client.get("/healthz").status_code == 200


@pytest.mark.postgres_only
@pytest.mark.skipif(
    not DATABASE_URL.startswith("postgresql"), reason="needs PostgreSQL to end a server session"
)
def test_a_connection_the_server_ended_while_idle_is_replaced_before_use(app, client):
    record = _only_pooled_connection(app)
    _end_server_session(app, record.dbapi_connection.info.backend_pid)
    record.info["checked_in_at"] = time.monotonic() - 3600

    with _kept_connection_busy(app):
        assert client.get("/healthz").status_code == 200


@pytest.mark.postgres_only
@pytest.mark.skipif(
    not DATABASE_URL.startswith("postgresql"), reason="needs PostgreSQL to end a server session"
)
def test_the_kept_connection_the_server_ended_while_idle_is_replaced_before_use(app, client):
    _end_server_session(app, _kept_dbapi_connection(app, client).info.backend_pid)
    _kept(app)._used_at -= 3600

    assert client.get("/healthz").status_code == 200


def _end_server_session(app, pid: int) -> None:
    admin = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with admin.connect() as other:
        assert other.scalar(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    admin.dispose()


@pytest.fixture
def probe_app(app):
    """A second app on the test database with routes that read and write on any method."""
    probe = create_app(dict(app.config))

    @probe.route("/probe/isolation", methods=["GET", "POST"])
    def isolation():
        return db.session.connection().get_execution_options().get("isolation_level", "")

    @probe.route("/probe/connection", methods=["GET", "POST"])
    def connection():
        return str(id(db.session.connection().connection.dbapi_connection))

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


def test_records_read_like_the_rows_they_come_from(app):
    from teamhub.database import as_records, read_records

    statement = sa.select(
        sa.literal(7).label("id"), sa.literal("翻訳").label("title"), sa.literal(None).label("due")
    )
    with app.test_request_context():
        rows = db.session.execute(statement).all()
        [record] = read_records(statement)
        assert record == tuple(rows[0]) and (record.id, record.title, record.due) == (
            7,
            "翻訳",
            None,
        )
        assert as_records([]) == []
        assert type(as_records(rows)[0]) is type(record)  # one class per set of fields


def test_kinds_of_rows_share_columns_by_type_and_read_back_in_order(ctx):
    """One union reads two kinds of rows: the kinds share the columns of their types (the rows
    are as wide as the widest kind), and each comes back as its own named values, in the
    order of its ``position`` (the union has no order of its own)."""
    from teamhub.database import RowKinds, read_rows, sql_constant

    first, second = make_person(display_name="一人目"), make_person(display_name="二人目")
    db.session.flush()
    kinds = RowKinds(
        person={"id": Person.id, "name": Person.display_name, "email": Person.email},
        count={"people": sa.func.count(Person.id)},
    )
    people = sa.select(*kinds.select_list("person", -Person.id)).where(
        Person.id.in_([first.id, second.id])
    )
    count = sa.select(*kinds.select_list("count", sql_constant(0)))
    statement = sa.union_all(count, people)  # in no order: read back by position
    # kind, position, and three columns: two texts and one number the kinds share.
    assert len(statement.selected_columns) == 5
    found = kinds.sorted_out(read_rows(statement))
    assert [(p.id, p.name, p.email) for p in found["person"]] == [
        (second.id, "二人目", second.email),  # positions -second.id, -first.id
        (first.id, "一人目", first.email),
    ]
    assert [c.people for c in found["count"]] == [
        db.session.scalar(sa.select(sa.func.count(Person.id)))
    ]
    with pytest.raises(TypeError):
        RowKinds(untyped={"value": sa.literal_column("1")})
