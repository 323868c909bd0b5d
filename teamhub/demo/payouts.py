"""Demo payouts: three months of closes for each demo team, built through the real services.

The work is offered, done and approved through the assignment state machine, then dated back into
the month it belongs to; the money is received, closed and (except Amami's latest close) paid.
The Ashikaga designers are graduates of the demo NPO cohort, so its outcome report shows real pay.
"""

from __future__ import annotations

from datetime import date, time, timedelta

import sqlalchemy as sa

from teamhub.clock import from_jst, today_jst
from teamhub.demo.work import advance, offer
from teamhub.extensions import db
from teamhub.jobs import services as jobs
from teamhub.payouts import periods, services
from teamhub.teams.models import Membership, Team

MONTHS = 3
WORK = {
    "amami-writers": ("crowdworks", "writing", "観光・暮らし記事", "記事（3,000字）", 3_000),
    "ashikaga-design": ("lancers", "design", "商店街チラシ・バナー制作", "点", 40_000),
}


def _members(team: Team) -> tuple[Membership, Membership | None, list[Membership]]:
    rows = list(
        db.session.scalars(
            sa.select(Membership).where(Membership.team_id == team.id).order_by(Membership.id)
        )
    )
    director = next(m for m in rows if m.role == "director")
    editor = next((m for m in rows if m.role == "editor"), None)
    return director, editor, [m for m in rows if m.role == "member"][:6]


def _month_of_work(team, director, editor, workers, start: date, end: date, month_index: int):
    source, category, title, unit_name, unit_yen = WORK[team.slug]
    units = [4 + (i * 3 + month_index) % 5 for i in range(len(workers))]
    job = jobs.record_job(team, director.person, jobs.JobInput(
        title=f"{start:%-m}月 {title}", client_name="地元の観光協会", source=source,
        category=category, contract_yen=unit_yen * sum(units), unit_name=unit_name,
        unit_count=sum(units), due_at=from_jst(today_jst() + timedelta(days=7), time(18, 0)),
    ))  # fmt: skip
    if job.needs_escrow:
        jobs.confirm_escrow(job, director.person, from_jst(start, time(9, 0)))
    for offset, (member, count) in enumerate(zip(workers, units, strict=True)):
        assignment = offer(job, director, member, count)
        advance(assignment, member, editor or director, director, "approved")
        delivered = from_jst(start + timedelta(days=8 + offset), time(15, 0))
        assignment.answered_at = from_jst(start + timedelta(days=1), time(10, 0))
        assignment.first_submitted_at = delivered
        assignment.approved_at = delivered + timedelta(days=1)
    job.due_at = from_jst(start + timedelta(days=20), time(18, 0))
    services.record_receipt(job, services.estimated_received(job), end - timedelta(days=4))


def load_payouts_demo() -> None:
    """Close the last three months of each demo team; leave Amami's latest close to be paid."""
    today = today_jst()
    for slug in WORK:
        team = db.session.scalar(sa.select(Team).where(Team.slug == slug))
        if team is None:
            continue
        director, editor, workers = _members(team)
        ends, day = [], today
        for _month in range(MONTHS):
            start, end = periods.previous_period(team.close_schedule, day)
            ends.append((start, end))
            day = start
        for index, (start, end) in enumerate(reversed(ends)):
            _month_of_work(team, director, editor, workers, start, end, index)
            close = services.confirm_close(team, end, director.person)
            latest = index == MONTHS - 1
            if not (latest and slug == "amami-writers"):
                services.mark_paid(close, min(end + timedelta(days=10), today))
    db.session.flush()
