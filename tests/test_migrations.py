"""Migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
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
    assert _differences_from_the_models() == []
    downgrade(revision="base")
    tables = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
    assert tables == set()
    upgrade()


def _differences_from_the_models() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_0008_summarises_the_closes_already_paid(migrated_app):
    """Closes paid before the paid-day summary existed are in it once the migration ran."""
    from datetime import date

    from teamhub.payouts.models import FirstPaidDay, PaidDay, PayoutClose
    from tests.factories import add_member, closed_month, make_person, make_team

    # Posted by today's code, then taken back to before the summary existed.
    upgrade()
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
    downgrade(revision="0007")

    upgrade()

    with db.engine.connect() as connection:
        days = connection.execute(sa.select(PaidDay.person_id, PaidDay.paid_on, PaidDay.net_yen))
        firsts = connection.execute(sa.select(FirstPaidDay.person_id, FirstPaidDay.paid_on))
        assert [tuple(r) for r in days] == [(person.id, date(2026, 11, 10), 50_000 - 5_105)]
        assert [tuple(r) for r in firsts] == [(person.id, date(2026, 11, 10))]


def _ledger(connection) -> list[tuple]:
    from teamhub.payouts.models import LedgerEntry

    entries = connection.execute(
        sa.select(LedgerEntry.id, LedgerEntry.amount_yen, LedgerEntry.reverses_id).order_by(
            LedgerEntry.id
        )
    )
    return [tuple(e) for e in entries]


def test_0009_keeps_the_ledger_and_the_reversed_once_rule(migrated_app):
    """Rebuilding the reversal index (on SQLite: the whole table) keeps every entry, and an
    entry still cannot be reversed twice."""
    from teamhub.payouts.models import LedgerEntry
    from tests.factories import add_member, closed_month, make_person, make_team

    upgrade()  # posted by today's code, then taken back to the old rule
    team = make_team(make_person(), payer_type="corporation", fee_rate_bp=0)
    close = closed_month(team, None, add_member(team, make_person()), 50_000)
    db.session.commit()
    downgrade(revision="0008")
    share = db.session.scalars(
        sa.select(LedgerEntry).where(LedgerEntry.close_id == close.id, LedgerEntry.kind == "share")
    ).one()
    reversal = {
        c: getattr(share, c)
        for c in ("team_id", "close_id", "job_id", "account", "units", "kind", "note", "created_at")
    } | {"amount_yen": -share.amount_yen, "reverses_id": share.id}
    db.session.execute(sa.insert(LedgerEntry), [reversal])
    db.session.commit()
    with db.engine.connect() as connection:
        before = _ledger(connection)

    upgrade()

    with db.engine.connect() as connection:
        assert _ledger(connection) == before
        assert [r for r in before if r[2] == share.id]
        with pytest.raises(sa.exc.IntegrityError):
            connection.execute(sa.insert(LedgerEntry), [reversal])


def test_0010_keeps_the_ledger_and_refuses_an_entry_for_a_job_its_close_did_not_close(
    migrated_app,
):
    """Each closed job gets its close's team; every entry stays; an entry must name a job its
    own close distributed, in the close's team (before, any job and the close were checked
    apart)."""
    from datetime import UTC, datetime

    from teamhub.payouts.models import ClosedJob, LedgerEntry
    from tests.factories import add_member, closed_month, make_job, make_person, make_team

    upgrade()
    team = make_team(make_person(), payer_type="corporation", fee_rate_bp=0)
    close = closed_month(team, None, add_member(team, make_person()), 50_000)
    other_team = make_team(make_person())
    open_job = make_job(team)
    db.session.commit()
    close_id, team_id, other_team_id, open_job_id = close.id, team.id, other_team.id, open_job.id
    db.session.close()  # reading the ids began a transaction; the migration must not wait on it
    downgrade(revision="0009")
    with db.engine.connect() as connection:
        before = _ledger(connection)
        closed_job_id = connection.execute(sa.text("SELECT job_id FROM closed_job")).scalar_one()

    upgrade()

    with db.engine.connect() as connection:
        assert _ledger(connection) == before and len(before) >= 3
        assert connection.execute(sa.select(ClosedJob.team_id)).scalars().all() == [team_id]
        entry = {
            "close_id": close_id, "team_id": team_id, "job_id": closed_job_id,
            "account": "retained", "amount_yen": 0, "units": 0, "kind": "", "note": "",
            "created_at": datetime(2026, 11, 1, tzinfo=UTC),
        }  # fmt: skip
        connection.execute(sa.insert(LedgerEntry), [entry])  # its close's job: taken
        connection.rollback()
        for wrong in ({"job_id": open_job_id}, {"team_id": other_team_id}):
            with pytest.raises(sa.exc.IntegrityError):
                connection.execute(sa.insert(LedgerEntry), [entry | wrong])
            connection.rollback()


def test_sqlite_migrations_refuse_to_leave_rows_pointing_at_nothing(migrated_app):
    """SQLite migrations run with foreign keys unenforced (a table rebuilt with them on took a
    quarter of an hour), so they check every key before committing."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only: PostgreSQL alters tables in place, its keys enforced")
    upgrade(revision="0008")
    with db.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.exec_driver_sql(
            "INSERT INTO closed_job (close_id, job_id) VALUES (999, 999)"  # no such close or job
        )
        connection.commit()
    # Flask-Migrate reports the key check's error and exits; 0010, which gives each closed job
    # its close's team, already finds none for this row.
    with pytest.raises((SystemExit, sa.exc.IntegrityError)):
        upgrade()
    with db.engine.connect() as connection:  # nothing of the migration stayed
        assert connection.exec_driver_sql("SELECT version_num FROM alembic_version").all() == [
            ("0008",)
        ]
        assert not sa.inspect(connection).get_indexes("ledger_entry")[-1]["name"].startswith("uq_")
        connection.exec_driver_sql("DELETE FROM closed_job")
        connection.commit()
    upgrade()
    head = ScriptDirectory.from_config(
        current_app.extensions["migrate"].migrate.get_config()
    ).get_current_head()
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT version_num FROM alembic_version").all() == [
            (head,)
        ]
    with db.engine.connect() as connection:  # the app's connections enforce their keys again
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def _ledger_foreign_keys(connection) -> set[str]:
    return {fk["name"] for fk in sa.inspect(connection).get_foreign_keys("ledger_entry")}


def _ledger_triggers(connection) -> list[tuple[str, str]]:
    """0011's triggers and functions as PostgreSQL holds them (none on SQLite)."""
    if connection.dialect.name != "postgresql":
        return []
    triggers = connection.execute(
        sa.text(
            "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger"
            " WHERE tgname LIKE 'ledger_entry_key%' UNION ALL"
            " SELECT proname, prosrc FROM pg_proc WHERE proname LIKE 'ledger_entry_%' ORDER BY 1"
        )
    )
    return [tuple(row) for row in triggers]


LEDGER_KEYS = {
    "fk_ledger_entry_assignment_id_assignment",
    "fk_ledger_entry_membership_id_membership",
    "fk_ledger_entry_close_id_closed_job",
    "fk_ledger_entry_created_by_id_person",
    "fk_ledger_entry_reverses_id_ledger_entry",
}


def _posted_close() -> int:
    """A close posted by today's code, committed; its id."""
    from tests.factories import add_member, closed_month, make_person, make_team

    team = make_team(make_person(), payer_type="corporation", fee_rate_bp=0)
    close = closed_month(team, None, add_member(team, make_person()), 50_000)
    db.session.commit()
    close_id = close.id
    db.session.close()  # reading the id began a transaction; the migration must not wait on it
    return close_id


def _refuses_an_entry_naming_nothing(connection, close_id: int) -> None:
    from datetime import UTC, datetime

    from teamhub.payouts.models import LedgerEntry

    share = connection.execute(
        sa.select(LedgerEntry).where(LedgerEntry.close_id == close_id, LedgerEntry.kind == "share")
    ).one()
    wrong = {
        c: getattr(share, c) for c in ("team_id", "close_id", "job_id", "account", "units", "kind")
    } | {"amount_yen": 0, "assignment_id": 987_654, "note": "",
         "created_at": datetime(2026, 11, 2, tzinfo=UTC)}  # fmt: skip
    with pytest.raises(sa.exc.IntegrityError):
        connection.execute(sa.insert(LedgerEntry), [wrong])
    connection.rollback()


def test_0011_keeps_the_ledger_and_an_entry_naming_nothing_is_still_refused(migrated_app):
    """On PostgreSQL the ledger's five foreign keys became statement triggers (0014 takes them
    back out); on SQLite they stayed foreign keys. Either way every entry stays and an entry
    naming nothing is refused."""
    upgrade()
    close_id = _posted_close()
    downgrade(revision="0010")
    with db.engine.connect() as connection:
        before = _ledger(connection)
        assert _ledger_foreign_keys(connection) == LEDGER_KEYS
        assert _ledger_triggers(connection) == []

    upgrade(revision="0011")

    postgresql = db.engine.dialect.name == "postgresql"
    with db.engine.connect() as connection:
        assert _ledger(connection) == before and len(before) >= 3
        assert _ledger_foreign_keys(connection) == (set() if postgresql else LEDGER_KEYS)
        assert len(_ledger_triggers(connection)) == (5 + 2 + 3 if postgresql else 0)
        _refuses_an_entry_naming_nothing(connection, close_id)


def test_0012_counts_the_attendance_already_recorded(migrated_app):
    """Each enrolment gets the counts of the marks it already has; later marks keep them."""
    from teamhub.training import enrolments, progress
    from teamhub.training.models import Enrolment
    from tests import training_factories as tf
    from tests.factories import make_person

    upgrade()
    org = tf.make_organisation()
    coordinator = tf.appoint(org)
    cohort = tf.make_cohort(org, tf.make_curriculum(org))
    present, absent, unmarked = (
        enrolments.enrol(cohort, make_person(), by=coordinator) for _ in range(3)
    )
    past, _future = tf.add_sessions(cohort)
    progress.record_attendance(past, {present.id: "present", absent.id: "absent"}, coordinator)
    db.session.commit()
    ids = [present.id, absent.id, unmarked.id]
    db.session.close()
    downgrade(revision="0011")

    upgrade()

    counts = db.session.execute(
        sa.select(Enrolment.id, Enrolment.sessions_present, Enrolment.sessions_recorded)
        .where(Enrolment.id.in_(ids))
        .order_by(Enrolment.id)
    ).all()
    assert [tuple(row[1:]) for row in counts] == [(1, 1), (0, 1), (0, 0)]


def _reliability_triggers(connection) -> list[tuple[str, str]]:
    """member_reliability's triggers (and PostgreSQL's functions) as the database holds them."""
    if connection.dialect.name == "postgresql":
        query = (
            "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger"
            " WHERE tgname LIKE 'member_reliability%' UNION ALL"
            " SELECT proname, prosrc FROM pg_proc WHERE proname LIKE 'member_reliability%'"
            " ORDER BY 1"
        )
    else:
        query = (
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
            " AND name LIKE 'member_reliability%' ORDER BY 1"
        )
    return [tuple(row) for row in connection.execute(sa.text(query))]


def test_0014_puts_the_ledger_foreign_keys_back_and_keeps_every_entry(migrated_app):
    """From 0011's triggers to plain foreign keys and back, on a ledger with entries: every
    entry stays, the schema is the models' own, and an entry naming nothing is refused either
    way."""
    upgrade()
    close_id = _posted_close()
    downgrade(revision="0013")
    postgresql = db.engine.dialect.name == "postgresql"
    with db.engine.connect() as connection:
        before = _ledger(connection)
        triggers = _ledger_triggers(connection)
        assert len(triggers) == (5 + 2 + 3 if postgresql else 0)

    upgrade()

    assert _differences_from_the_models() == []
    with db.engine.connect() as connection:
        assert _ledger(connection) == before and len(before) >= 3
        assert _ledger_foreign_keys(connection) == LEDGER_KEYS
        assert _ledger_triggers(connection) == []
        _refuses_an_entry_naming_nothing(connection, close_id)

    downgrade(revision="0013")

    with db.engine.connect() as connection:
        assert _ledger(connection) == before
        assert _ledger_foreign_keys(connection) == (set() if postgresql else LEDGER_KEYS)
        assert _ledger_triggers(connection) == triggers
        _refuses_an_entry_naming_nothing(connection, close_id)


def _kept_counts(connection, member_id: int) -> tuple | None:
    row = connection.execute(
        sa.text(
            "SELECT answered, answered_fast, finished, approved, on_time, revised"
            " FROM member_reliability WHERE membership_id = :m"
        ),
        {"m": member_id},
    ).first()
    return None if row is None else tuple(row)


def _reliability_indexes(connection) -> set[str]:
    names = {index["name"] for index in sa.inspect(connection).get_indexes("assignment")}
    return names & {"ix_assignment_owed", "ix_assignment_unanswered"}


def test_0015_reads_reliability_from_the_history_and_its_downgrade_counts_it_again(
    migrated_app,
):
    """0015 drops the counts 0013 kept (table, triggers, functions, partial indexes) and keeps
    every assignment; going back to 0013 counts the history again and the triggers keep
    counting later writes."""
    from datetime import timedelta

    from teamhub.assignments.models import Assignment
    from teamhub.clock import utcnow
    from tests.factories import add_member, make_job, make_person, make_team

    upgrade()
    director = make_person()
    team = make_team(director)
    member = add_member(team)
    job = make_job(team, director)
    now = utcnow()
    offered = now - timedelta(days=5)
    history = [
        ("approved", offered + timedelta(hours=2), offered + timedelta(days=1)),  # fast, on time
        ("declined", offered + timedelta(hours=30), None),  # slow
        ("offered", None, None),
    ]
    for state, answered_at, first_submitted_at in history:
        db.session.add(
            Assignment(
                team_id=team.id, job_id=job.id, membership_id=member.id, units=1, state=state,
                offered_at=offered, answered_at=answered_at, due_at=offered + timedelta(days=2),
                first_submitted_at=first_submitted_at,
            )
        )  # fmt: skip
    db.session.commit()
    member_id = member.id
    db.session.close()
    with db.engine.connect() as connection:
        assert "member_reliability" not in sa.inspect(connection).get_table_names()
        assert _reliability_triggers(connection) == [] and _reliability_indexes(connection) == set()

    downgrade(revision="0014")

    with db.engine.connect() as connection:
        assert _kept_counts(connection, member_id) == (2, 1, 1, 1, 1, 0)
        assert len(_reliability_triggers(connection)) in (3, 6)
        assert _reliability_indexes(connection) == {
            "ix_assignment_owed",
            "ix_assignment_unanswered",
        }
    offer = db.session.scalar(sa.select(Assignment).where(Assignment.state == "offered"))
    offer.state, offer.answered_at = "accepted", now
    db.session.commit()
    db.session.close()
    with db.engine.connect() as connection:
        assert _kept_counts(connection, member_id) == (3, 1, 1, 1, 1, 0)

    upgrade()

    with db.engine.connect() as connection:
        assert "member_reliability" not in sa.inspect(connection).get_table_names()
        assert _reliability_triggers(connection) == [] and _reliability_indexes(connection) == set()
        states = connection.execute(sa.text("SELECT state FROM assignment ORDER BY id"))
        assert [row[0] for row in states] == ["approved", "declined", "accepted"]


def test_0019_counts_each_persons_unread_notifications_already_sent(migrated_app):
    """Each person's kept count starts from the notifications they have not read yet."""
    from teamhub.auth.models import Person
    from teamhub.notifications import services
    from tests.factories import make_person

    upgrade()
    reader, skimmer, newcomer = make_person(), make_person(), make_person()
    for n in range(3):
        services.notify(reader.id, "approved", f"event:{n}", {"job": "記事", "comment": ""})
    first = services.notify(skimmer.id, "approved", "event:9", {"job": "記事", "comment": ""})
    services.notify(skimmer.id, "approved", "event:10", {"job": "記事", "comment": ""})
    services.mark_read(skimmer, first.id)
    db.session.commit()
    ids = [reader.id, skimmer.id, newcomer.id]
    db.session.close()
    downgrade(revision="0018")
    columns = {c["name"] for c in sa.inspect(db.engine).get_columns("person")}
    assert "unread_notifications" not in columns

    upgrade()

    counts = db.session.execute(
        sa.select(Person.unread_notifications).where(Person.id.in_(ids)).order_by(Person.id)
    ).scalars()
    assert list(counts) == [3, 1, 0]
