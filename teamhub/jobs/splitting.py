"""Saving a split: each row checked against the job and the team's candidates, then offers
made, changed or withdrawn, all or nothing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm import joinedload

from teamhub.assignments import lifecycle, terms
from teamhub.assignments.models import Assignment
from teamhub.claims import claim
from teamhub.errors import Conflict, Invalid
from teamhub.extensions import db
from teamhub.jobs.models import Job
from teamhub.jobs.split_page import EDITABLE_STATES, LOCKED_STATES, Candidate, candidates
from teamhub.teams.models import Membership


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


def units_locked(job: Job) -> int:
    """Units in assignments the split can no longer change (delivered or approved work)."""
    return db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(Assignment.units), 0)).where(
            Assignment.job_id == job.id, Assignment.state.in_(LOCKED_STATES)
        )
    )


def _claim_version(job: Job, expected_version: int) -> None:
    """Optimistic lock: only the save that read the current version may write."""
    if not claim(job, {"split_version": expected_version}, {"split_version": expected_version + 1}):
        raise Conflict(
            _(
                "Another director saved this split while you were editing it. Nothing of yours "
                "was saved: reload the page to see their version, then make your changes again."
            )
        )


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


def _why_override(lacks_skill: bool, over_capacity: bool, room: int) -> str:
    """Every reason a row needs an override ("" when it needs none)."""
    if lacks_skill and over_capacity:
        return ngettext(
            "Lacks a required skill and is over capacity (%(room)d unit left before the "
            "deadline): give a reason to assign anyway.",
            "Lacks a required skill and is over capacity (%(room)d units left before the "
            "deadline): give a reason to assign anyway.",
            room,
            room=room,
        )
    if lacks_skill:
        return _("Lacks a required skill: give a reason to assign anyway.")
    if over_capacity:
        return ngettext(
            "Over capacity (%(room)d unit left before the deadline): give a reason to "
            "assign anyway.",
            "Over capacity (%(room)d units left before the deadline): give a reason to "
            "assign anyway.",
            room,
            room=room,
        )
    return ""


def _capacity_problems(
    lines: list[SplitLine], pool: dict[int, Candidate], untouched: Sequence[Assignment]
) -> dict[int, str]:
    """Rows that need an explicit override, with every reason they need it: over capacity
    (with the member's offers the save leaves as they are), a required skill missing."""
    per_member: dict[int, int] = defaultdict(int)
    for offer in untouched:
        per_member[offer.membership_id] += offer.units
    for line in lines:
        per_member[line.membership_id] += line.units
    problems = {}
    for index, line in enumerate(lines):
        candidate = pool.get(line.membership_id)
        if candidate is None or line.override_reason.strip():
            continue
        over = per_member[line.membership_id] > candidate.room
        why = _why_override(bool(candidate.missing_skills), over, candidate.room)
        if why:
            problems[index] = why
    return problems


def _validate(
    job: Job,
    lines: list[SplitLine],
    kept_units: int,
    pool: dict[int, Candidate],
    untouched: Sequence[Assignment],
) -> None:
    members = set(pool)
    reasons: dict[str, str] = {}
    for index, line in enumerate(lines):
        if not line.remove:
            for name, message in _line_problems(line, job, members).items():
                reasons[f"rows.{index}.{name}"] = message
    # Each live row's number on the form (two identical rows are two rows).
    numbers = [index for index, line in enumerate(lines) if not line.remove]
    live = [lines[index] for index in numbers]
    for index, message in _capacity_problems(live, pool, untouched).items():
        reasons[f"rows.{numbers[index]}.override_reason"] = message
    given = sum(line.units for line in live) + sum(offer.units for offer in untouched)
    assigned = given + units_locked(job) + max(kept_units, 0)
    if kept_units < 0:
        reasons["kept_units"] = _("Units cannot be negative.")
    elif assigned > job.unit_count:
        reasons["kept_units"] = ngettext(
            "This split gives out %(assigned)d unit but the job has only %(total)d.",
            "This split gives out %(assigned)d units but the job has only %(total)d.",
            assigned,
            assigned=assigned,
            total=job.unit_count,
        )
    if reasons:
        raise Invalid(_("The split was not saved. Please correct the marked rows."), reasons)


def _offer(job: Job, line: SplitLine, director: Membership, member: Membership) -> Assignment:
    """A new offer and the first event of its history (its terms are issued with the rest)."""
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
        .options(joinedload(Membership.person, innerjoin=True))
    )
    return {m.id: m for m in members}


def _editable(job: Job, lines: list[SplitLine]) -> dict[int, Assignment]:
    """The job's offers still open to change, by id; each line that names one gets its member.
    A line naming an offer that is no longer open is a conflict: the page was stale."""
    editable = {
        a.id: a
        for a in db.session.scalars(
            sa.select(Assignment).where(
                Assignment.job_id == job.id, Assignment.state.in_(EDITABLE_STATES)
            )
        )
    }
    for line in lines:
        if line.assignment_id is None:
            continue
        if line.assignment_id not in editable:
            raise Conflict(_("An assignment on this page changed meanwhile. Reload the page."))
        line.membership_id = editable[line.assignment_id].membership_id
    return editable


def _change(
    assignment: Assignment, line: SplitLine, director: Membership, result: SplitResult
) -> bool:
    """Withdraw the offer (False), or give it the line's terms (True: to be issued)."""
    if line.remove:
        lifecycle.cancel(assignment, director, _("Removed from the split."))
        result.removed.append(assignment)
        return False
    _fill(assignment, line)
    return True


def _issue_terms(
    job: Job, director: Membership, members: dict[int, Membership], new: list[Assignment],
    changed: list[Assignment], result: SplitResult,
) -> None:  # fmt: skip
    """A notice for each new offer, and a new version for each changed one whose terms now
    say something else (recorded in its history; accepted work needs the member's consent
    again). The job's fixed amounts are read once, as the save leaves them."""
    db.session.flush()
    pay = terms.job_pay(job.id)
    issuer = director.person.display_name

    def content(assignment: Assignment) -> dict:
        member = members[assignment.membership_id].person.display_name
        return terms.build_terms(assignment, job, job.team, member, issuer, pay)

    for assignment in new:
        terms.issue(assignment, content(assignment))
    for assignment in changed:
        notice = terms.reissue(assignment, content(assignment))
        if notice is None:
            continue
        lifecycle.record_terms_issued(assignment, notice.version, director.person_id)
        if assignment.state != "offered":
            result.changed.append(assignment)


def save_split(
    job: Job,
    director: Membership,
    lines: list[SplitLine],
    kept_units: int,
    expected_version: int,
    pool: Sequence[Candidate] | None = None,
) -> SplitResult:
    """Save the split: new offers, changed terms, withdrawn parts, all or nothing.

    The offers still open that no line names stay as they are, their units counted.
    ``pool`` is the team's candidates as the page read them (read here when not given)."""
    _check_job_can_split(job, director)
    _claim_version(job, expected_version)
    by_member = {c.membership_id: c for c in (candidates(job) if pool is None else pool)}
    editable = _editable(job, lines)
    named = {line.assignment_id for line in lines}
    untouched = [offer for offer in editable.values() if offer.id not in named]
    _validate(job, lines, kept_units, by_member, untouched)
    members = _members_by_id({line.membership_id for line in lines if not line.remove})
    result, new, changed = SplitResult(), [], []
    for line in lines:
        if line.assignment_id is None:
            new.append(_offer(job, line, director, members[line.membership_id]))
        elif _change(editable[line.assignment_id], line, director, result):
            changed.append(editable[line.assignment_id])
    result.created = new
    _issue_terms(job, director, members, new, changed, result)
    job.kept_units = kept_units
    db.session.flush()
    return result
