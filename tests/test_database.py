"""Pooled connections: one that died while it sat idle is replaced before a request uses it."""

from __future__ import annotations

import os
import time

import pytest
import sqlalchemy as sa

from teamhub.extensions import db

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
