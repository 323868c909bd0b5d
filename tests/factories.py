"""Factory pairs for tests: ``make_*`` with overrides, and ready-made team set-ups."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import sqlalchemy as sa

from teamhub.auth.models import Person
from teamhub.auth.passwords import hash_password
from teamhub.extensions import db
from teamhub.teams.models import Membership, Team

TEST_PASSWORD = "correct-horse-battery"
_counter = itertools.count(1)


@dataclass(frozen=True)
class Ref:
    """Plain ids and names of a saved row, safe to use after its session is gone."""

    id: int
    email: str = ""
    slug: str = ""

    @classmethod
    def of(cls, row) -> Ref:
        return cls(id=row.id, email=getattr(row, "email", ""), slug=getattr(row, "slug", ""))


def make_person(**overrides) -> Person:
    n = next(_counter)
    fields = {
        "email": f"person{n}@example.jp",
        "display_name": f"山田 花子{n}",
        "password_hash": hash_password(overrides.pop("password", TEST_PASSWORD)),
        "locale": "ja",
    }
    fields.update(overrides)
    person = Person(**fields)
    db.session.add(person)
    db.session.flush()
    return person


def make_team(director: Person | None = None, **overrides) -> Team:
    n = next(_counter)
    fields = {
        "name": f"テストチーム{n}",
        "slug": f"team-{n}",
        "prefecture": "鹿児島県",
        "municipality": "奄美市",
        "payer_type": "individual",
        "fee_rate_bp": 1000,
    }
    fields.update(overrides)
    team = Team(**fields)
    db.session.add(team)
    db.session.add(Membership(team=team, person=director or make_person(), role="director"))
    db.session.flush()
    return team


def add_member(team: Team, person: Person | None = None, role: str = "member") -> Membership:
    membership = Membership(team=team, person=person or make_person(), role=role)
    db.session.add(membership)
    db.session.flush()
    return membership


@dataclass(frozen=True)
class TeamRoles:
    team: Ref
    director: Ref
    editor: Ref
    member: Ref
    director_membership: int
    editor_membership: int
    member_membership: int


def team_with_roles(**team_overrides) -> TeamRoles:
    director = make_person()
    team = make_team(director, **team_overrides)
    editor = add_member(team, role="editor")
    member = add_member(team, role="member")
    director_membership = db.session.scalar(
        db.select(Membership.id).where(
            Membership.team_id == team.id, Membership.person_id == director.id
        )
    )
    return TeamRoles(
        team=Ref.of(team),
        director=Ref.of(director),
        editor=Ref.of(editor.person),
        member=Ref.of(member.person),
        director_membership=director_membership,
        editor_membership=editor.id,
        member_membership=member.id,
    )


def make_job(team: Team, director: Person | None = None, **overrides):
    """A CrowdWorks writing job for 40 articles due in two weeks, escrow not yet confirmed."""
    from datetime import timedelta

    from teamhub.clock import utcnow
    from teamhub.jobs.models import Job

    fields = {
        "title": "観光記事 40本",
        "client_name": "株式会社しまツアー",
        "source": "crowdworks",
        "format": "project",
        "category": "writing",
        "description": "奄美大島の観光スポット紹介記事",
        "contract_yen": 120_000,
        "tax_yen": 12_000,
        "unit_name": "記事（3,000字）",
        "unit_count": 40,
        "due_at": utcnow() + timedelta(days=14),
        "required_skills": [],
        "scam_reasons": [],
        "created_by_id": (director or make_person()).id,
    }
    fields.update(overrides)
    job = Job(team=team, **fields)
    db.session.add(job)
    db.session.flush()
    return job


def give_capacity(membership: Membership, weekly_units: int = 10) -> Membership:
    membership.weekly_units = weekly_units
    membership.weekly_hours = 20
    db.session.flush()
    return membership


def team_with_everything():
    """A team with every kind of record a route can name; returns (TeamRoles, TeamIds).

    The member has an assignment on a direct job, delivered as a file, waiting for review.
    """
    from datetime import date

    from teamhub.assignments import lifecycle
    from teamhub.assignments import services as assignment_services
    from teamhub.jobs import splitting
    from teamhub.notifications.models import Notification
    from teamhub.teams import services as team_services
    from tests.routes import TeamIds

    roles = team_with_roles()
    team = db.session.get(Team, roles.team.id)
    director_person = db.session.get(Person, roles.director.id)
    director = db.session.get(Membership, roles.director_membership)
    member = give_capacity(db.session.get(Membership, roles.member_membership))
    invitation, _token = team_services.invite(team, director_person)
    absence = team_services.add_absence(member, date(2026, 12, 1), date(2026, 12, 2))
    job = make_job(team, director_person, source="direct")
    line = splitting.SplitLine(membership_id=member.id, units=4, due_at=job.due_at)
    [assignment] = splitting.save_split(job, director, [line], 0, 0).created
    lifecycle.accept(assignment, member)
    lifecycle.start(assignment, member)
    submission = assignment_services.submit_work(
        assignment, member, file_name="draft.txt", file_data="下書き".encode()
    )
    close = closed_month(team, director_person, member)
    notification_id = db.session.scalar(
        sa.select(sa.func.max(Notification.id)).where(Notification.person_id == director_person.id)
    )
    ids = TeamIds(
        roles.team.slug,
        roles.member_membership,
        invitation.id,
        absence.id,
        job.id,
        assignment.id,
        submission.id,
        close.id,
        notification_id,
    )
    return roles, ids


def closed_month(
    team: Team, director: Person | None, member: Membership, received_yen: int = 30_000,
    period_end=None,
):  # fmt: skip
    """A closed month (October 2026 unless told): a direct job the member delivered 3 units of."""
    from datetime import UTC, date, datetime, timedelta

    from teamhub.payouts import services as payout_services

    period_end = period_end or date(2026, 10, 31)
    contract = max(120_000, received_yen)
    job = make_job(team, director, source="direct", title=f"{period_end:%m}月の記事", unit_count=3,
                   contract_yen=contract, tax_yen=contract // 10)  # fmt: skip
    delivered = datetime(period_end.year, period_end.month, 5, 1, 0, tzinfo=UTC)
    approved_assignment(job, member.id, delivered, units=3)
    payout_services.record_receipt(job, received_yen, period_end - timedelta(days=3))
    return payout_services.confirm_close(team, period_end, director)


def approved_assignment(job, membership_id: int, delivered_at, units: int = 0, fixed_yen=None):
    """Work delivered at ``delivered_at`` and approved, ready to be paid out (no history walk)."""
    from teamhub.assignments.models import Assignment

    assignment = Assignment(
        team_id=job.team_id, job_id=job.id, membership_id=membership_id, units=units,
        state="approved", pay_basis="fixed" if fixed_yen else "units", fixed_yen=fixed_yen,
        due_at=job.due_at, answered_at=delivered_at, first_submitted_at=delivered_at,
        approved_at=delivered_at,
    )  # fmt: skip
    db.session.add(assignment)
    db.session.flush()
    return assignment


def history_values(drawn: dict, now) -> dict:
    """An assignment's recorded history from a drawn example (state, age of the offer, answer
    and delivery delays or None, revisions), its deadline three days after the offer."""
    from datetime import timedelta

    offered_at = now - drawn["age"]
    due_at = offered_at + timedelta(days=3)
    return {
        "state": drawn["state"],
        "offered_at": offered_at,
        "answered_at": None if drawn["answer"] is None else offered_at + drawn["answer"],
        "due_at": due_at,
        "first_submitted_at": None if drawn["delivered"] is None else due_at + drawn["delivered"],
        "revision_count": drawn["revision_count"],
    }
