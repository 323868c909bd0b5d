"""Notifications for things people do: each listens to the signal the one service where the
thing happens sends (teamhub/signals.py)."""

from __future__ import annotations

import sqlalchemy as sa

from teamhub import signals
from teamhub.assignments.models import Assignment
from teamhub.clock import utcnow
from teamhub.extensions import db
from teamhub.notifications.links import about_assignment, assignment_link, path_for
from teamhub.notifications.services import notify, notify_all, notify_each
from teamhub.payouts.models import MEMBER, LedgerEntry
from teamhub.teams.models import Membership
from teamhub.teams.queries import people_with_roles
from teamhub.training.models import Enrolment, OrganisationMembership


def assignment_offered(assignment, **_) -> None:
    notify(
        assignment.membership.person_id,
        "assignment_offered",
        f"assignment:{assignment.id}",
        about_assignment(assignment),
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
            about_assignment(assignment),
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
        {
            **about_assignment(assignment),
            "member": assignment.membership.person.display_name,
            "number": submission.number,
        },
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
        {**about_assignment(assignment), "comment": event.comment},
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


# Training ------------------------------------------------------------------------------------


def _cohort_params(cohort) -> dict:
    return {"cohort": cohort.name, "curriculum": cohort.curriculum.title}


def _module_link(enrolment, module_id: int) -> str:
    return path_for("training.my_module", enrolment_id=enrolment.id, module_id=module_id)


def practice_waiting(submission, **_) -> None:
    """Ask the organisation's coordinators and mentors to review a trainee's try."""
    enrolment = submission.enrolment
    cohort = enrolment.cohort
    reviewers = db.session.scalars(
        sa.select(OrganisationMembership.person_id).where(
            OrganisationMembership.organisation_id == cohort.organisation_id,
            OrganisationMembership.ended_at.is_(None),
        )
    )
    notify_all(
        reviewers,
        "practice_waiting",
        f"practice_submission:{submission.id}",
        {
            **_cohort_params(cohort),
            "module": submission.module.title,
            "trainee": enrolment.person.display_name,
        },
        link=path_for(
            "training.review", org_slug=cohort.organisation.slug, submission_id=submission.id
        ),
    )


def practice_reviewed(submission, passed: bool, **_) -> None:
    """Tell the trainee their try passed, or what to change before the next one."""
    enrolment = submission.enrolment
    notify(
        enrolment.person_id,
        "practice_passed" if passed else "practice_retry",
        f"submission:{submission.id}",
        {
            **_cohort_params(enrolment.cohort),
            "module": submission.module.title,
            "comment": submission.comment,
        },
        link=_module_link(enrolment, submission.module_id),
    )


def module_completed(completion, enrolment, **_) -> None:
    """Tell the trainee a coordinator marked a module completed (a passed try says so itself)."""
    if completion.how == "practice":
        return
    notify(
        enrolment.person_id,
        "module_completed",
        f"completion:{completion.id}",
        {**_cohort_params(enrolment.cohort), "module": completion.module_title},
        link=_module_link(enrolment, completion.module_id),
    )


def training_completed(enrolment, **_) -> None:
    """Tell the graduate they completed the training and where their certificate is."""
    notify(
        enrolment.person_id,
        "training_completed",
        f"enrolment:{enrolment.id}",
        {**_cohort_params(enrolment.cohort), "code": enrolment.certificate_code},
        link=path_for("training.my_certificate", enrolment_id=enrolment.id),
    )


def enrolled(enrolment, via: str, **_) -> None:
    """Tell the person they have a place in the cohort (once per enrolment, re-enrolling again)."""
    cohort = enrolment.cohort
    notify(
        enrolment.person_id,
        "application_accepted" if via == "application" else "enrolled",
        f"enrolment:{enrolment.id}",
        {**_cohort_params(cohort), "org": cohort.organisation.name},
        link=path_for("training.my_cohort", enrolment_id=enrolment.id),
        period=enrolment.enrolled_at.isoformat(),
    )


def graduate_recommended(recommendation, **_) -> None:
    """Tell the team's directors a coordinator recommends a graduate to them."""
    enrolment, team = recommendation.enrolment, recommendation.team
    params = {
        **_cohort_params(enrolment.cohort),
        "org": enrolment.cohort.organisation.name,
        "name": enrolment.person.display_name,
        "team": team.name,
        "note": recommendation.note,
    }
    notify_all(
        people_with_roles(team.id, ("director",)),
        "graduate_recommended",
        f"recommendation:{recommendation.id}",
        params,
        link=path_for("training.team_graduates", slug=team.slug),
        team_id=team.id,
    )


def staff_appointed(membership, **_) -> None:
    """Tell a person the operator gave them a role in an organisation."""
    org = membership.organisation
    notify(
        membership.person_id,
        "staff_appointed",
        f"org_membership:{membership.id}",
        {"org": org.name, "role": membership.role},
        link=path_for("training.org_home", org_slug=org.slug),
        period=membership.appointed_at.isoformat(),
    )


def session_scheduled(session, **_) -> None:
    """Tell the cohort's trainees a session was added to the schedule (one still to come)."""
    _tell_trainees_of(session, "session_scheduled")


def session_cancelled(session, **_) -> None:
    """Tell the cohort's trainees a session still to come was taken off the schedule."""
    _tell_trainees_of(session, "session_cancelled")


def _tell_trainees_of(session, kind: str) -> None:
    if session.starts_at <= utcnow():  # a past session tidied away is no news
        return
    cohort = session.cohort
    params = {
        **_cohort_params(cohort),
        "starts_at": session.starts_at.isoformat(),
        "place": session.place or session.online_url,
    }
    trainees = db.session.execute(
        sa.select(Enrolment.id, Enrolment.person_id).where(
            Enrolment.cohort_id == cohort.id, Enrolment.status == "active"
        )
    )
    notices = [
        (person_id, params, path_for("training.my_cohort", enrolment_id=enrolment_id))
        for enrolment_id, person_id in trainees
    ]
    notify_each(notices, kind, f"session:{session.id}")


def connect() -> None:
    """Listen to the signals features send (once per process; connecting again is harmless)."""
    signals.assignment_offered.connect(assignment_offered)
    signals.escrow_confirmed.connect(escrow_confirmed)
    signals.work_submitted.connect(submission_waiting)
    signals.work_reviewed.connect(reviewed)
    signals.close_confirmed.connect(close_confirmed)
    signals.close_ready.connect(close_ready)
    signals.close_refused.connect(close_refused)
    signals.practice_reviewed.connect(practice_reviewed)
    signals.module_completed.connect(module_completed)
    signals.training_completed.connect(training_completed)
    signals.enrolled.connect(enrolled)
    signals.graduate_recommended.connect(graduate_recommended)
    signals.staff_appointed.connect(staff_appointed)
    signals.practice_submitted.connect(practice_waiting)
    signals.session_scheduled.connect(session_scheduled)
    signals.session_cancelled.connect(session_cancelled)
