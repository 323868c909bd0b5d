"""Migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from teamhub import create_app
from teamhub.extensions import db


@contextmanager
def scratch_database(tmp_path):
    """A fresh, empty database of the kind under test."""
    url = os.environ.get("TEAMHUB_TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path / 'migrations.sqlite'}"
        return
    name = f"teamhub_migrations_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def migrated_app(tmp_path, monkeypatch):
    monkeypatch.setenv("TEAMHUB_INSTANCE_PATH", str(tmp_path))
    with scratch_database(tmp_path) as url:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x", "TESTING": True})
        with app.app_context():
            yield app
            db.session.remove()
            db.engine.dispose()


def test_upgrade_builds_the_models_schema_and_downgrade_removes_it(migrated_app):
    upgrade()
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []
    downgrade(revision="base")
    tables = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
    assert tables == set()
    upgrade()


def test_0008_summarises_the_closes_already_paid(migrated_app):
    """Closes paid before the paid-day summary existed are in it once the migration ran."""
    from datetime import date

    from teamhub.payouts.models import FirstPaidDay, PaidDay, PayoutClose
    from tests.factories import add_member, closed_month, make_person, make_team

    upgrade(revision="0007")
    person = make_person()
    team = make_team(make_person(), payer_type="corporation", fee_rate_bp=0)
    member = add_member(team, person)
    october = closed_month(team, None, member, 50_000)
    closed_month(team, None, member, 20_000, period_end=date(2026, 9, 30))  # confirmed, unpaid
    db.session.execute(
        sa.update(PayoutClose)
        .where(PayoutClose.id == october.id)
        .values(status="paid", paid_on=date(2026, 11, 10))
    )
    db.session.commit()

    upgrade()

    with db.engine.connect() as connection:
        days = connection.execute(sa.select(PaidDay.person_id, PaidDay.paid_on, PaidDay.net_yen))
        firsts = connection.execute(sa.select(FirstPaidDay.person_id, FirstPaidDay.paid_on))
        assert [tuple(r) for r in days] == [(person.id, date(2026, 11, 10), 50_000 - 5_105)]
        assert [tuple(r) for r in firsts] == [(person.id, date(2026, 11, 10))]
