"""Database connections: check a pooled connection before use only when it sat idle.

SQLAlchemy's ``pool_pre_ping`` sends a query before every checkout, so every request paid a
round trip to PostgreSQL for it. A connection that was in use a few seconds ago is alive; the
ones that die are those left idle (a restarted server, a firewall or ``idle_session_timeout``
cutting them). This pings those only, the way SQLAlchemy's "pessimistic disconnect handling"
recipe does with a checkout event: a dead connection is replaced before the request uses it.
"""

from __future__ import annotations

import time

import sqlalchemy as sa
from flask import Flask


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
