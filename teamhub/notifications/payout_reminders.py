"""Scheduled payout reminders: member payments due under the 60-day rule, withholding tax due.

Like the other reminders, each takes ``now`` and returns what it did; every notice is keyed by
its close or its month.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa

from teamhub.assignments.terms import SIXTY_DAY_PAYER_TYPES
from teamhub.clock import JST
from teamhub.extensions import db
from teamhub.notifications.links import path_for
from teamhub.notifications.services import notify_all
from teamhub.payouts import periods
from teamhub.payouts.models import MEMBER, TAX_OFFICE, LedgerEntry, PayoutClose
from teamhub.scheduling import Done
from teamhub.teams.models import WITHHOLDING_PAYER_TYPES, Team
from teamhub.teams.queries import people_with_roles

# Directors hear about a payment this many days before its last lawful day.
PAYMENT_WARNING_DAYS = 7
WITHHOLDING_DAY = 10


def _today(now: datetime) -> date:
    return now.astimezone(JST).date()


def _directors(team_id: int) -> list[int]:
    return people_with_roles(team_id, ("director",))


def _close_link(close: PayoutClose) -> str:
    return path_for("payouts.close_detail", slug=close.team.slug, close_id=close.id)


def payments_falling_due(today: date, *teams) -> list[tuple[PayoutClose, date, int]]:
    """Unpaid closes (of ``teams``, or every team) whose first 60-day payment date is within
    the warning days or past: each with that date and what its members are owed."""
    rows = db.session.execute(
        sa.select(
            PayoutClose,
            sa.func.min(LedgerEntry.payment_due_on),
            -sa.func.sum(LedgerEntry.amount_yen),
        )
        .join(LedgerEntry, LedgerEntry.close_id == PayoutClose.id)
        .join(Team, Team.id == PayoutClose.team_id)
        .where(
            PayoutClose.status == "confirmed",
            LedgerEntry.account == MEMBER,
            Team.payer_type.in_(SIXTY_DAY_PAYER_TYPES),
            *([Team.id.in_([t.id for t in teams])] if teams else []),
        )
        .group_by(PayoutClose.id)
        .order_by(PayoutClose.id)
    ).all()
    return [
        (close, due_on, int(owed or 0))
        for close, due_on, owed in rows
        if due_on is not None and (due_on - today).days <= PAYMENT_WARNING_DAYS
    ]


def payment_due(now: datetime) -> Done:
    """Warn directors of unpaid closes whose 60-day payment date is near or past."""
    today = _today(now)
    done = Done()
    for close, due_on, owed in payments_falling_due(today):
        kind = "payment_overdue" if due_on < today else "payment_due_soon"
        params = {
            "team": close.team.name,
            "period_end": close.period_end.isoformat(),
            "due_on": due_on.isoformat(),
            "amount_yen": owed,
        }
        sent = notify_all(
            _directors(close.team_id), kind, f"close:{close.id}", params,
            link=_close_link(close), period=due_on.isoformat(), team_id=close.team_id,
        )  # fmt: skip
        done.count(close.team_id, sent)
    return done


def withholding_to_pay(today: date, *teams) -> list[tuple[Team, int]]:
    """From the 1st to the 10th: teams (of ``teams``, or every team) that withheld tax last
    month, with the amount to pay the tax office."""
    if today.day > WITHHOLDING_DAY:
        return []
    last_month_end = today.replace(day=1) - timedelta(days=1)
    rows = db.session.execute(
        sa.select(Team, -sa.func.sum(LedgerEntry.amount_yen))
        .join(PayoutClose, PayoutClose.team_id == Team.id)
        .join(LedgerEntry, LedgerEntry.close_id == PayoutClose.id)
        .where(
            Team.payer_type.in_(WITHHOLDING_PAYER_TYPES),
            PayoutClose.period_end >= last_month_end.replace(day=1),
            PayoutClose.period_end <= last_month_end,
            LedgerEntry.account == TAX_OFFICE,
            *([Team.id.in_([t.id for t in teams])] if teams else []),
        )
        .group_by(Team.id)
        .order_by(Team.id)
    ).all()
    return [(team, int(withheld)) for team, withheld in rows if withheld and withheld > 0]


def withholding_due_on(today: date) -> date:
    """The day last month's withheld tax is due (the 10th, or the next business day)."""
    return periods.withholding_due_on(today.replace(day=1) - timedelta(days=1))


def withholding_due(now: datetime) -> Done:
    """Remind directors of withholding teams, by the 10th, of last month's withheld tax."""
    today = _today(now)
    last_month_end = today.replace(day=1) - timedelta(days=1)
    done = Done()
    for team, withheld in withholding_to_pay(today):
        params = {
            "team": team.name,
            "due_on": withholding_due_on(today).isoformat(),
            "amount_yen": withheld,
        }
        sent = notify_all(
            _directors(team.id), "withholding_due", f"team:{team.id}", params,
            link=path_for("payouts.index", slug=team.slug),
            period=last_month_end.strftime("%Y-%m"), team_id=team.id,
        )  # fmt: skip
        done.count(team.id, sent)
    return done
