"""The outcome report of an organisation or of one cohort, and the data of its charts.

The figures themselves are computed by :mod:`teamhub.training.outcomes` from plain records; here
they are read. Attendance comes from each enrolment's counts of its marks
(``Enrolment.sessions_present``/``sessions_recorded``, kept by ``progress.record_attendance``), and
graduates' pay from the payouts' paid-day summary, so a report of 10,000 trainees reads two rows
per trainee at most, whatever the history.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from teamhub.clock import JST, today_jst
from teamhub.extensions import db
from teamhub.payouts.queries import paid_window_and_firsts
from teamhub.training import outcomes
from teamhub.training.models import Cohort, Enrolment, ModuleCompletion, Organisation


@dataclass(frozen=True)
class Report:
    org: Organisation
    rows: list[tuple[Cohort, outcomes.Outcomes]]
    total: outcomes.Outcomes
    has_paid_work: bool


def outcome_report(org: Organisation, cohort: Cohort | None = None) -> Report:
    """The outcome figures of each of the organisation's cohorts (or of ``cohort`` alone) and
    of them all, as of today in Japan."""
    cohorts = [cohort] if cohort is not None else _cohorts_of(org)
    cohort_ids = [c.id for c in cohorts]
    records = trainee_records(cohort_ids)
    as_of = today_jst()
    # The earnings figures describe graduates only, over a window of recent months.
    paid = paid_work(_graduates_of(cohort_ids), outcomes.earnings_window_start(as_of))
    target = org.target_monthly_yen
    rows = [(c, outcomes.compute_outcomes(records[c.id], paid, target, as_of)) for c in cohorts]
    everyone = outcomes.merge_by_person(r for c in cohorts for r in records[c.id])
    total = outcomes.compute_outcomes(everyone, paid, target, as_of)
    return Report(org, rows, total, has_paid_work=bool(paid))


def _cohorts_of(org: Organisation) -> list[Cohort]:
    return list(
        db.session.scalars(
            sa.select(Cohort)
            .where(Cohort.organisation_id == org.id)
            .order_by(Cohort.enrol_opens_on.desc(), Cohort.id.desc())
        )
    )


def trainee_records(cohort_ids: list[int]) -> dict[int, list[outcomes.TraineeRecord]]:
    """The record of every enrolment of these cohorts, by cohort id, in one query."""
    rows = db.session.execute(
        sa.select(
            Enrolment.cohort_id,
            Enrolment.person_id,
            Enrolment.status,
            Enrolment.completed_at,
            Enrolment.sessions_present,
            Enrolment.sessions_recorded,
        )
        .where(Enrolment.cohort_id.in_(cohort_ids))
        .order_by(Enrolment.id)
    )
    records: dict[int, list[outcomes.TraineeRecord]] = defaultdict(list)
    for cohort_id, person_id, status, completed_at, present, recorded in rows:
        completed_on = completed_at.astimezone(JST).date() if completed_at else None
        records[cohort_id].append(
            outcomes.TraineeRecord(person_id, status, completed_on, present, recorded)
        )
    return records


def _graduates_of(cohort_ids: list[int]) -> sa.Select:
    return sa.select(Enrolment.person_id).where(
        Enrolment.cohort_id.in_(cohort_ids), Enrolment.status == "completed"
    )


def paid_work(person_ids: list[int] | sa.Select, since: date) -> dict[int, outcomes.PaidWork]:
    """What these people (ids, or a query of them) were paid through teamhub in every team they
    are in: their first paid day, and their net pay per month from ``since`` on."""
    window, firsts = paid_window_and_firsts(person_ids, since)
    return outcomes.paid_work_from(window, firsts)


def completion_days(cohort_ids: list[int]) -> tuple[list[date], list[date]]:
    """Days (Japan) on which modules were completed and trainees graduated, for the chart."""
    completed = db.session.scalars(
        sa.select(ModuleCompletion.completed_at)
        .join(Enrolment, Enrolment.id == ModuleCompletion.enrolment_id)
        .where(Enrolment.cohort_id.in_(cohort_ids))
    ).all()
    graduated = db.session.scalars(
        sa.select(Enrolment.completed_at).where(
            Enrolment.cohort_id.in_(cohort_ids), Enrolment.completed_at.is_not(None)
        )
    ).all()
    return (
        [at.astimezone(JST).date() for at in completed],
        [at.astimezone(JST).date() for at in graduated],
    )
