"""What the split page reads and suggests: the job, its assignments, and each active member of
the team as a candidate (capacity left before the deadline, skills, reliability)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import NamedTuple

import sqlalchemy as sa
from flask_babel import gettext as _

from teamhub.assignments import reliability
from teamhub.assignments.models import ACTIVE_STATES, Assignment
from teamhub.auth.models import Person
from teamhub.clock import JST, days_between, today_jst
from teamhub.extensions import db
from teamhub.jobs import suggesting
from teamhub.jobs.models import Job
from teamhub.jobs.queries import no_such_job
from teamhub.jobs.suggesting import Candidate
from teamhub.labels import label
from teamhub.skills import PersonSkill
from teamhub.teams.models import Absence, Membership, Team
from teamhub.teams.queries import roster_order

# Assignments whose units and terms the split page may still change.
EDITABLE_STATES = ("offered", "accepted", "in_progress")
# Delivered or approved work: the split can no longer change these assignments' units.
LOCKED_STATES = ("submitted", "changes_requested", "approved")


class Offer(NamedTuple):
    """An offer still open, or work delivered or approved, with its member's name: what the
    page shows of it."""

    id: int
    membership_id: int
    name: str
    state: str
    units: int
    part_description: str
    due_at: datetime
    pay_basis: str
    fixed_yen: int | None
    override_reason: str


@dataclass
class SplitPage:
    """The job, its assignments (soonest due first) and the team's candidates."""

    job: Job
    assignments: list[Offer]  # the offers still open and the work delivered or approved
    candidates: list[Candidate]

    @property
    def editable(self) -> list[Offer]:
        """The offers the split may still change or withdraw."""
        return [a for a in self.assignments if a.state in EDITABLE_STATES]

    @property
    def offers(self) -> dict[int, Offer]:
        """The job's assignments by id."""
        return {a.id: a for a in self.assignments}

    def standing(self, opened: Collection[int]) -> list[Offer]:
        """The offers still open that are not ``opened`` for change: a save leaves them as they
        are."""
        return [a for a in self.editable if a.id not in opened]

    @property
    def locked_units(self) -> int:
        return sum(a.units for a in self.assignments if a.state in LOCKED_STATES)

    @property
    def units_left(self) -> int:
        """Units neither kept, delivered nor in an offer still open."""
        given = self.locked_units + sum(a.units for a in self.editable)
        return self.job.unit_count - self.job.kept_units - given


@cache
def _job_and_offers() -> sa.Select:
    """The team's job with its offers still open and its delivered or approved work (declined,
    withdrawn and reassigned offers take no units), soonest due first; a job without them is
    one row without them (built once, at first use)."""
    shown = Assignment.state.in_(EDITABLE_STATES + LOCKED_STATES)
    return (
        sa.select(
            Job,
            Assignment.id,
            Assignment.membership_id,
            Person.display_name,
            Assignment.state,
            Assignment.units,
            Assignment.part_description,
            Assignment.due_at,
            Assignment.pay_basis,
            Assignment.fixed_yen,
            Assignment.override_reason,
        )
        .outerjoin(Assignment, sa.and_(Assignment.job_id == Job.id, shown))
        .outerjoin(Membership, Membership.id == Assignment.membership_id)
        .outerjoin(Person, Person.id == Membership.person_id)
        .where(Job.id == sa.bindparam("job_id"), Job.team_id == sa.bindparam("team_id"))
        .order_by(Assignment.due_at, Assignment.id)
    )


def read_split_page(team: Team, job_id: int, today: date | None = None) -> SplitPage:
    """A job of the team (404 otherwise, as :func:`team_job`), its offers and work, and the
    team's candidates for it: the job and its offers in one statement."""
    found = db.session.execute(_job_and_offers(), {"job_id": job_id, "team_id": team.id}).all()
    if not found:
        raise no_such_job()
    job = found[0][0]
    offers = [Offer(*row[1:]) for row in found if row[1] is not None]
    return SplitPage(job, offers, candidates(job, today))


def candidates(job: Job, today: date | None = None) -> list[Candidate]:
    """Every active member with capacity left in the job's window, skills and reliability."""
    today = today or today_jst()
    last_day = _last_day(job)
    params = {
        "team_id": job.team_id,
        "job_id": job.id,
        "due_at": job.due_at,
        "today": today,
        "last_day": last_day,
        "window_start": reliability.window_start(),
    }
    window = max(1, (last_day - today).days + 1)  # today to the last day, both included
    required = job.required_skills or ()
    return [_candidate(row, window, required) for row in db.session.execute(_members(), params)]


def _last_day(job: Job) -> date:
    """The job's last day in Japan."""
    return job.due_at.astimezone(JST).date()


_TODAY = sa.bindparam("today", type_=sa.Date)
_LAST_DAY = sa.bindparam("last_day", type_=sa.Date)


def _skills() -> sa.ScalarSelect:
    return (
        sa.select(sa.func.aggregate_strings(PersonSkill.skill, ","))
        .where(PersonSkill.person_id == Membership.person_id)
        .scalar_subquery()
    )


def _days_away() -> sa.ScalarSelect:
    """Days the member is away from today to the job's last day in Japan, both included."""
    start = sa.case((Absence.starts_on > _TODAY, Absence.starts_on), else_=_TODAY)
    end = sa.case((Absence.ends_on < _LAST_DAY, Absence.ends_on), else_=_LAST_DAY)
    return (
        sa.select(sa.func.coalesce(sa.func.sum(days_between(start, end) + 1), 0))
        .where(
            Absence.membership_id == Membership.id,
            Absence.ends_on >= _TODAY,
            Absence.starts_on <= _LAST_DAY,
        )
        .scalar_subquery()
    )


def _owed() -> sa.ColumnElement[int]:
    """Units the member already owes on other jobs due by this job's deadline."""
    a = Assignment
    owed = sa.and_(
        a.state.in_(ACTIVE_STATES),
        a.due_at <= sa.bindparam("due_at"),
        a.job_id != sa.bindparam("job_id"),
    )
    return sa.func.sum(sa.case((owed, a.units), else_=0))


@cache
def _members() -> sa.Select:
    """The team's active members, directors first: name, declared capacity, skills, days away,
    units owed and the counts of their reliability, in one pass over each member's assignments
    (built once, at first use)."""
    return (
        sa.select(
            Membership.id,
            Person.display_name,
            Membership.weekly_units,
            _skills().label("skills"),
            _days_away().label("days_away"),
            _owed().label("owed"),
            *reliability.counts(),
        )
        .join(Person, Person.id == Membership.person_id)
        .outerjoin(Assignment, Assignment.membership_id == Membership.id)
        .where(Membership.team_id == sa.bindparam("team_id"), Membership.removed_at.is_(None))
        .group_by(Membership.id, Person.id)
        .order_by(roster_order(), Membership.joined_at, Membership.id)
    )


def _candidate(row: sa.Row, window: int, required: Sequence[str]) -> Candidate:
    membership_id, name, weekly, skills, days_away, owed, *counts = row
    away = min(window, int(days_away))
    held = tuple(sorted(set(skills.split(",")))) if skills else ()
    return Candidate(
        membership_id=membership_id,
        name=name,
        capacity=None if weekly is None else weekly * (window - away) // 7,
        committed=int(owed),
        skills=held,
        missing_skills=tuple(s for s in required if s not in held),
        reliability=reliability.from_counts(*counts),
        days_away=away,
    )


class Suggestion(NamedTuple):
    units: dict[int, int]  # membership id: units
    why_none: str  # what the director is told when it gives no one anything
    parts: list[suggesting.Part]  # each candidate's part and why (empty when none is given)


def suggestion(page: SplitPage) -> Suggestion:
    """A split of the units still left, with why each member got what (or why nobody did)."""
    left = page.units_left
    parts = suggesting.plan(left, page.candidates)
    units = {p.candidate.membership_id: p.units for p in parts if p.units > 0}
    if not units:
        return Suggestion(units, why_nothing_suggested(left, page.candidates), [])
    return Suggestion(units, "", parts)


def why_nothing_suggested(units_left: int, pool: Sequence[Candidate]) -> str:
    """What the director is told when a suggestion gives no one any units."""
    if units_left <= 0:
        return _(
            "Nothing to suggest: every unit of this job is already offered, delivered or kept."
        )
    if not any(c.eligible for c in pool):
        return _(
            "Nothing to suggest: no member has both the required skills and room before the "
            "deadline. Choose members yourself and give a reason to override."
        )
    return ""


def _record(candidate: Candidate) -> str:
    standing = candidate.standing
    if standing is None:
        return _("no record yet (counted at %(target)d%%)", target=suggesting.NEW_MEMBER_STANDING)
    return _("record %(percent)d%% (completion and on time)", percent=standing)


def explain(part: suggesting.Part) -> str:
    """Why the suggestion gave a member what it did, in the director's words."""
    c = part.candidate
    if part.why == suggesting.SHARE:
        return _(
            "Room for %(room)d units before the deadline; %(record)s.",
            room=c.room,
            record=_record(c),
        )
    if part.why == suggesting.OVER:
        return _(
            "%(over)d units over their room of %(room)d: the team has too little room before "
            "the deadline. Give a reason to assign anyway, or keep units yourself.",
            over=part.over_room,
            room=c.room,
        )
    if part.why == suggesting.RAN_OUT:
        return _(
            "Room for %(room)d units; the units went to members with more room or a steadier "
            "record.",
            room=c.room,
        )
    if part.why == suggesting.LACKS_SKILLS:
        return _("Lacks a required skill: %(skills)s.", skills=_skill_names(c.missing_skills))
    if part.why == suggesting.NOT_DECLARED:
        return _("Has not declared how much they can take on.")
    return _("No room before the deadline (%(owed)d units owed on other jobs).", owed=c.committed)


def _skill_names(skills: Sequence[str]) -> str:
    return " / ".join(str(label("skill", s)) for s in skills)
