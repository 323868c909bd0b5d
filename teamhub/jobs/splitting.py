"""Splitting a job into assignments: capacity, skills, reliability, a suggestion, and the save."""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

import sqlalchemy as sa
from flask_babel import gettext as _

from teamhub.assignments import lifecycle, reliability, terms
from teamhub.assignments.models import ACTIVE_STATES, Assignment
from teamhub.assignments.reliability import Reliability
from teamhub.auth.models import Person
from teamhub.clock import JST, UTCDateTime, days_between, today_jst
from teamhub.database import read_records, sql_constant
from teamhub.errors import Conflict, Invalid
from teamhub.extensions import db
from teamhub.jobs.models import Job
from teamhub.skills import PersonSkill
from teamhub.teams.models import Absence, Membership
from teamhub.teams.queries import roster_order

# Assignments whose units and terms the split page may still change.
EDITABLE_STATES = ("offered", "accepted", "in_progress")


class Candidate(NamedTuple):
    """A member as the director sees them when splitting a job (a tuple: the page builds one
    per member of the team on every visit)."""

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


def _window(job: Job, today: date) -> tuple[date, int]:
    last_day = job.due_at.astimezone(JST).date()
    return last_day, max(1, (last_day - today).days + 1)


def _active_members() -> sa.Select:
    return sa.select(Membership.id).where(
        Membership.team_id == sa.bindparam("team_id"), Membership.removed_at.is_(None)
    )


@functools.cache
def _team_statement() -> sa.Select:
    """Built once: each active member with their name, declared capacity and skills, the units
    they already owe on other jobs due by this job's deadline, and their reliability figures,
    all added up in SQL (one row per member, whatever their history)."""
    a = Assignment
    owed = sa.and_(
        a.state.in_([sql_constant(state) for state in ACTIVE_STATES]),
        a.job_id != sa.bindparam("job_id"),
        a.due_at <= sa.bindparam("job_due_at", type_=UTCDateTime()),
    )
    work = (
        sa.select(
            a.membership_id,
            sa.func.coalesce(
                sa.func.sum(sa.case((owed, a.units), else_=sql_constant(0))), sql_constant(0)
            ).label("owed"),
            *reliability.totals(),
        )
        .where(a.membership_id.in_(_active_members()))
        .group_by(a.membership_id)
        .subquery()
    )
    skills = (
        sa.select(sa.func.aggregate_strings(PersonSkill.skill, sql_constant(",")))
        .where(PersonSkill.person_id == Membership.person_id)
        .scalar_subquery()
    )
    # Days away between today and the job's last day, both included (through the member's
    # absences, on ix_absence_membership_id).
    today, last_day = (
        sa.bindparam("today", type_=sa.Date()),
        sa.bindparam("last_day", type_=sa.Date()),
    )
    start = sa.case((Absence.starts_on > today, Absence.starts_on), else_=today)
    end = sa.case((Absence.ends_on < last_day, Absence.ends_on), else_=last_day)
    away = (
        sa.select(sa.func.coalesce(sa.func.sum(days_between(start, end) + 1), sql_constant(0)))
        .where(
            Absence.membership_id == Membership.id,
            Absence.ends_on >= today,
            Absence.starts_on <= last_day,
        )
        .scalar_subquery()
    )
    return (
        sa.select(
            Membership.id,
            Person.display_name,
            Membership.weekly_units,
            skills.label("skills"),
            away.label("days_away"),
            *(c for c in work.c if c.name != "membership_id"),
        )
        .join(Person, Person.id == Membership.person_id)
        .outerjoin(work, work.c.membership_id == Membership.id)
        .where(Membership.team_id == sa.bindparam("team_id"), Membership.removed_at.is_(None))
        .order_by(roster_order(), Membership.joined_at, Membership.id)
    )


def candidates(job: Job, today: date | None = None) -> list[Candidate]:
    """Every active member with capacity left in the job's window, skills and reliability."""
    today = today or today_jst()
    last_day, window_days = _window(job, today)
    rows = read_records(
        _team_statement(),
        {
            "team_id": job.team_id,
            "job_id": job.id,
            "job_due_at": job.due_at,
            "today": today,
            "last_day": last_day,
            **reliability.parameters(),
        },
    )
    result = []
    for row in rows:
        away = min(window_days, int(row.days_away))
        weekly = row.weekly_units
        capacity = None if weekly is None else weekly * (window_days - away) // 7
        held = tuple(sorted(set(row.skills.split(",")))) if row.skills else ()
        missing = tuple(s for s in job.required_skills if s not in held)
        result.append(
            Candidate(
                row.id,
                row.display_name,
                capacity,
                int(row.owed or 0),
                held,
                missing,
                reliability.from_totals(row),
                away,
            )
        )
    return result


def _score(candidate: Candidate) -> tuple:
    r = candidate.reliability
    completion = r.completion.percent if r.completion.percent is not None else 100
    on_time = r.on_time.percent if r.on_time.percent is not None else 100
    return (-(completion + on_time), -candidate.room, candidate.membership_id)


def suggest(units: int, pool: list[Candidate]) -> dict[int, int]:
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


@dataclass
class SplitLine:
    """One row of the split form: an existing assignment (``assignment_id``) or a new offer."""

    membership_id: int
    units: int
    due_at: datetime
    pay_basis: str = "units"
    fixed_yen: int | None = None
    part_description: str = ""
    override_reason: str = ""
    assignment_id: int | None = None
    remove: bool = False


@dataclass
class SplitResult:
    created: list[Assignment] = field(default_factory=list)
    changed: list[Assignment] = field(default_factory=list)
    removed: list[Assignment] = field(default_factory=list)


# Delivered or approved work: the split can no longer change these assignments' units.
LOCKED_STATES = ("submitted", "changes_requested", "approved")


def units_locked(job: Job) -> int:
    """Units in assignments the split can no longer change (delivered or approved work)."""
    return db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(Assignment.units), 0)).where(
            Assignment.job_id == job.id, Assignment.state.in_(LOCKED_STATES)
        )
    )


def locked_units_of(assignments) -> int:
    """:func:`units_locked` for assignments already loaded (objects or rows)."""
    return sum(a.units for a in assignments if a.state in LOCKED_STATES)


def _claim_version(job: Job, expected_version: int) -> None:
    """Optimistic lock: only the save that read the current version may write."""
    claimed = db.session.execute(
        sa.update(Job)
        .where(Job.id == job.id, Job.split_version == expected_version)
        .values(split_version=expected_version + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise Conflict(
            _(
                "Another director saved this split while you were editing it. Nothing of yours "
                "was saved: reload the page to see their version, then make your changes again."
            )
        )
    db.session.refresh(job, ["split_version"])


def _line_problems(line: SplitLine, job: Job, members: set[int]) -> dict[str, str]:
    problems = {}
    if line.assignment_id is None and line.membership_id not in members:
        problems["membership_id"] = _("Choose a member of this team.")
    if line.units < 0:
        problems["units"] = _("Units cannot be negative.")
    elif line.units == 0 and not line.part_description.strip():
        problems["units"] = _("Give a number of units, or describe the part of the work.")
    if line.pay_basis not in ("units", "fixed"):
        problems["pay_basis"] = _("Choose how this part is paid.")
    elif line.pay_basis == "fixed" and not (line.fixed_yen or 0) > 0:
        problems["fixed_yen"] = _("Enter the fixed amount in whole yen.")
    if line.due_at > job.due_at:
        problems["due_at"] = _("The due date must be on or before the job's deadline.")
    return problems


def _capacity_problems(lines: list[SplitLine], pool: dict[int, Candidate]) -> dict[int, str]:
    """Rows that need an explicit override: over capacity, or a required skill missing."""
    per_member: dict[int, int] = defaultdict(int)
    for line in lines:
        per_member[line.membership_id] += line.units
    problems = {}
    for index, line in enumerate(lines):
        candidate = pool.get(line.membership_id)
        if candidate is None or line.override_reason.strip():
            continue
        if candidate.missing_skills:
            problems[index] = _("Lacks a required skill: give a reason to assign anyway.")
        elif per_member[line.membership_id] > candidate.room:
            problems[index] = _(
                "Over capacity (%(room)d units left before the deadline): give a reason to "
                "assign anyway.",
                room=candidate.room,
            )
    return problems


def _validate(
    job: Job, lines: list[SplitLine], kept_units: int, pool: dict[int, Candidate]
) -> None:
    members = set(pool)
    reasons: dict[str, str] = {}
    for index, line in enumerate(lines):
        if not line.remove:
            for name, message in _line_problems(line, job, members).items():
                reasons[f"rows.{index}.{name}"] = message
    live = [line for line in lines if not line.remove]
    for index, message in _capacity_problems(live, pool).items():
        reasons[f"rows.{lines.index(live[index])}.override_reason"] = message
    assigned = sum(line.units for line in live) + units_locked(job) + max(kept_units, 0)
    if kept_units < 0:
        reasons["kept_units"] = _("Units cannot be negative.")
    elif assigned > job.unit_count:
        reasons["kept_units"] = _(
            "This split gives out %(assigned)d units but the job has only %(total)d.",
            assigned=assigned,
            total=job.unit_count,
        )
    if reasons:
        raise Invalid(_("The split was not saved. Please correct the marked rows."), reasons)


def _offer(job: Job, line: SplitLine, director: Membership, member: Membership) -> Assignment:
    assignment = Assignment(
        team_id=job.team_id,
        job_id=job.id,
        membership_id=member.id,
        state="offered",
    )
    _fill(assignment, line)
    db.session.add(assignment)
    db.session.flush()
    lifecycle.record_offer(assignment, director.person_id)
    terms.issue(assignment, terms.build_terms(assignment, job, job.team, member, director.person))
    return assignment


def _fill(assignment: Assignment, line: SplitLine) -> None:
    assignment.units = line.units
    assignment.due_at = line.due_at
    assignment.pay_basis = line.pay_basis
    assignment.fixed_yen = line.fixed_yen if line.pay_basis == "fixed" else None
    assignment.part_description = line.part_description.strip()
    assignment.override_reason = line.override_reason.strip()


def _check_job_can_split(job: Job, director: Membership) -> None:
    if not director.is_director or director.team_id != job.team_id:
        raise Conflict(_("Only the team's directors can split a job."))
    if not job.is_open:
        raise Conflict(_("This job was cancelled and cannot be split."))
    if not job.scam_cleared:
        raise Conflict(
            _("The scam guard flagged this job. Read the reasons and acknowledge them first.")
        )


def _members_by_id(ids: set[int]) -> dict[int, Membership]:
    if not ids:
        return {}
    members = db.session.scalars(
        sa.select(Membership)
        .where(Membership.id.in_(ids))
        .options(sa.orm.joinedload(Membership.person, innerjoin=True))
    )
    return {m.id: m for m in members}


def save_split(
    job: Job, director: Membership, lines: list[SplitLine], kept_units: int, expected_version: int
) -> SplitResult:
    """Save the split: new offers, changed terms, withdrawn parts, all or nothing."""
    _check_job_can_split(job, director)
    _claim_version(job, expected_version)
    pool = {c.membership_id: c for c in candidates(job)}
    editable = {
        a.id: a
        for a in db.session.scalars(
            sa.select(Assignment).where(
                Assignment.job_id == job.id, Assignment.state.in_(EDITABLE_STATES)
            )
        )
    }
    for line in lines:
        if line.assignment_id is not None and line.assignment_id not in editable:
            raise Conflict(_("An assignment on this page changed meanwhile. Reload the page."))
        if line.assignment_id is not None:
            line.membership_id = editable[line.assignment_id].membership_id
    _validate(job, lines, kept_units, pool)
    offered_to = _members_by_id(
        {line.membership_id for line in lines if line.assignment_id is None}
    )
    result = SplitResult()
    for line in lines:
        if line.assignment_id is None:
            member = offered_to[line.membership_id]
            result.created.append(_offer(job, line, director, member))
            continue
        assignment = editable[line.assignment_id]
        if line.remove:
            lifecycle.cancel(assignment, director, _("Removed from the split."))
            result.removed.append(assignment)
            continue
        _fill(assignment, line)
        member = assignment.membership
        notice = terms.issue(
            assignment, terms.build_terms(assignment, job, job.team, member, director.person)
        )
        if notice.accepted_at is None and assignment.state != "offered":
            result.changed.append(assignment)
    job.kept_units = kept_units
    db.session.flush()
    return result
