"""Read-only lookups for assignment pages; each page's query count is fixed."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from teamhub.assignments.models import Assignment, AssignmentEvent, Submission, TermsNotice
from teamhub.errors import NotFound
from teamhub.extensions import db
from teamhub.teams.models import Membership, Team
from teamhub.teams.queries import TeamAccess


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
