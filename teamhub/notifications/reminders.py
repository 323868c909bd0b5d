"""Reminders and warnings the scheduler sends about work, each keyed so it is sent once.

Each function takes ``now`` (injected, so tests set the clock) and returns what it did
(:class:`teamhub.scheduling.Done`). The scheduler commits once the task is done; the keys make
a rerun, a crash mid-run or a second scheduler harmless.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from teamhub.assignments.models import Assignment
from teamhub.clock import JST, jst_midnight
from teamhub.extensions import db
from teamhub.jobs.models import ESCROW_SOURCES, Job
from teamhub.notifications.links import about_assignment, assignment_link, path_for
from teamhub.notifications.services import notify, notify_all
from teamhub.scheduling import Done
from teamhub.teams.models import Membership
from teamhub.teams.queries import people_with_roles

DUE_SOON = timedelta(hours=48)
# States in which the member still has to deliver.
OWING = ("accepted", "in_progress", "changes_requested")


def _owed(*conditions) -> list[Assignment]:
    return list(
        db.session.scalars(
            sa.select(Assignment)
            .join(Membership, Membership.id == Assignment.membership_id)
            .where(Membership.removed_at.is_(None), *conditions)
            .options(
                selectinload(Assignment.job).selectinload(Job.team),
                selectinload(Assignment.membership).selectinload(Membership.person),
            )
            .order_by(Assignment.id)
        )
    )


def due_soon(now: datetime) -> Done:
    """Remind members of work due within the next 48 hours (once per due date)."""
    done = Done()
    for a in _owed(
        Assignment.state.in_(OWING), Assignment.due_at > now, Assignment.due_at <= now + DUE_SOON
    ):
        sent = notify(
            a.membership.person_id,
            "due_soon",
            f"assignment:{a.id}",
            about_assignment(a),
            link=assignment_link(a),
            period=a.due_at.isoformat(),
            team_id=a.team_id,
        )
        done.count(a.team_id, bool(sent))
    return done


def overdue(now: datetime) -> Done:
    """Tell the member and the directors about work past its due time (once per due date)."""
    done = Done()
    for a in _owed(Assignment.state.in_(("offered", *OWING)), Assignment.due_at < now):
        params = {**about_assignment(a), "member": a.membership.person.display_name}
        common = {"link": assignment_link(a), "period": a.due_at.isoformat(), "team_id": a.team_id}
        subject = f"assignment:{a.id}"
        done.count(
            a.team_id, bool(notify(a.membership.person_id, "overdue", subject, params, **common))
        )
        directors = [
            p for p in people_with_roles(a.team_id, ("director",)) if p != a.membership.person_id
        ]
        done.count(a.team_id, notify_all(directors, "overdue_team", subject, params, **common))
    return done


def escrow_missing(now: datetime) -> Done:
    """Warn directors, once a day, of platform jobs whose members wait for escrow to start."""
    waiting = (
        sa.select(Assignment.id)
        .where(Assignment.job_id == Job.id, Assignment.state.in_(("offered", "accepted")))
        .exists()
    )
    jobs = db.session.scalars(
        sa.select(Job)
        .where(
            Job.status == "open",
            Job.source.in_(ESCROW_SOURCES),
            Job.escrow_confirmed_at.is_(None),
            waiting,
        )
        .options(selectinload(Job.team))
        .order_by(Job.id)
    )
    done = Done()
    today = now.astimezone(JST).date().isoformat()
    for job in jobs:
        link = path_for("jobs.job_board", slug=job.team.slug, job_id=job.id)
        sent = notify_all(
            people_with_roles(job.team_id, ("director",)),
            "escrow_missing",
            f"job:{job.id}",
            {"job": job.title},
            link=link,
            period=today,
            team_id=job.team_id,
        )
        done.count(job.team_id, sent)
    return done


def session_tomorrow(now: datetime) -> Done:
    """Remind trainees and coordinators of tomorrow's cohort sessions (Japan dates)."""
    from teamhub.training.models import CohortSession, Enrolment, OrganisationMembership

    tomorrow = now.astimezone(JST).date() + timedelta(days=1)
    sessions = db.session.scalars(
        sa.select(CohortSession)
        .where(
            CohortSession.starts_at >= jst_midnight(tomorrow),
            CohortSession.starts_at < jst_midnight(tomorrow + timedelta(days=1)),
        )
        .order_by(CohortSession.id)
    )
    done = Done()
    for session in sessions:
        cohort = session.cohort
        params = {
            "cohort": cohort.name,
            "starts_at": session.starts_at.isoformat(),
            "place": session.place or session.online_url,
        }
        common = {
            "subject": f"session:{session.id}",
            "params": params,
            "period": session.starts_at.isoformat(),
        }
        enrolments = db.session.scalars(
            sa.select(Enrolment).where(
                Enrolment.cohort_id == cohort.id, Enrolment.status == "active"
            )
        )
        for enrolment in enrolments:
            link = path_for("training.my_cohort", enrolment_id=enrolment.id)
            done.count(
                None, bool(notify(enrolment.person_id, "session_tomorrow", link=link, **common))
            )
        coordinators = db.session.scalars(
            sa.select(OrganisationMembership.person_id).where(
                OrganisationMembership.organisation_id == cohort.organisation_id,
                OrganisationMembership.role == "coordinator",
                OrganisationMembership.ended_at.is_(None),
            )
        )
        link = path_for("training.cohort", org_slug=cohort.organisation.slug, cohort_id=cohort.id)
        done.count(None, notify_all(coordinators, "session_tomorrow", link=link, **common))
    return done
