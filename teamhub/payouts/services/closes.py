"""Payout closes: a period's approved work on jobs whose money was received, settled job by job
and posted once to the append-only ledger; then marked paid."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from teamhub import signals
from teamhub.assignments.models import ACTIVE_STATES, Assignment
from teamhub.auth.models import Person
from teamhub.claims import claim, insert_once
from teamhub.clock import today_jst, utcnow
from teamhub.errors import Conflict, Invalid
from teamhub.extensions import db
from teamhub.jobs.models import Job
from teamhub.payouts import periods
from teamhub.payouts.models import (
    MEMBER,
    RECEIVED,
    RETAINED,
    SHARE,
    TAX_OFFICE,
    TEAM_FEE,
    WITHHOLDING,
    ClosedJob,
    FirstPaidDay,
    LedgerEntry,
    PaidDay,
    PayoutClose,
)
from teamhub.payouts.queries import PersonIds, first_paid_per_person, net_paid_per_day
from teamhub.payouts.services.settlement import (
    ApprovedWork,
    ClosePreview,
    Settlement,
    settle,
    statements,
)
from teamhub.teams.models import Membership, Team

Work = list[tuple[Job, list[ApprovedWork]]]  # each job a close distributes, with its approved work


class NothingToClose(Invalid):
    """The period has no approved work on jobs whose money was received: no close is made."""

    def __init__(self):
        message = _("Nothing to pay out in this period: no approved work on jobs whose money was received.")  # fmt: skip
        super().__init__(message)


def _eligible_jobs(team: Team, period_end: date) -> list[Job]:
    """The team's received jobs up to ``period_end`` with no work still open, not yet closed."""
    busy = sa.select(Assignment.job_id).where(
        Assignment.team_id == team.id, Assignment.state.in_(ACTIVE_STATES)
    )
    closed = (
        sa.select(ClosedJob.job_id)
        .join(Job, Job.id == ClosedJob.job_id)
        .where(Job.team_id == team.id)
    )
    return list(
        db.session.scalars(
            sa.select(Job)
            .where(
                Job.team_id == team.id,
                Job.received_yen.is_not(None),
                Job.received_on <= period_end,
                Job.id.not_in(busy),
                Job.id.not_in(closed),
            )
            .order_by(Job.received_on, Job.id)
        )
    )


def _approved_work(team: Team, jobs: list[Job]) -> list[ApprovedWork]:
    """The jobs' approved assignments, read as rows (a national team's month holds 100,000)."""
    if not jobs:
        return []
    by_id = {j.id: j for j in jobs}
    rows = db.session.execute(
        sa.select(
            Assignment.id, Assignment.job_id, Assignment.membership_id, Assignment.units,
            Assignment.pay_basis, Assignment.fixed_yen,
            sa.func.coalesce(Assignment.first_submitted_at, Assignment.approved_at),
        )
        .where(Assignment.job_id.in_(list(by_id)), Assignment.state == "approved")
        .order_by(Assignment.id)
    )  # fmt: skip
    # The whole team's memberships (a few hundred at most, removed members included): cheaper
    # than collecting the ids of 100,000 rows to ask for them.
    members = {
        m.id: m
        for m in db.session.scalars(
            sa.select(Membership)
            .where(Membership.team_id == team.id)
            .options(selectinload(Membership.person))
        )
    }
    return [ApprovedWork(*row, by_id[row.job_id], members[row.membership_id]) for row in rows]


def _close_work(team: Team, period_end: date) -> tuple[date, Work]:
    """The period's first day and each job the close distributes with its approved work, after
    checking that ``period_end`` ends a period that is over."""
    start, end = periods.period_containing(team.close_schedule, period_end)
    if end != period_end:
        raise Invalid(_("Choose the last day of a payout period."))
    if period_end >= today_jst():
        raise Invalid(
            _(
                "This period ends on %(date)s. Close it from the next day on, when all its money is in.",
                date=period_end.strftime("%Y/%m/%d"),
            )
        )
    jobs = _eligible_jobs(team, period_end)
    by_job: dict[int, list[ApprovedWork]] = defaultdict(list)
    for a in _approved_work(team, jobs):
        by_job[a.job_id].append(a)
    return start, [(j, by_job[j.id]) for j in jobs if by_job[j.id]]


def preview_close(team: Team, period_end: date) -> ClosePreview:
    """Compute the close for the period ending ``period_end`` without posting anything."""
    start, work = _close_work(team, period_end)
    settlements = [settle(team, job, approved, period_end) for job, approved in work]
    return ClosePreview(team, start, period_end, settlements, statements(settlements))


def find_close(team: Team, period_end: date) -> PayoutClose | None:
    return db.session.scalar(
        sa.select(PayoutClose).where(
            PayoutClose.team_id == team.id, PayoutClose.period_end == period_end
        )
    )


def confirm_close(team: Team, period_end: date, by: Person | None) -> PayoutClose:
    """Post the period's close once: a repeat, a retry or a second scheduler gets the same close.

    All of it or nothing: a job that cannot be settled (``Invalid``) takes back the close and what
    was written. A period without work to pay out raises :class:`NothingToClose`.
    """
    existing = find_close(team, period_end)
    if existing is not None:
        return existing
    start, work = _close_work(team, period_end)
    if not work:
        raise NothingToClose()
    by_id = by.id if by else None
    close = PayoutClose(
        team_id=team.id, period_start=start, period_end=period_end, confirmed_by_id=by_id
    )
    with db.session.begin_nested():  # a job that cannot be settled takes the close back
        made = insert_once(close)
        if made:
            _post(close, team, work, by_id)
    if not made:  # another confirmation made it first: its close is the answer
        return find_close(team, period_end)
    signals.close_confirmed.send(close)
    return close


def _post(close: PayoutClose, team: Team, work: Work, by_id: int | None) -> None:
    """Write the close's jobs and its ledger entries, each table in one bulk insert (a national
    team's month is 105,000 entries)."""
    settlements = [settle(team, job, approved, close.period_end) for job, approved in work]
    closed = [{"close_id": close.id, "job_id": job.id, "team_id": close.team_id} for job, _ in work]
    db.session.execute(sa.insert(ClosedJob), closed)
    blank = {
        "team_id": close.team_id, "close_id": close.id, "created_by_id": by_id,
        "created_at": utcnow(), "assignment_id": None, "membership_id": None, "units": 0,
        "payment_due_on": None, "kind": "", "note": "", "reverses_id": None,
    }  # fmt: skip
    rows = [row for s in settlements for row in _job_entries(blank, s)]
    rows += _withholding_entries(blank, settlements)
    # The table's insert, not the ORM's bulk insert of the model: rows go as they are, without
    # the mapper's work on each (105,000 entries in 2.8 s, not 4.4 s, foreign keys checked).
    db.session.execute(sa.insert(LedgerEntry.__table__), rows)


def _job_entries(blank: dict, s: Settlement) -> list[dict]:
    """What a job brought in, its team fee, each member's share and what the team kept."""
    job = {**blank, "job_id": s.job.id}
    rows = [
        {**job, "account": RECEIVED, "amount_yen": s.received_yen},
        {**job, "account": TEAM_FEE, "amount_yen": -s.team_fee_yen},
    ]
    rows += (
        {**job, "account": MEMBER, "amount_yen": -share.gross_yen, "kind": SHARE,
         "assignment_id": share.assignment.id, "membership_id": share.assignment.membership_id,
         "units": share.assignment.units, "payment_due_on": share.payment_due_on}
        for share in s.shares
    )  # fmt: skip
    if s.retained_yen:
        rows.append({**job, "account": RETAINED, "amount_yen": -s.retained_yen})
    return rows


def _withholding_entries(blank: dict, settlements: list[Settlement]) -> list[dict]:
    """Each member's withholding, on their statement's first job: yen moved from the member's
    pay to the tax office, two entries that balance."""
    rows = []
    for statement in statements(settlements):
        if withheld := statement.withheld_yen:
            member = {**blank, "job_id": statement.shares[0].assignment.job_id,
                      "membership_id": statement.membership.id, "kind": WITHHOLDING}  # fmt: skip
            rows.append({**member, "account": MEMBER, "amount_yen": withheld})
            rows.append({**member, "account": TAX_OFFICE, "amount_yen": -withheld})
    return rows


def mark_paid(close: PayoutClose, paid_on: date) -> None:
    """Record the day the members were paid (or correct it). A request that read the same close
    as another one marking it gets that one's answer when it sent the same day, a 409 when
    another."""
    if paid_on > today_jst():
        message = _("The payment date cannot be in the future.")
        raise Invalid(message, {"paid_on": message})
    if paid_on < close.period_end:
        message = _("Members cannot be paid before the period ends.")
        raise Invalid(message, {"paid_on": message})
    read = {"status": close.status, "paid_on": close.paid_on}
    if not claim(close, read, {"status": "paid", "paid_on": paid_on, "marked_paid_at": utcnow()}):
        if close.status == "paid" and close.paid_on == paid_on:
            return
        raise Conflict(_("Someone else marked this close paid meanwhile. Reload the page."))
    refresh_paid_days(_paid_people(close))


def _paid_people(close: PayoutClose) -> sa.Select:
    return (
        sa.select(Membership.person_id)
        .join(LedgerEntry, LedgerEntry.membership_id == Membership.id)
        .where(LedgerEntry.close_id == close.id, LedgerEntry.account == MEMBER)
        .distinct()
    )


def refresh_paid_days(person_ids: PersonIds) -> None:
    """Rebuild these people's paid days (:class:`PaidDay`, :class:`FirstPaidDay`) from the ledger.

    The people's rows are locked first, so two directors marking closes paid at once for someone
    in both teams take turns, and the second rebuild sees the first close paid.
    """
    people = sorted(
        db.session.scalars(
            sa.select(Person.id).where(Person.id.in_(person_ids)).with_for_update()
        ).all()
    )
    if not people:
        return
    db.session.execute(sa.delete(PaidDay).where(PaidDay.person_id.in_(people)))
    db.session.execute(sa.delete(FirstPaidDay).where(FirstPaidDay.person_id.in_(people)))
    db.session.execute(
        sa.insert(PaidDay).from_select(
            ["person_id", "paid_on", "net_yen"], net_paid_per_day(people)
        )
    )
    db.session.execute(
        sa.insert(FirstPaidDay).from_select(["person_id", "paid_on"], first_paid_per_person(people))
    )
