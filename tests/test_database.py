"""Connections: a pooled connection that died while it sat idle is replaced before a request
uses it (SQLAlchemy's ``pool_pre_ping``), so a restarted database costs no page an error."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

from teamhub.extensions import db

pytestmark = pytest.mark.commits

DATABASE_URL = os.environ.get("TEAMHUB_TEST_DATABASE_URL", "")


def _pooled_backend_pid(app) -> int:
    """Empty the pool, open one connection and give it back; return its server process."""
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
        with db.engine.connect() as connection:
            return connection.connection.dbapi_connection.info.backend_pid


@pytest.mark.postgres_only
@pytest.mark.skipif(
    not DATABASE_URL.startswith("postgresql"), reason="needs PostgreSQL to end a server session"
)
def test_a_connection_the_server_ended_while_idle_is_replaced_before_use(app, client):
    pid = _pooled_backend_pid(app)
    admin = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with admin.connect() as other:
        assert other.scalar(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    admin.dispose()

    assert client.get("/healthz").status_code == 200
    assert client.get("/healthz").status_code == 200
