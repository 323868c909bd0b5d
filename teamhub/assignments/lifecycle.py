"""The assignment state machine, in one place: who may move an assignment where, and when.

offered → accepted | declined; accepted → in progress → submitted → changes requested → submitted …
→ approved; offered/accepted/in progress → cancelled or reassigned. Every step is an event.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from teamhub import signals
from teamhub.assignments import terms
from teamhub.assignments.models import Assignment, AssignmentEvent, Submission
from teamhub.claims import claim
from teamhub.clock import utcnow
from teamhub.errors import Conflict, Invalid, NotAllowed
from teamhub.extensions import db
from teamhub.teams.models import Membership

CANCELLABLE = ("offered", "accepted", "in_progress")

# action → (states it may start from, state it leads to)
TRANSITIONS = {
    "accept": (("offered",), "accepted"),
    "decline": (("offered",), "declined"),
    "start": (("accepted",), "in_progress"),
    "submit": (("in_progress", "changes_requested"), "submitted"),
    "request_changes": (("submitted",), "changes_requested"),
    "approve": (("submitted",), "approved"),
    "cancel": (CANCELLABLE, "cancelled"),
    "reassign": (CANCELLABLE, "reassigned"),
}


def _refusal(assignment: Assignment, action: str) -> str:
    if assignment.state == TRANSITIONS[action][1]:
        return _(
            "This was already done: the assignment is %(state)s. Reload the page to see it.",
            state=assignment.state_label,
        )
    if assignment.state == "declined":
        return _("This offer was declined, so nothing more can be done with it.")
    if assignment.state in ("cancelled", "reassigned"):
        return _("This assignment was cancelled or given to someone else.")
    if assignment.state == "approved":
        return _("This work is already approved.")
    return _(
        "This step is not possible while the assignment is %(state)s.",
        state=assignment.state_label,
    )


def _move(
    assignment: Assignment,
    action: str,
    actor_id: int,
    comment: str = "",
    at: datetime | None = None,
) -> AssignmentEvent:
    """Take the step from the state read, or not at all: a request that read the same state as
    another one already moving the assignment (a double click) is refused with a 409."""
    sources, target = TRANSITIONS[action]
    read = assignment.state
    if read not in sources or not claim(assignment, {"state": read}, {"state": target}):
        raise Conflict(_refusal(assignment, action))
    event = AssignmentEvent(
        assignment_id=assignment.id,
        from_state=read,
        to_state=target,
        actor_id=actor_id,
        at=at or utcnow(),
        comment=comment,
    )
    db.session.add(event)
    return event


def record_offer(assignment: Assignment, actor_id: int) -> None:
    """Write the first event of a new assignment and tell the member about the offer."""
    db.session.add(
        AssignmentEvent(
            assignment_id=assignment.id, from_state=None, to_state="offered", actor_id=actor_id
        )
    )
    signals.assignment_offered.send(assignment)


def record_terms_issued(assignment: Assignment, version: int, actor_id: int) -> None:
    """Write in the assignment's history that new terms were issued (the member's consent is
    asked again once they had accepted)."""
    _record_terms(assignment, "terms_issued", version, actor_id, utcnow())


def _record_terms(
    assignment: Assignment, kind: str, version: int, actor_id: int, at: datetime
) -> None:
    db.session.add(
        AssignmentEvent(
            assignment_id=assignment.id,
            from_state=assignment.state,
            to_state=assignment.state,
            actor_id=actor_id,
            at=at,
            kind=kind,
            terms_version=version,
        )
    )


def _require_assignee(assignment: Assignment, actor: Membership) -> None:
    if actor.id != assignment.membership_id or not actor.active:
        raise NotAllowed(_("Only the member this work is assigned to can do this."))


def _require_director(assignment: Assignment, actor: Membership) -> None:
    if actor.team_id != assignment.team_id or not actor.is_director:
        raise NotAllowed(_("Only the team's directors can do this."))


def accept(assignment: Assignment, actor: Membership) -> None:
    """The member accepts the offer and, with it, the current terms notice."""
    _require_assignee(assignment, actor)
    event = _move(assignment, "accept", actor.person_id)
    assignment.answered_at = event.at
    terms.accept_current(assignment, event.at)
    db.session.flush()


def decline(assignment: Assignment, actor: Membership, comment: str = "") -> None:
    _require_assignee(assignment, actor)
    event = _move(assignment, "decline", actor.person_id, comment.strip())
    assignment.answered_at = event.at
    assignment.closed_at = event.at
    db.session.flush()


def accept_new_terms(assignment: Assignment, actor: Membership) -> None:
    """The member accepts a changed terms notice for work already accepted."""
    _require_assignee(assignment, actor)
    if assignment.state not in ("accepted", "in_progress", "submitted", "changes_requested"):
        raise Conflict(_refusal(assignment, "accept"))
    at = utcnow()
    notice = terms.accept_current(assignment, at)
    if notice is not None:
        _record_terms(assignment, "terms_accepted", notice.version, actor.person_id, at)
    db.session.flush()


def start(assignment: Assignment, actor: Membership) -> None:
    """Begin work: only once the client's payment is in escrow and the terms are accepted."""
    _require_assignee(assignment, actor)
    if not assignment.job.escrow_ready:
        raise Conflict(
            _(
                "Work cannot start yet: the client's payment is not confirmed in escrow (仮払い) "
                "on the platform. The director will confirm it; you will then be able to start."
            )
        )
    if terms.awaiting_acceptance(assignment):
        raise Conflict(_("The terms of this assignment changed. Accept the new terms first."))
    event = _move(assignment, "start", actor.person_id)
    assignment.started_at = event.at
    db.session.flush()


def mark_submitted(assignment: Assignment, actor: Membership) -> AssignmentEvent:
    """Move to submitted; the caller stores the submission itself."""
    _require_assignee(assignment, actor)
    if terms.awaiting_acceptance(assignment):
        raise Conflict(_("The terms of this assignment changed. Accept the new terms first."))
    event = _move(assignment, "submit", actor.person_id)
    if assignment.first_submitted_at is None:
        assignment.first_submitted_at = event.at
    return event


def _require_reviewer(assignment: Assignment, actor: Membership) -> None:
    if actor.team_id != assignment.team_id or not actor.can_review:
        raise NotAllowed(_("Only the team's directors and editors review work."))
    if actor.id == assignment.membership_id:
        raise NotAllowed(_("You cannot review your own work; another editor or director must."))


def review(assignment: Assignment, actor: Membership, approve: bool, comment: str = "") -> None:
    """Approve the latest submission, or ask for changes with a comment."""
    _require_reviewer(assignment, actor)
    comment = comment.strip()
    if not approve and not comment:
        message = _("Say what should change, so the member knows what to do.")
        raise Invalid(message, {"comment": message})
    event = _move(assignment, "approve" if approve else "request_changes", actor.person_id, comment)
    latest = db.session.scalar(
        sa.select(Submission)
        .where(Submission.assignment_id == assignment.id)
        .order_by(Submission.number.desc())
        .limit(1)
    )
    if latest is not None:
        latest.decision = "approved" if approve else "changes_requested"
        latest.review_comment = comment
        latest.reviewed_by_id = actor.person_id
        latest.reviewed_at = event.at
    if approve:
        assignment.approved_at = event.at
        assignment.closed_at = event.at
    else:
        assignment.revision_count += 1
    db.session.flush()
    signals.work_reviewed.send(assignment, event=event, approved=approve)


def cancel(assignment: Assignment, actor: Membership, reason: str) -> None:
    """The director withdraws work not yet delivered; the history stays."""
    _require_director(assignment, actor)
    event = _move(assignment, "cancel", actor.person_id, reason.strip())
    assignment.closed_at = event.at
    db.session.flush()


def hand_over(assignment: Assignment, actor: Membership, reason: str = "") -> None:
    """Mark an assignment reassigned; the caller creates the new member's assignment."""
    _require_director(assignment, actor)
    event = _move(assignment, "reassign", actor.person_id, reason.strip())
    assignment.closed_at = event.at
    db.session.flush()
