"""Splitting a job into assignments: capacity, skills, reliability, a suggestion, and the save."""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

import sqlalchemy as sa
from flask_babel import gettext as _

from teamhub.assignments import lifecycle, reliability, terms
from teamhub.assignments.models import ACTIVE_STATES, Assignment, MemberReliability
from teamhub.assignments.reliability import Reliability
from teamhub.auth.models import Person
from teamhub.clock import JST, days_between, jst_date, today_jst
from teamhub.database import RowKinds, read_rows, sql_constant
from teamhub.errors import Conflict, Invalid
from teamhub.extensions import db
from teamhub.jobs.models import Job, escrow_ready, scam_cleared
from teamhub.jobs.queries import SPLIT_COLUMNS, no_such_job
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


class SplitJob(NamedTuple):
    """What the split page shows and reads of its job (read with the team in one query)."""

    id: int
    team_id: int
    title: str
    unit_name: str
    unit_count: int
    due_at: datetime
    split_version: int
    kept_units: int
    required_skills: list[str]
    scam_cleared: bool
    escrow_ready: bool


class SplitReading(NamedTuple):
    """The split page's reading of a job: the job, its assignments (records of
    ``SPLIT_COLUMNS``, soonest due first) and the team's members as candidates."""

    job: SplitJob
    assignments: list
    pool: tuple[Candidate, ...]


def _window_days(job: Job | SplitJob, today: date) -> int:
    """Days from today to the job's last day in Japan, both included (at least one)."""
    return max(1, (job.due_at.astimezone(JST).date() - today).days + 1)


def _job_values() -> dict[str, sa.ColumnElement]:
    return {
        "job_id": Job.id,
        "title": Job.title,
        "unit_name": Job.unit_name,
        "unit_count": Job.unit_count,
        "job_due_at": Job.due_at,
        "split_version": Job.split_version,
        "kept_units": Job.kept_units,
        "required_skills": Job.required_skills,
        "scam_reasons": Job.scam_reasons,
        "scam_acknowledged_at": Job.scam_acknowledged_at,
        "source": Job.source,
        "escrow_confirmed_at": Job.escrow_confirmed_at,
    }


def _job_due_at() -> sa.ScalarSelect:
    """The job's deadline, read once by the database for all the members' rows."""
    return sa.select(Job.due_at).where(Job.id == sa.bindparam("job_id")).scalar_subquery()


def _owed() -> sa.ScalarSelect:
    """Units the member already owes on other jobs due by this job's deadline (through
    ix_assignment_owed: the active assignments only, by member and deadline)."""
    a = Assignment
    return (
        sa.select(sa.func.coalesce(sa.func.sum(a.units), sql_constant(0)))
        .where(
            a.membership_id == Membership.id,
            a.state.in_([sql_constant(state) for state in ACTIVE_STATES]),
            a.due_at <= _job_due_at(),
            a.job_id != sa.bindparam("job_id"),
        )
        .scalar_subquery()
    )


def _days_away() -> sa.ScalarSelect:
    """Days the member is away between today and the job's last day in Japan, both included
    (through the member's absences, on ix_absence_membership_id)."""
    today, last_day = sa.bindparam("today", type_=sa.Date()), jst_date(_job_due_at())
    start = sa.case((Absence.starts_on > today, Absence.starts_on), else_=today)
    end = sa.case((Absence.ends_on < last_day, Absence.ends_on), else_=last_day)
    return (
        sa.select(
            sa.func.coalesce(
                sa.func.sum(days_between(start, end) + sql_constant(1)), sql_constant(0)
            )
        )
        .where(
            Absence.membership_id == Membership.id,
            Absence.ends_on >= today,
            Absence.starts_on <= last_day,
        )
        .scalar_subquery()
    )


def _member_values() -> dict[str, sa.ColumnElement]:
    """Each active member's name, declared capacity, skills, days away and units owed, with
    their reliability counts (kept by the database: ``MemberReliability``, outer-joined by
    :func:`_member_rows`)."""
    skills = (
        sa.select(sa.func.aggregate_strings(PersonSkill.skill, sql_constant(",")))
        .where(PersonSkill.person_id == Membership.person_id)
        .scalar_subquery()
    )
    return {
        "member_id": Membership.id,
        "display_name": Person.display_name,
        "weekly_units": Membership.weekly_units,
        "skills": skills,
        "days_away": _days_away(),
        "owed": _owed(),
        **{c.name: c for c in reliability.summary_totals(Membership.id)},
    }


def _assignment_values() -> dict[str, sa.ColumnElement]:
    return {c.key: c for c in SPLIT_COLUMNS}


@functools.cache
def _kinds() -> RowKinds:
    """The split page's reading: "job" (one row), "assignment" (the job's, ``SPLIT_COLUMNS``)
    and "member" (the team's active members)."""
    return RowKinds(job=_job_values(), assignment=_assignment_values(), member=_member_values())


def _job_rows() -> sa.Select:
    return sa.select(*_kinds().select_list("job", sql_constant(0))).where(
        Job.id == sa.bindparam("job_id"), Job.team_id == sa.bindparam("team_id")
    )


def _assignment_rows() -> sa.Select:
    """The job's assignments, soonest due first, when the job is the team's (on the job's
    key and ix_assignment_job_state)."""
    a = Assignment
    order = sa.func.row_number().over(order_by=(a.due_at, a.id))
    return (
        sa.select(*_kinds().select_list("assignment", order))
        .join(Job, Job.id == a.job_id)
        .where(a.job_id == sa.bindparam("job_id"), Job.team_id == sa.bindparam("team_id"))
    )


def _member_rows() -> sa.Select:
    order = sa.func.row_number().over(
        order_by=(roster_order(), Membership.joined_at, Membership.id)
    )
    return (
        sa.select(*_kinds().select_list("member", order))
        .join(Person, Person.id == Membership.person_id)
        .outerjoin(MemberReliability, MemberReliability.membership_id == Membership.id)
        .where(Membership.team_id == sa.bindparam("team_id"), Membership.removed_at.is_(None))
    )


@functools.cache
def _reading_statement(with_job: bool) -> sa.CompoundSelect:
    """Built once: the team's members, with the job and its assignments when ``with_job`` (the
    page's visit: one round trip instead of two)."""
    if not with_job:
        return _member_rows()
    return sa.union_all(_job_rows(), _assignment_rows(), _member_rows())


def _read(job_id: int, team_id: int, today: date, with_job: bool) -> dict[str, list]:
    rows = read_rows(
        _reading_statement(with_job),
        {"team_id": team_id, "job_id": job_id, "today": today, **reliability.parameters()},
    )
    return _kinds().sorted_out(rows)


def split_reading(team_id: int, job_id: int, today: date | None = None) -> SplitReading:
    """A job of the team (404 otherwise), its assignments and the team's candidates for it,
    in one query."""
    today = today or today_jst()
    rows = _read(job_id, team_id, today, with_job=True)
    if not rows["job"]:
        raise no_such_job()
    job = _split_job(team_id, rows["job"][0])
    return SplitReading(
        job,
        rows["assignment"],
        _candidates_from(job, rows["member"], today),
    )


def candidates(job: Job, today: date | None = None) -> tuple[Candidate, ...]:
    """Every active member with capacity left in the job's window, skills and reliability."""
    today = today or today_jst()
    rows = _read(job.id, job.team_id, today, with_job=False)
    return _candidates_from(job, rows["member"], today)


def _split_job(team_id: int, row) -> SplitJob:
    return SplitJob(
        id=row.job_id,
        team_id=team_id,
        title=row.title,
        unit_name=row.unit_name,
        unit_count=row.unit_count,
        due_at=row.job_due_at,
        split_version=row.split_version,
        kept_units=row.kept_units,
        required_skills=row.required_skills or [],
        scam_cleared=scam_cleared(row.scam_reasons, row.scam_acknowledged_at),
        escrow_ready=escrow_ready(row.source, row.escrow_confirmed_at),
    )


def _candidates_from(job: Job | SplitJob, members: list, today: date) -> tuple[Candidate, ...]:
    return _pool(_window_days(job, today), tuple(job.required_skills), tuple(members))


@functools.lru_cache(maxsize=256)
def _pool(window_days: int, required_skills: tuple[str, ...], members: tuple) -> tuple:
    """The candidates the members' rows give, kept by what they are made of (the rows are read
    on every visit): a visit whose figures are those of an earlier one gets the same tuple,
    which the team table's kept section (``split_team_table``) then finds without comparing
    25 members' figures one by one."""
    result = []
    for row in members:
        away = min(window_days, int(row.days_away))
        weekly = row.weekly_units
        capacity = None if weekly is None else weekly * (window_days - away) // 7
        held = tuple(sorted(set(row.skills.split(",")))) if row.skills else ()
        missing = tuple(s for s in required_skills if s not in held)
        result.append(
            Candidate(
                row.member_id,
                row.display_name,
                capacity,
                int(row.owed or 0),
                held,
                missing,
                reliability.from_totals(row),
                away,
            )
        )
    return tuple(result)


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
