"""Notifications for things people do, called from the one service where each happens."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app

from teamhub.extensions import db
from teamhub.notifications.services import notify, notify_all, notify_each
from teamhub.teams.models import Membership


def team_people(team_id: int, roles: tuple[str, ...]) -> list[int]:
    """Person ids of the team's active members holding one of ``roles``."""
    return list(
        db.session.scalars(
            sa.select(Membership.person_id).where(
                Membership.team_id == team_id,
                Membership.role.in_(roles),
                Membership.removed_at.is_(None),
            )
        )
    )


def path_for(endpoint: str, **values) -> str:
    """The path of a page, from a request, a CLI command or the scheduler alike."""
    adapter = current_app.url_map.bind("localhost", script_name="/")
    return adapter.build(endpoint, values)


def assignment_link(assignment) -> str:
    return path_for(
        "assignments.detail", slug=assignment.job.team.slug, assignment_id=assignment.id
    )


def _about(assignment) -> dict:
    return {"job": assignment.job.title, "due_at": assignment.due_at.isoformat()}


def assignment_offered(assignment) -> None:
    notify(
        assignment.membership.person_id,
        "assignment_offered",
        f"assignment:{assignment.id}",
        _about(assignment),
        link=assignment_link(assignment),
        team_id=assignment.team_id,
    )


def escrow_confirmed(job) -> None:
    """Tell members waiting to start that the client's payment is held in escrow."""
    from teamhub.assignments.models import Assignment

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


def submission_waiting(assignment, submission) -> None:
    """Ask the team's editors and directors to review a delivery (never its author)."""
    reviewers = [
        pid
        for pid in team_people(assignment.team_id, ("director", "editor"))
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


def reviewed(assignment, event, approved: bool) -> None:
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


def close_confirmed(close) -> None:
    """Tell each member with a statement in a new close that it is ready, with their net pay."""
    from teamhub.payouts.models import MEMBER, LedgerEntry

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
