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
from teamhub.payouts.models import FirstPaidDay, PaidDay
from teamhub.sections import shown_key
from teamhub.training import outcomes
from teamhub.training.models import Cohort, Enrolment, ModuleCompletion, Organisation


@dataclass(frozen=True)
class Report:
    org: Organisation
    rows: list[tuple[Cohort, outcomes.Outcomes]]
    total: outcomes.Outcomes
    has_paid_work: bool

    @property
    def shown(self) -> str:
        """The key of the report's kept section: every figure it shows, with its cohorts'
        names and the organisation's target."""
        rows = [(cohort.id, cohort.name, figures) for cohort, figures in self.rows]
        return shown_key(rows, self.total, self.has_paid_work)


def outcome_report(org: Organisation, cohort: Cohort | None = None) -> Report:
    """The outcome figures of each of the organisation's cohorts (or of ``cohort`` alone) and
    of them all, as of today in Japan."""
    cohorts = [cohort] if cohort is not None else _cohorts_of(org)
    cohort_ids = [c.id for c in cohorts]
    records = trainee_records(cohort_ids)
    as_of = today_jst()
    # The earnings figures describe graduates only, over a window of recent months.
    paid = graduates_paid_work(cohort_ids, outcomes.earnings_window_start(as_of))
    target = org.target_monthly_yen
    rows = [(c, outcomes.compute_outcomes(records[c.id], paid, target, as_of)) for c in cohorts]
    if cohort is not None:  # one cohort's figures are their own total
        return Report(org, rows, rows[0][1], has_paid_work=bool(paid))
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


# Every enrolment of some cohorts (bound at each run) with its attendance counts.
TRAINEE_RECORDS = (
    sa.select(
        Enrolment.cohort_id,
        Enrolment.person_id,
        Enrolment.status,
        Enrolment.completed_at,
        Enrolment.sessions_present,
        Enrolment.sessions_recorded,
    )
    .where(Enrolment.cohort_id.in_(sa.bindparam("cohort_ids", expanding=True)))
    .order_by(Enrolment.id)
)
# The graduates of those cohorts: the earnings figures describe them only.
GRADUATES = sa.select(Enrolment.person_id).where(
    Enrolment.cohort_id.in_(sa.bindparam("cohort_ids", expanding=True)),
    Enrolment.status == "completed",
)
# Their net pay on each day they were paid since a day (bound), in any team, beside their first
# paid day: the payouts' paid-day summaries, read together (a graduate may have either alone).
_PAID_SINCE = (
    sa.select(PaidDay.person_id, PaidDay.paid_on, PaidDay.net_yen)
    .where(PaidDay.person_id.in_(GRADUATES), PaidDay.paid_on >= sa.bindparam("since"))
    .subquery("paid_since")
)
_FIRST_PAID = (
    sa.select(FirstPaidDay.person_id, FirstPaidDay.paid_on)
    .where(FirstPaidDay.person_id.in_(GRADUATES))
    .subquery("first_paid")
)
GRADUATES_PAID_WORK = sa.select(
    sa.func.coalesce(_PAID_SINCE.c.person_id, _FIRST_PAID.c.person_id),
    _FIRST_PAID.c.paid_on,
    _PAID_SINCE.c.paid_on,
    _PAID_SINCE.c.net_yen,
).join_from(_PAID_SINCE, _FIRST_PAID, _PAID_SINCE.c.person_id == _FIRST_PAID.c.person_id, full=True)


def trainee_records(cohort_ids: list[int]) -> dict[int, list[outcomes.TraineeRecord]]:
    """The record of every enrolment of these cohorts, by cohort id, in one query."""
    records: dict[int, list[outcomes.TraineeRecord]] = defaultdict(list)
    for cohort_id, person_id, status, completed_at, present, recorded in db.session.execute(
        TRAINEE_RECORDS, {"cohort_ids": cohort_ids}
    ):
        completed_on = completed_at.astimezone(JST).date() if completed_at else None
        records[cohort_id].append(
            outcomes.TraineeRecord(person_id, status, completed_on, present, recorded)
        )
    return records


def graduates_paid_work(cohort_ids: list[int], since: date) -> dict[int, outcomes.PaidWork]:
    """What the graduates of these cohorts were paid through teamhub in every team they are in:
    their first paid day, and their net pay per month from ``since`` on."""
    params = {"cohort_ids": cohort_ids, "since": since}
    recent, firsts = [], {}
    for person_id, first_paid_on, paid_on, net in db.session.execute(GRADUATES_PAID_WORK, params):
        if first_paid_on is not None:
            firsts[person_id] = first_paid_on
        if paid_on is not None:
            recent.append((person_id, paid_on, net))
    return outcomes.paid_work_from(recent, firsts)


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
