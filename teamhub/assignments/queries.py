"""Read-only lookups for assignment pages; each page's query count is fixed."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from teamhub.assignments import reliability
from teamhub.assignments.models import Assignment, AssignmentEvent, Submission, TermsNotice
from teamhub.errors import NotFound
from teamhub.extensions import db
from teamhub.teams.models import Membership, Team
from teamhub.teams.queries import TeamAccess

# The order of "My assignments": what needs the member first, then work in hand, then the rest.
ACTION_ORDER = {
    "offered": 0,
    "changes_requested": 1,
    "accepted": 2,
    "in_progress": 3,
    "submitted": 4,
    "approved": 5,
    "declined": 6,
    "cancelled": 6,
    "reassigned": 6,
}


def visible_assignment(access: TeamAccess, assignment_id: int) -> Assignment:
    """The assignment if the person may see it: their own, or any of the team's for reviewers."""
    assignment = db.session.scalar(
        sa.select(Assignment)
        .where(Assignment.id == assignment_id, Assignment.team_id == access.team.id)
        .options(
            joinedload(Assignment.job),
            joinedload(Assignment.membership).joinedload(Membership.person),
        )
    )
    if assignment is None or not (
        access.can_review or assignment.membership_id == access.membership.id
    ):
        raise NotFound(_("This assignment does not exist or is not yours."))
    return assignment


def _awaiting_terms() -> sa.ColumnElement[bool]:
    """True when the assignment's latest terms notice is not accepted yet."""
    notice, newer = sa.orm.aliased(TermsNotice), sa.orm.aliased(TermsNotice)
    return sa.exists().where(
        notice.assignment_id == Assignment.id,
        notice.accepted_at.is_(None),
        ~sa.exists().where(
            newer.assignment_id == notice.assignment_id, newer.version > notice.version
        ),
    )


# A member's assignments with their jobs, those needing the member first, soonest due first.
# Built once: every member opens it (the member bound at each run).
MY_ASSIGNMENTS = (
    sa.select(Assignment, _awaiting_terms().label("awaiting_terms"), *reliability.FLAGS)
    .where(Assignment.membership_id == sa.bindparam("membership_id"))
    .options(joinedload(Assignment.job))
    .order_by(
        sa.case(
            *((Assignment.state == state, rank) for state, rank in ACTION_ORDER.items()), else_=9
        ),
        Assignment.due_at,
        Assignment.id,
    )
)


@dataclass(frozen=True)
class MyAssignment:
    assignment: Assignment
    awaiting_terms: bool  # a changed terms notice the member has not accepted yet


def my_assignments(membership: Membership) -> tuple[list[MyAssignment], reliability.Reliability]:
    """The member's assignments with their jobs, those needing action first, soonest due
    first; and the member's reliability figures, added up from the same rows."""
    rows = db.session.execute(
        MY_ASSIGNMENTS,
        {"membership_id": membership.id, "window_start": reliability.window_start()},
    ).all()
    mine = [MyAssignment(row[0], row[1]) for row in rows]
    return mine, reliability.from_flags(rows)


def history(
    assignment: Assignment,
) -> tuple[list[AssignmentEvent], list[Submission], list[TermsNotice]]:
    events = db.session.scalars(
        sa.select(AssignmentEvent)
        .where(AssignmentEvent.assignment_id == assignment.id)
        .options(selectinload(AssignmentEvent.actor))
        .order_by(AssignmentEvent.id)
    ).all()
    submissions = db.session.scalars(
        sa.select(Submission)
        .where(Submission.assignment_id == assignment.id)
        .order_by(Submission.number)
    ).all()
    notices = db.session.scalars(
        sa.select(TermsNotice)
        .where(TermsNotice.assignment_id == assignment.id)
        .order_by(TermsNotice.version)
    ).all()
    return list(events), list(submissions), list(notices)


def team_submission(assignment: Assignment, submission_id: int) -> Submission:
    submission = db.session.get(Submission, submission_id)
    if (
        submission is None
        or submission.assignment_id != assignment.id
        or not submission.stored_name
    ):
        raise NotFound(_("This file does not exist."))
    return submission


def review_queue(team: Team) -> list[Assignment]:
    """Submitted work waiting for a reviewer."""
    return list(
        db.session.scalars(
            sa.select(Assignment)
            .where(Assignment.team_id == team.id, Assignment.state == "submitted")
            .options(
                joinedload(Assignment.job),
                joinedload(Assignment.membership).joinedload(Membership.person),
            )
            .order_by(Assignment.due_at)
        )
    )
