"""The payouts' scheduled task: close each team's period once it has ended."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from teamhub import signals
from teamhub.clock import JST
from teamhub.errors import DomainError
from teamhub.extensions import db
from teamhub.payouts import periods, services
from teamhub.scheduling import Done, ScheduledJob
from teamhub.teams.models import Team


def close_due(now: datetime) -> Done:
    """Close each team's last ended period when approved, received work waits for it; count
    the notices its directors were sent."""
    done = Done()
    today = now.astimezone(JST).date()
    for team in db.session.scalars(sa.select(Team).order_by(Team.id)):
        _start, end = periods.previous_period(team.close_schedule, today)
        if services.find_close(team, end) is None:
            done.count(team.id, _close_period(team, end))
    return done


def _close_period(team: Team, end: date) -> int:
    try:
        close = services.confirm_close(team, end, None)
    except services.NothingToClose:
        return 0  # nothing approved and received in this period: no close to review
    except DomainError as refusal:
        return signals.notices_sent(
            signals.close_refused.send(team, period_end=end, reason=refusal.message)
        )
    return signals.notices_sent(signals.close_ready.send(close))


TASKS = [
    ScheduledJob(
        "close_due",
        _l("Payout closes for periods that ended"),
        close_due,
        daily_at=(6, 0),
        for_directors=_l(
            "The morning after a payout period ends, makes its close from the approved work "
            "whose money was received, and asks you to review it."
        ),
    ),
]
