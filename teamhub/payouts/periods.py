"""Payout periods: month-end closes, or the 15th and month-end."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

SCHEDULES = ("month_end", "semi_monthly")


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def period_containing(schedule: str, day: date) -> tuple[date, date]:
    """Return the (first, last) day of the payout period that contains ``day``."""
    if schedule == "semi_monthly":
        if day.day <= 15:
            return day.replace(day=1), day.replace(day=15)
        return day.replace(day=16), _month_end(day)
    return day.replace(day=1), _month_end(day)


def is_period_end(schedule: str, day: date) -> bool:
    return period_containing(schedule, day)[1] == day


def previous_period(schedule: str, day: date) -> tuple[date, date]:
    """The last period that ended before ``day``."""
    start, _end = period_containing(schedule, day)
    return period_containing(schedule, start - timedelta(days=1))


def withholding_due_on(period_end: date) -> date:
    """Withheld income tax is paid to the tax office by the 10th of the following month."""
    following = _month_end(period_end) + timedelta(days=1)
    return following.replace(day=10)
