"""Database connections: check a pooled connection before use only when it sat idle.

SQLAlchemy's ``pool_pre_ping`` sends a query before every checkout, so every request paid a
round trip to PostgreSQL for it. A connection that was in use a few seconds ago is alive; the
ones that die are those left idle (a restarted server, a firewall or ``idle_session_timeout``
cutting them). This pings those only, the way SQLAlchemy's "pessimistic disconnect handling"
recipe does with a checkout event: a dead connection is replaced before the request uses it.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import operator
import os
import threading
import time
import weakref
from collections.abc import Sequence

import sqlalchemy as sa
from flask import Flask
from flask_sqlalchemy.session import Session as FlaskSession


def ping_idle_connections(app: Flask) -> None:
    from teamhub.extensions import db

    with app.app_context():
        engine = db.engine
    idle_seconds = app.config["DATABASE_PING_AFTER_IDLE_SECONDS"]

    @sa.event.listens_for(engine, "connect")
    def _fresh(_dbapi_connection, record):
        record.info["checked_in_at"] = time.monotonic()

    @sa.event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_connection, record):
        if record is not None:
            record.info["checked_in_at"] = time.monotonic()

    @sa.event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection, record, _proxy):
        checked_in_at = record.info.get("checked_in_at")
        if checked_in_at is not None and time.monotonic() - checked_in_at < idle_seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:
            # The pool discards this connection and checks out (or opens) another one.
            raise sa.exc.DisconnectionError(str(error)) from error


# GET and HEAD only read: HTTP says they change nothing, and every form posts (CSRF-checked).
READ_ONLY_METHODS = frozenset({"GET", "HEAD"})


class WriteInReadOnlyRequest(RuntimeError):
    """A GET or HEAD request tried to write: a bug, refused before anything is written."""


class Session(FlaskSession):
    """Flask-SQLAlchemy's session, reading on the worker's kept connection while a GET or HEAD
    request holds it (:class:`KeptReadConnection`)."""

    read_connection: sa.Connection | None = None

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if bind is None and self.read_connection is not None:
            return self.read_connection
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


class KeptReadConnection:
    """One autocommit connection a process keeps for its GET and HEAD requests, one request at
    a time, instead of taking a pooled connection for each and giving it back.

    Taking a connection from the pool, switching it to autocommit and resetting it afterwards
    cost every page ~6% of its CPU. A request that finds the kept connection in use by another
    thread (the threaded development server) takes one from the pool as before. As with the
    pool (:func:`ping_idle_connections`), a connection left idle for ``idle_seconds`` or more is
    pinged before use, and one found dead, or invalidated by an error, is replaced. A forked
    child never uses its parent's connection. Django's persistent connections work the same way.
    """

    def __init__(self, engine: sa.Engine, idle_seconds: float) -> None:
        self._engine = engine
        self._idle_seconds = idle_seconds
        self._lock = threading.Lock()
        # The connection, in a list the finalizer shares: closed with this object or the engine.
        self._held: list[sa.Connection | None] = [None]
        self._used_at = 0.0
        self._disposed = False
        weakref.finalize(self, _close_held, self._held)
        this = weakref.ref(self)
        os.register_at_fork(after_in_child=lambda: (kept := this()) and kept._forget_after_fork())
        sa.event.listen(engine, "engine_disposed", lambda _engine: (k := this()) and k._dispose())

    def acquire(self) -> sa.Connection | None:
        """The kept connection, ready to read, or None while another request holds it."""
        if not self._lock.acquire(blocking=False):
            return None
        try:
            return self._ready()
        except BaseException:
            self._lock.release()
            raise

    def release(self) -> None:
        self._used_at = time.monotonic()
        if self._disposed:
            self._disposed = False
            _close_held(self._held)
        self._lock.release()

    def _ready(self) -> sa.Connection:
        connection = self._held[0]
        if connection is not None and not self._usable(connection):
            _close_held(self._held)
            connection = None
        if connection is None:
            connection = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            self._held[0] = connection
        return connection

    def _usable(self, connection: sa.Connection) -> bool:
        if connection.closed or connection.invalidated:
            return False
        if time.monotonic() - self._used_at < self._idle_seconds:
            return True
        try:
            self._engine.dialect.do_ping(connection.connection.dbapi_connection)
        except Exception:
            return False
        return True

    def _dispose(self) -> None:
        """The engine's connections are being closed: close the kept one now if no request
        holds it, else when the request that holds it gives it back."""
        if self._lock.acquire(blocking=False):
            _close_held(self._held)
            self._lock.release()
        else:
            self._disposed = True

    def _forget_after_fork(self) -> None:
        # The parent's socket is not this process's to use, nor to close: the child keeps the
        # parent's connection object unused, so that collecting it never ends the session.
        if self._held[0] is not None:
            _LEFT_BY_PARENT.append(self._held[0])
        self._held[0] = None
        self._lock = threading.Lock()


_LEFT_BY_PARENT: list[sa.Connection] = []


def _close_held(held: list) -> None:
    """Close the connection in ``held`` (if any) for good: not back into a pool."""
    connection, held[0] = held[0], None
    if connection is not None:
        with contextlib.suppress(Exception):
            connection.invalidate()
            connection.close()


def reads_without_transaction(app: Flask) -> None:
    """GET and HEAD requests read without opening a transaction (no BEGIN and COMMIT round
    trips: two of a page's four or five), on the process's kept connection
    (:class:`KeptReadConnection`). Under PostgreSQL's READ COMMITTED every statement reads its
    own snapshot inside a transaction too, so reads see the same data. Writing in such a
    request raises before the statement runs, so the rule "one transaction per request" still
    holds for every request that writes."""
    from flask import g, has_request_context, request

    from teamhub.extensions import db

    with app.app_context():
        engine = db.engine
    # A pool of one connection per thread (SQLite in memory) would hand the kept connection,
    # in autocommit, to the next request that writes: those use the pool for every request.
    kept = (
        KeptReadConnection(engine, app.config["DATABASE_PING_AFTER_IDLE_SECONDS"])
        if isinstance(engine.pool, sa.pool.QueuePool)
        else None
    )

    def _autocommit_reads():
        if request.method not in READ_ONLY_METHODS:
            return
        g.read_only_request = True
        connection = kept.acquire() if kept is not None else None
        if connection is None:
            db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
            return
        g.kept_read_connection = kept
        db.session().read_connection = connection

    # First of the request's hooks, before anything can open the session's transaction.
    app.before_request_funcs.setdefault(None, []).insert(0, _autocommit_reads)
    app.extensions["teamhub_kept_read_connection"] = kept

    @app.teardown_appcontext
    def _give_back_the_kept_connection(_error):
        holder = g.pop("kept_read_connection", None)
        if holder is not None:
            db.session.remove()  # before another request may take the connection
            holder.release()

    @sa.event.listens_for(engine, "before_cursor_execute")
    def _refuse_writes(_conn, _cursor, statement, _parameters, context, _executemany):
        if not (has_request_context() and g.get("read_only_request")):
            return
        if _writes(statement, context):
            raise WriteInReadOnlyRequest(
                f"{request.method} {request.path} tried to write; use POST: {statement[:80]}"
            )


def _writes(statement: str, context) -> bool:
    if context is not None and (context.isinsert or context.isupdate or context.isdelete):
        return True
    head = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else ""
    return head not in ("SELECT", "WITH", "SHOW", "EXPLAIN", "PRAGMA", "VALUES")


def sql_constant(value: int | str) -> sa.ColumnElement:
    """A constant of the code (a state, a flag's 1 or 0) written into a statement's SQL instead
    of being sent as a bound parameter: the statements pages run on every visit are built once,
    and each parameter costs its conversion on every execution (My assignments had 41)."""
    if isinstance(value, bool) or not isinstance(value, int | str) or "%" in str(value):
        raise TypeError(f"not a constant for SQL: {value!r}")
    if isinstance(value, int):
        return sa.literal_column(str(value), sa.Integer())
    return sa.literal_column("'" + value.replace("'", "''") + "'", sa.String())


class RowKinds:
    """Several kinds of rows read in one statement, a union of one select per kind: one round
    trip instead of several (each query costs a page ~0.2 ms of the app's CPU besides the
    database's).

    Each kind is given as its values (name: SQL expression). The kinds share the union's
    columns: a value takes a column of its type that its kind has not taken yet, so the rows
    are as narrow as the widest kind (each column of each row costs its reading). Every row
    also carries its kind and a ``position``, which orders the rows of each kind: they are
    sorted here, not by the database (whose sort of the whole union's wide rows cost more)."""

    def __init__(self, **kinds: dict[str, sa.ColumnElement]):
        self._values = kinds
        self._types: list[sa.types.TypeEngine] = []
        self._columns_of: dict[str, dict[str, int]] = {}
        for kind, values in kinds.items():
            self._columns_of[kind] = columns = {}
            for name, value in values.items():
                columns[name] = self._free_column(value.type, set(columns.values()))
        self._records = {
            kind: _record_maker(tuple(columns), [2 + index for index in columns.values()])
            for kind, columns in self._columns_of.items()
        }

    def _free_column(self, type_: sa.types.TypeEngine, taken: set[int]) -> int:
        for index, existing in enumerate(self._types):
            if index not in taken and type(existing) is type(type_):
                return index
        if isinstance(type_, sa.types.NullType):
            raise TypeError("give each value of a kind of row a type")
        self._types.append(type_)
        return len(self._types) - 1

    def select_list(self, kind: str, position: sa.ColumnElement) -> list[sa.ColumnElement]:
        """The select list of ``kind``'s select: its values, typed nulls in the other columns."""
        value_at = {
            index: self._values[kind][name] for name, index in self._columns_of[kind].items()
        }
        return [
            sql_constant(kind).label("kind"),
            position.label("position"),
            *(
                value_at.get(index, sa.cast(sa.null(), type_)).label(f"c{index}")
                for index, type_ in enumerate(self._types)
            ),
        ]

    def sorted_out(self, rows: Sequence[sa.Row]) -> dict[str, list]:
        """The union's rows by kind, each a named tuple of its kind's values, in the order of
        their positions."""
        found: dict[str, list] = {kind: [] for kind in self._records}
        for row in sorted(rows, key=_POSITION):
            found[row[0]].append(self._records[row[0]](row))
        return found


_POSITION = operator.itemgetter(1)


def _record_maker(fields: tuple[str, ...], indices: list[int]):
    """A function making a named tuple of ``fields`` from a row's values at ``indices``."""
    make, values = _record_class(fields)._make, operator.itemgetter(*indices)
    if len(indices) == 1:
        return lambda row: make((values(row),))
    return lambda row: make(values(row))


@functools.lru_cache(maxsize=256)
def _record_class(fields: tuple[str, ...]) -> type:
    return collections.namedtuple("Record", fields, rename=True)


def as_records(rows: Sequence[sa.Row], first: int = 0) -> list:
    """Rows as named tuples, for lists whose fields are read again and again (a page's
    template reads each row's fields several times): a Row's field by name costs ~0.3 µs, a
    named tuple's ~0.03 µs, making it ~0.35 µs a row. My assignments: 4% of its CPU.
    ``first``: the records leave out the columns before it (an entity read beside the list)."""
    if not rows:
        return []
    make = _record_class(tuple(rows[0]._fields[first:]))._make
    if first:
        return [make(row[first:]) for row in rows]
    return [make(row) for row in rows]


def read_records(statement: sa.Executable, parameters: dict | None = None) -> list:
    """:func:`read_rows` as named tuples (:func:`as_records`)."""
    return as_records(read_rows(statement, parameters))


def read_rows(statement: sa.Executable, parameters: dict | None = None) -> list[sa.Row]:
    """The rows of a statement that selects columns (not ORM entities), run on the session's
    connection: the same transaction, after the same autoflush, without the ORM session's work
    around each execution (~0.1 ms a query on the pages every member opens)."""
    from teamhub.extensions import db

    db.session.flush()
    return db.session.connection().execute(statement, parameters or {}).all()


@functools.cache
def postgresql_cursor_class():
    """psycopg's cursor with a description that makes its columns only when one is read.

    SQLAlchemy reads ``cursor.description`` after every SELECT, and for the statements it has
    cached (every page's, after the first visit) only checks that it is not None: it keeps the
    columns' names and types with the statement. psycopg makes a ``Column`` object for each
    column on every read (name decoded, type looked up): ~4% of the job board's and the split
    page's time (a signed-in page's login query alone has 32 columns). Imported here so that an
    SQLite install needs no psycopg."""
    from collections.abc import Sequence
    from types import SimpleNamespace

    import psycopg
    from psycopg.pq import ExecStatus

    with_rows = (ExecStatus.TUPLES_OK, ExecStatus.SINGLE_TUPLE, ExecStatus.TUPLES_CHUNK)

    class Description(Sequence):
        """The columns of one result, made the first time one is read, from that result (not
        from whatever the cursor holds by then)."""

        __slots__ = ("_columns", "_count", "_source")

        def __init__(self, cursor: psycopg.Cursor, result) -> None:
            # What psycopg's Column reads of the cursor it is given, fixed to this result
            # (tests/test_database.py compares the outcome with psycopg's own description).
            self._source = SimpleNamespace(
                pgresult=result, _encoding=cursor._encoding, adapters=cursor.adapters
            )
            self._count = result.nfields
            self._columns: list | None = None

        def _made(self) -> list:
            if self._columns is None:
                self._columns = [psycopg.Column(self._source, i) for i in range(self._count)]
            return self._columns

        def __len__(self) -> int:
            return self._count

        def __getitem__(self, index):
            return self._made()[index]

        def __eq__(self, other) -> bool:
            return list(self) == list(other)

        def __repr__(self) -> str:
            return repr(self._made())

    class Cursor(psycopg.Cursor):
        @property
        def description(self):
            result = self.pgresult
            if result is not None and (result.nfields or result.status in with_rows):
                return Description(self, result)
            return None

    return Cursor
