"""Demo payouts: past months of each demo team's work, built through the real services.

Each month's job is recorded, offered, done and approved through the assignment state machine,
then dated back into its month (``demo.history``): due within the month, most work approved as
delivered, a few pieces sent back once, a delivery or two late. The money is received; the
months are closed and paid, except the Amami writers' last month, whose money is in and work
approved but whose close is left for a newcomer to try. The Ashikaga designers are graduates of
the demo NPO cohort, so its outcome report shows real pay.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

import sqlalchemy as sa

from teamhub.clock import from_jst, today_jst, utcnow
from teamhub.demo.history import (
    Timeline,
    date_back,
    date_close_back,
    last_notification_id,
    read_and_sent_since,
)
from teamhub.demo.work import advance, offer
from teamhub.extensions import db
from teamhub.jobs import services as jobs
from teamhub.payouts import periods, services
from teamhub.teams.models import Membership, Team


@dataclass(frozen=True)
class Months:
    """A demo team's past work: what it is, for how many months, and how many of the latest
    are left without a close."""

    source: str
    category: str
    title: str
    unit_name: str
    unit_yen: int
    months: int
    left_open: int = 0


WORK = {
    "amami-writers": Months(
        "crowdworks", "writing", "観光・暮らし記事", "記事（3,000字）", 3_000, 4, 1
    ),
    "ashikaga-design": Months("lancers", "design", "商店街チラシ・バナー制作", "点", 40_000, 3),
}
# (worker, month) pairs whose work was sent back once, and those delivered after the due date:
# about one piece in five revised, one in twenty late, as in a steady team.
REVISED = {(0, 1), (1, 3), (2, 0), (3, 2), (4, 1)}
LATE = {(4, 2)}


def _members(team: Team) -> tuple[Membership, Membership | None, list[Membership]]:
    rows = list(
        db.session.scalars(
            sa.select(Membership).where(Membership.team_id == team.id).order_by(Membership.id)
        )
    )
    director = next(m for m in rows if m.role == "director")
    editor = next((m for m in rows if m.role == "editor"), None)
    return director, editor, [m for m in rows if m.role == "member"][:6]


def _timeline(start: date, due_day: date, worker: int, month: int) -> Timeline:
    """When one worker's part of a month's job was offered, answered, delivered and due."""
    offered = from_jst(start + timedelta(days=1), time(9, 0))
    answered = offered + timedelta(hours=2 + 3 * worker)  # all within a day
    delivered_day = start + timedelta(days=6 + 2 * worker)
    if (worker, month) in LATE:
        delivered_day = due_day + timedelta(days=1)
    return Timeline(
        offered=offered,
        answered=answered,
        delivered=from_jst(delivered_day, time(15, 0)),
        due=from_jst(due_day, time(18, 0)),
        revised=(worker, month) in REVISED,
    )


def _month_of_work(team, director, editor, workers, start: date, end: date, month: int):
    work = WORK[team.slug]
    units = [4 + (i * 3 + month) % 5 for i in range(len(workers))]
    marker = last_notification_id()
    job = jobs.record_job(team, director.person, jobs.JobInput(
        title=f"{start:%-m}月 {work.title}", client_name="地元の観光協会", source=work.source,
        category=work.category, contract_yen=work.unit_yen * sum(units), unit_name=work.unit_name,
        unit_count=sum(units), due_at=from_jst(today_jst() + timedelta(days=7), time(18, 0)),
    ))  # fmt: skip
    if job.needs_escrow:
        jobs.confirm_escrow(job, director.person, from_jst(start, time(9, 0)))
    due_day = start + (end - start) * 3 // 4  # the 23rd of a 31-day month
    for worker, (member, count) in enumerate(zip(workers, units, strict=True)):
        assignment = offer(job, director, member, count)
        when = _timeline(start, due_day, worker, month)
        advance(assignment, member, editor or director, director, "approved", when.revised)
        date_back(assignment, when)
    job.created_at = from_jst(start, time(8, 30))
    job.due_at = from_jst(due_day, time(18, 0))
    read_and_sent_since(marker, from_jst(due_day, time(20, 0)))
    services.record_receipt(job, services.estimated_received(job), end - timedelta(days=4))


def _past_periods(team: Team, count: int) -> list[tuple[date, date]]:
    """The team's last ``count`` ended payout periods, oldest first."""
    ends, day = [], today_jst()
    for _month in range(count):
        start, end = periods.previous_period(team.close_schedule, day)
        ends.append((start, end))
        day = start
    return list(reversed(ends))


def _close_and_pay(team: Team, director: Membership, end: date, today: date) -> None:
    """Close a past month the morning after it ended and pay it ten days later, its notices
    (statements ready) sent and read then."""
    marker = last_notification_id()
    close = services.confirm_close(team, end, director.person)
    paid_on = min(end + timedelta(days=10), today)
    now = utcnow()
    confirmed_at = min(from_jst(end + timedelta(days=1), time(10, 0)), now)
    services.mark_paid(close, paid_on)
    date_close_back(close, confirmed_at, min(from_jst(paid_on, time(10, 0)), now))
    read_and_sent_since(marker, confirmed_at)


def load_payouts_demo() -> None:
    """Each demo team's past months of work, closed and paid but for the months left open."""
    today = today_jst()
    for slug, work in WORK.items():
        team = db.session.scalar(sa.select(Team).where(Team.slug == slug))
        if team is None:
            continue
        director, editor, workers = _members(team)
        past = _past_periods(team, work.months)
        for month, (start, end) in enumerate(past):
            _month_of_work(team, director, editor, workers, start, end, month)
            if month < len(past) - work.left_open:
                _close_and_pay(team, director, end, today)
    db.session.flush()
