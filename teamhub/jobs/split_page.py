"""What the split page reads and suggests: the job, its assignments, and each active member of
the team as a candidate (capacity left before the deadline, skills, reliability)."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from teamhub.assignments.models import ACTIVE_STATES, Assignment
from teamhub.assignments.reliability import Reliability, reliability_for
from teamhub.auth.models import Person
from teamhub.clock import JST, days_between, today_jst
from teamhub.extensions import db
from teamhub.jobs.models import Job
from teamhub.jobs.queries import team_job
from teamhub.skills import PersonSkill
from teamhub.teams.models import Absence, Membership, Team
from teamhub.teams.queries import roster_order

# Assignments whose units and terms the split page may still change.
EDITABLE_STATES = ("offered", "accepted", "in_progress")
# Delivered or approved work: the split can no longer change these assignments' units.
LOCKED_STATES = ("submitted", "changes_requested", "approved")


@dataclass(frozen=True)
class Candidate:
    """A member as the director sees them when splitting a job."""

    membership_id: int
    name: str
    capacity: int | None  # units they can do before the job's deadline; None: not declared
    committed: int  # units already owed on other jobs due by then
    skills: tuple[str, ...]  # sorted
    missing_skills: tuple[str, ...]
    reliability: Reliability
    days_away: int

    @property
    def room(self) -> int:
        return max(0, (self.capacity or 0) - self.committed)

    @property
    def eligible(self) -> bool:
        return not self.missing_skills and self.room > 0


@dataclass
class SplitPage:
    """The job, its assignments (soonest due first) and the team's candidates."""

    job: Job
    assignments: list[Assignment]
    candidates: list[Candidate]

    @property
    def editable(self) -> list[Assignment]:
        """The offers the split may still change or withdraw."""
        return [a for a in self.assignments if a.state in EDITABLE_STATES]

    @property
    def offers(self) -> dict[int, Assignment]:
        """The job's assignments by id."""
        return {a.id: a for a in self.assignments}

    @property
    def locked_units(self) -> int:
        return sum(a.units for a in self.assignments if a.state in LOCKED_STATES)

    @property
    def units_left(self) -> int:
        """Units neither kept, delivered nor in an offer still open."""
        given = self.locked_units + sum(a.units for a in self.editable)
        return self.job.unit_count - self.job.kept_units - given


def read_split_page(team: Team, job_id: int, today: date | None = None) -> SplitPage:
    """A job of the team (404 otherwise), its assignments and the team's candidates for it."""
    job = team_job(team, job_id)
    assignments = db.session.scalars(
        sa.select(Assignment)
        .where(Assignment.job_id == job.id)
        .options(joinedload(Assignment.membership).joinedload(Membership.person))
        .order_by(Assignment.due_at, Assignment.id)
    ).all()
    return SplitPage(job, list(assignments), candidates(job, today))


def candidates(job: Job, today: date | None = None) -> list[Candidate]:
    """Every active member with capacity left in the job's window, skills and reliability."""
    today = today or today_jst()
    rows = db.session.execute(_members(job, today)).all()
    reliability = reliability_for([row.id for row in rows])
    window = _window_days(job, today)
    return [_candidate(row, window, job.required_skills, reliability[row.id]) for row in rows]


def _window_days(job: Job, today: date) -> int:
    """Days from today to the job's last day in Japan, both included (at least one)."""
    return max(1, (_last_day(job) - today).days + 1)


def _last_day(job: Job) -> date:
    return job.due_at.astimezone(JST).date()


def _members(job: Job, today: date) -> sa.Select:
    """The team's active members, directors first: name, declared capacity, skills, days away
    and units owed."""
    return (
        sa.select(
            Membership.id,
            Person.display_name,
            Membership.weekly_units,
            _skills().label("skills"),
            _days_away(job, today).label("days_away"),
            _owed(job).label("owed"),
        )
        .join(Person, Person.id == Membership.person_id)
        .where(Membership.team_id == job.team_id, Membership.removed_at.is_(None))
        .order_by(roster_order(), Membership.joined_at, Membership.id)
    )


def _skills() -> sa.ScalarSelect:
    return (
        sa.select(sa.func.aggregate_strings(PersonSkill.skill, ","))
        .where(PersonSkill.person_id == Membership.person_id)
        .scalar_subquery()
    )


def _owed(job: Job) -> sa.ScalarSelect:
    """Units the member already owes on other jobs due by this job's deadline."""
    a = Assignment
    return (
        sa.select(sa.func.coalesce(sa.func.sum(a.units), 0))
        .where(
            a.membership_id == Membership.id,
            a.state.in_(ACTIVE_STATES),
            a.due_at <= job.due_at,
            a.job_id != job.id,
        )
        .scalar_subquery()
    )


def _days_away(job: Job, today: date) -> sa.ScalarSelect:
    """Days the member is away from today to the job's last day in Japan, both included."""
    last_day = _last_day(job)
    start = sa.case((Absence.starts_on > today, Absence.starts_on), else_=today)
    end = sa.case((Absence.ends_on < last_day, Absence.ends_on), else_=last_day)
    return (
        sa.select(sa.func.coalesce(sa.func.sum(days_between(start, end) + 1), 0))
        .where(
            Absence.membership_id == Membership.id,
            Absence.ends_on >= today,
            Absence.starts_on <= last_day,
        )
        .scalar_subquery()
    )


def _candidate(row, window: int, required: list[str], reliability: Reliability) -> Candidate:
    away = min(window, int(row.days_away))
    weekly = row.weekly_units
    held = tuple(sorted(set(row.skills.split(",")))) if row.skills else ()
    return Candidate(
        membership_id=row.id,
        name=row.display_name,
        capacity=None if weekly is None else weekly * (window - away) // 7,
        committed=int(row.owed),
        skills=held,
        missing_skills=tuple(s for s in required or () if s not in held),
        reliability=reliability,
        days_away=away,
    )


def _score(candidate: Candidate) -> tuple:
    r = candidate.reliability
    completion = r.completion.percent if r.completion.percent is not None else 100
    on_time = r.on_time.percent if r.on_time.percent is not None else 100
    return (-(completion + on_time), -candidate.room, candidate.membership_id)


def suggest(units: int, pool: Sequence[Candidate]) -> dict[int, int]:
    """Spread ``units`` evenly over eligible members, most reliable first, within their room."""
    eligible = sorted((c for c in pool if c.eligible), key=_score)
    given: dict[int, int] = defaultdict(int)
    remaining = units
    while remaining > 0 and eligible:
        chunk = math.ceil(remaining / len(eligible))
        for candidate in eligible:
            take = min(chunk, candidate.room - given[candidate.membership_id], remaining)
            given[candidate.membership_id] += take
            remaining -= take
        eligible = [c for c in eligible if c.room > given[c.membership_id]]
    return {mid: n for mid, n in given.items() if n > 0}


class Suggestion(NamedTuple):
    units: dict[int, int]  # membership id: units
    why_none: str  # what the director is told when it gives no one anything


def suggestion(page: SplitPage) -> Suggestion:
    """A split of the units still left, with the reason when it gives no one anything."""
    left = page.units_left
    units = suggest(max(0, left), page.candidates)
    return Suggestion(units, "" if units else why_nothing_suggested(left, page.candidates))


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
