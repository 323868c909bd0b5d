"""Notifications for things people do: each listens to the signal the one service where the
thing happens sends (teamhub/signals.py)."""

from __future__ import annotations

import sqlalchemy as sa

from teamhub import signals
from teamhub.assignments.models import Assignment
from teamhub.extensions import db
from teamhub.notifications.links import assignment_link, path_for
from teamhub.notifications.services import notify, notify_all, notify_each
from teamhub.payouts.models import MEMBER, LedgerEntry
from teamhub.teams.models import Membership
from teamhub.teams.queries import people_with_roles


def _about(assignment) -> dict:
    return {"job": assignment.job.title, "due_at": assignment.due_at.isoformat()}


def assignment_offered(assignment, **_) -> None:
    notify(
        assignment.membership.person_id,
        "assignment_offered",
        f"assignment:{assignment.id}",
        _about(assignment),
        link=assignment_link(assignment),
        team_id=assignment.team_id,
    )


def escrow_confirmed(job, **_) -> None:
    """Tell members waiting to start that the client's payment is held in escrow."""
    waiting = db.session.scalars(
        sa.select(Assignment).where(
            Assignment.job_id == job.id, Assignment.state.in_(("offered", "accepted"))
        )
    )
    for assignment in waiting:
        notify(
            assignment.membership.person_id,
            "escrow_confirmed",
            f"job:{job.id}",
            {"job": job.title},
            link=assignment_link(assignment),
            team_id=job.team_id,
        )


def submission_waiting(assignment, submission, **_) -> None:
    """Ask the team's editors and directors to review a delivery (never its author)."""
    reviewers = [
        pid
        for pid in people_with_roles(assignment.team_id, ("director", "editor"))
        if pid != submission.submitted_by_id
    ]
    notify_all(
        reviewers,
        "submission_waiting",
        f"submission:{submission.id}",
        {"job": assignment.job.title, "member": assignment.membership.person.display_name},
        link=assignment_link(assignment),
        team_id=assignment.team_id,
    )


def reviewed(assignment, event, approved: bool, **_) -> None:
    """Tell the member the reviewer's decision."""
    kind = "approved" if approved else "changes_requested"
    notify(
        assignment.membership.person_id,
        kind,
        f"event:{event.id}",
        {"job": assignment.job.title, "comment": event.comment},
        link=assignment_link(assignment),
        team_id=assignment.team_id,
    )


def close_confirmed(close, **_) -> None:
    """Tell each member with a statement in a new close that it is ready, with their net pay."""
    nets = db.session.execute(
        sa.select(Membership.id, Membership.person_id, -sa.func.sum(LedgerEntry.amount_yen))
        .join(LedgerEntry, LedgerEntry.membership_id == Membership.id)
        .where(LedgerEntry.close_id == close.id, LedgerEntry.account == MEMBER)
        .group_by(Membership.id, Membership.person_id)
        .order_by(Membership.id)
    ).all()
    params = {
        "team": close.team.name,
        "period_start": close.period_start.isoformat(),
        "period_end": close.period_end.isoformat(),
    }
    notices = [
        (
            person_id,
            {**params, "net_yen": int(net or 0)},
            path_for(
                "payouts.statement",
                slug=close.team.slug,
                close_id=close.id,
                membership_id=membership_id,
            ),
        )
        for membership_id, person_id, net in nets
    ]
    notify_each(notices, "statement_ready", f"close:{close.id}", team_id=close.team_id)


def close_ready(close, **_) -> int:
    """Ask the team's directors to review a close the scheduler made."""
    params = {
        "team": close.team.name,
        "period_start": close.period_start.isoformat(),
        "period_end": close.period_end.isoformat(),
    }
    link = path_for("payouts.close_detail", slug=close.team.slug, close_id=close.id)
    directors = people_with_roles(close.team_id, ("director",))
    return notify_all(
        directors, "close_ready", f"close:{close.id}", params, link=link, team_id=close.team_id
    )


def close_refused(team, period_end, reason: str, **_) -> int:
    """Tell the team's directors why the scheduler could not make their close (once a period)."""
    params = {"team": team.name, "period_end": period_end.isoformat(), "reason": reason}
    return notify_all(
        people_with_roles(team.id, ("director",)),
        "close_refused",
        f"team:{team.id}",
        params,
        link=path_for("payouts.index", slug=team.slug),
        period=period_end.isoformat(),
        team_id=team.id,
    )


def connect() -> None:
    """Listen to the signals features send (once per process; connecting again is harmless)."""
    signals.assignment_offered.connect(assignment_offered)
    signals.escrow_confirmed.connect(escrow_confirmed)
    signals.work_submitted.connect(submission_waiting)
    signals.work_reviewed.connect(reviewed)
    signals.close_confirmed.connect(close_confirmed)
    signals.close_ready.connect(close_ready)
    signals.close_refused.connect(close_refused)
