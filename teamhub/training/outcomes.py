"""Outcome figures for a cohort or an organisation, and the city-hall CSV export.

Everything below ``paid_work_by_person`` is pure arithmetic on plain values, so each rule is
tested with exact numbers. Earnings enter through ONE seam, :func:`paid_work_by_person`.

Definitions (shown to coordinators on the report page too):

- enrolled: everyone who took a place, including those who later withdrew;
  active: still in training; completed: graduated; withdrawn: left before the end.
- attendance rate: sessions attended ÷ sessions with attendance recorded, whole percent, down.
- first paid work: a graduate's first payout statement with money in it.
- days to first paid work: from the day of completion (Japan) to the first paid day; work
  that started before completion counts as 0 days. The median is over graduates who have it.
- monthly earnings: a graduate's net pay averaged over the last ``EARNINGS_WINDOW_MONTHS``
  complete calendar months after the month they completed (fewer if they completed recently);
  graduates without a complete month since completion are not counted yet.
- medians: the middle value, or the mean of the two middle values with the fraction dropped.
- small cells: in the export, any figure describing fewer than ``MIN_CELL_PEOPLE`` people
  (zero included) is left blank.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

EARNINGS_WINDOW_MONTHS = 3
MIN_CELL_PEOPLE = 5


@dataclass(frozen=True)
class PaidWork:
    """What a person earned through teamhub: their first paid day and net pay per month."""

    first_paid_on: date | None = None
    net_by_month: dict[str, int] = field(default_factory=dict)  # "YYYY-MM" → whole yen


def paid_work_by_person(
    person_ids, since: date | None = None, parameters: dict | None = None
) -> dict[int, PaidWork]:
    """Return each person's paid work, read from the payout statements of every team they are in.

    First paid day = the earliest paid close whose net pay to them was above zero; net_by_month =
    their net pay (after withholding) summed per calendar month of the day they were paid, from
    ``since`` on when given (a report needs only its earnings window, not years of history).
    ``person_ids`` is a list of ids, or (with ``since``) a query selecting them, whose bound
    parameters are ``parameters``.
    """
    from teamhub.payouts.queries import net_paid_by_person, paid_window_and_firsts

    if since is not None:
        return paid_work_from(*paid_window_and_firsts(person_ids, since, parameters))

    paid: dict[int, PaidWork] = {}
    for person_id, paid_on, net in sorted(net_paid_by_person(person_ids), key=lambda r: r[1]):
        work = paid.setdefault(person_id, PaidWork())
        month = f"{paid_on:%Y-%m}"
        work.net_by_month[month] = work.net_by_month.get(month, 0) + net
        if net > 0 and work.first_paid_on is None:
            paid[person_id] = PaidWork(paid_on, work.net_by_month)
    return paid


def paid_work_from(
    recent: Iterable[tuple[int, date, int]], firsts: dict[int, date]
) -> dict[int, PaidWork]:
    """Each person's paid work from their (person, paid day, net yen) rows of a window and their
    first paid days: everyone with a first paid day, plus anyone paid in the window."""
    nets: dict[int, dict[str, int]] = {person_id: {} for person_id in firsts}
    months: dict[date, str] = {}  # thousands of rows share a few dozen paid days
    for person_id, paid_on, net in recent:
        month = months.get(paid_on)
        if month is None:
            month = months[paid_on] = f"{paid_on:%Y-%m}"
        by_month = nets.get(person_id)
        if by_month is None:
            by_month = nets[person_id] = {}
        by_month[month] = by_month.get(month, 0) + net
    return {
        person_id: PaidWork(firsts.get(person_id), by_month) for person_id, by_month in nets.items()
    }


# The seam is looked up through this module at call time, so tests can replace it.
PaidWorkSource = Callable[[list[int]], dict[int, PaidWork]]


class TraineeRecord(NamedTuple):
    """One trainee's facts for the report (one enrolment, or one person across cohorts). A tuple:
    an organisation's report builds 10,000 of them per request."""

    person_id: int
    status: str  # active | completed | withdrawn
    completed_on: date | None = None
    sessions_present: int = 0
    sessions_recorded: int = 0


@dataclass(frozen=True)
class Figure:
    """A reported number and how many people it describes (for small-cell suppression)."""

    value: int | None
    people: int

    def for_export(self, minimum: int = MIN_CELL_PEOPLE) -> int | None:
        return suppress(self, minimum)


@dataclass(frozen=True)
class Outcomes:
    enrolled: Figure
    active: Figure
    completed: Figure
    withdrawn: Figure
    attendance_rate: Figure  # whole percent
    with_first_paid: Figure
    median_days_to_first_paid: Figure
    median_monthly_earnings: Figure  # whole yen
    reached_target: Figure
    target_yen: int
    graduate_earnings: tuple[int, ...] = ()  # each measurable graduate's monthly yen, sorted


def suppress(figure: Figure, minimum: int = MIN_CELL_PEOPLE) -> int | None:
    """Blank a figure that describes fewer than ``minimum`` people."""
    if figure.people < minimum:
        return None
    return figure.value


def median_whole(values: Iterable[int]) -> int | None:
    """The median of whole numbers, the fraction of an even middle dropped; None when empty."""
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) // 2


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def earnings_window_start(as_of: date, window: int = EARNINGS_WINDOW_MONTHS) -> date:
    """The first day of the earliest month :func:`monthly_earnings` can look at."""
    month_index = as_of.year * 12 + as_of.month - 1 - window
    return date(month_index // 12, month_index % 12 + 1, 1)


def complete_months_after(completed_on: date, as_of: date) -> list[str]:
    """Calendar months after the completion month and before the month of ``as_of``."""
    return list(_months_between(completed_on.year, completed_on.month, as_of.year, as_of.month))


@functools.lru_cache(maxsize=1024)
def _months_between(first_year: int, first_month: int, year_to: int, month_to: int) -> tuple:
    """Months after (first_year, first_month) and before (year_to, month_to); graduates of a
    cohort share their months, so a report of thousands computes each span once."""
    months = []
    year, month = _next_month(first_year, first_month)
    while (year, month) < (year_to, month_to):
        months.append(f"{year:04d}-{month:02d}")
        year, month = _next_month(year, month)
    return tuple(months)


def monthly_earnings(
    paid: PaidWork | None,
    completed_on: date,
    as_of: date,
    window: int = EARNINGS_WINDOW_MONTHS,
) -> int | None:
    """A graduate's average net yen per month over the last complete months since completion."""
    months = _window_months(completed_on.year, completed_on.month, as_of.year, as_of.month, window)
    if not months:
        return None
    if paid is None:
        return 0
    by_month = paid.net_by_month
    return sum(by_month.get(month, 0) for month in months) // len(months)


@functools.lru_cache(maxsize=1024)
def _window_months(first_year: int, first_month: int, year_to: int, month_to: int, window: int):
    return _months_between(first_year, first_month, year_to, month_to)[-window:]


def days_to_first_paid(completed_on: date, first_paid_on: date | None) -> int | None:
    """Days from completion to the first paid day; 0 for graduates already earning."""
    if first_paid_on is None:
        return None
    return max(0, (first_paid_on - completed_on).days)


def attendance_percent(present: int, recorded: int) -> int | None:
    return None if recorded == 0 else present * 100 // recorded


def merge_by_person(records: Iterable[TraineeRecord]) -> list[TraineeRecord]:
    """One record per person across cohorts: the best status, the first completion."""
    rank = {"withdrawn": 0, "active": 1, "completed": 2}
    merged: dict[int, TraineeRecord] = {}
    for record in records:
        seen = merged.get(record.person_id)
        if seen is None:
            merged[record.person_id] = record
            continue
        dates = [d for d in (seen.completed_on, record.completed_on) if d is not None]
        merged[record.person_id] = TraineeRecord(
            person_id=record.person_id,
            status=max(seen.status, record.status, key=rank.__getitem__),
            completed_on=min(dates) if dates else None,
            sessions_present=seen.sessions_present + record.sessions_present,
            sessions_recorded=seen.sessions_recorded + record.sessions_recorded,
        )
    return list(merged.values())


def _count(records: Sequence[TraineeRecord], status: str) -> Figure:
    n = sum(1 for r in records if r.status == status)
    return Figure(n, n)


def compute_outcomes(
    records: Sequence[TraineeRecord],
    paid: dict[int, PaidWork],
    target_yen: int,
    as_of: date,
) -> Outcomes:
    """Every figure of the outcome report from trainee records and their paid work."""
    graduates = [r for r in records if r.status == "completed" and r.completed_on is not None]
    attended = [r for r in records if r.sessions_recorded]
    present = sum(r.sessions_present for r in attended)
    recorded = sum(r.sessions_recorded for r in attended)
    first_paid, earnings = [], []
    for r in graduates:
        work = paid.get(r.person_id)
        if work is not None and work.first_paid_on is not None:
            first_paid.append(days_to_first_paid(r.completed_on, work.first_paid_on))
        value = monthly_earnings(work, r.completed_on, as_of)
        if value is not None:
            earnings.append(value)
    reached = sum(1 for value in earnings if value >= target_yen)
    return Outcomes(
        enrolled=Figure(len(records), len(records)),
        active=_count(records, "active"),
        completed=_count(records, "completed"),
        withdrawn=_count(records, "withdrawn"),
        attendance_rate=Figure(attendance_percent(present, recorded), len(attended)),
        with_first_paid=Figure(len(first_paid), len(first_paid)),
        median_days_to_first_paid=Figure(median_whole(first_paid), len(first_paid)),
        median_monthly_earnings=Figure(median_whole(earnings), len(earnings)),
        reached_target=Figure(reached, reached),
        target_yen=target_yen,
        graduate_earnings=tuple(sorted(earnings)),
    )


# Charts' data --------------------------------------------------------------------------------


def earnings_bands(values: Iterable[int], target_yen: int) -> list[tuple[int, int | None, int]]:
    """Count graduates per band of monthly earnings: (from yen, below yen or None, count).

    Bands: ¥0, then quarters of the target up to it, then the target and above.
    """
    quarter = max(1, target_yen // 4)
    edges = [0, 1, quarter, 2 * quarter, 3 * quarter, target_yen]
    bands = [(edges[i], edges[i + 1], 0) for i in range(len(edges) - 1)]
    bands.append((target_yen, None, 0))
    counts = [0] * len(bands)
    for value in values:
        for index, (low, high, _n) in enumerate(bands):
            if value >= low and (high is None or value < high):
                counts[index] += 1
                break
    return [(low, high, counts[i]) for i, (low, high, _n) in enumerate(bands)]


def cumulative_by_week(days: Iterable[date], start: date, end: date) -> list[tuple[date, int]]:
    """How many events had happened by the end of each week from ``start`` to ``end``."""
    ordered = sorted(days)
    points = []
    week_end = start
    index = 0
    while True:
        while index < len(ordered) and ordered[index] <= week_end:
            index += 1
        points.append((week_end, index))
        if week_end >= end:
            return points
        week_end = min(end, date.fromordinal(week_end.toordinal() + 7))


# The city-hall export ------------------------------------------------------------------------


def _cell(value: int | None) -> str:
    return "" if value is None else str(value)


def _text_cell(text: str) -> str:
    """Keep spreadsheet programs from reading a name as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def outcomes_csv(
    header: Sequence[str], rows: Sequence[tuple[str, Outcomes]], minimum: int = MIN_CELL_PEOPLE
) -> str:
    """Aggregated figures, one row per cohort (and a total), small cells blanked; with a BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for label, o in rows:
        writer.writerow(
            [
                _text_cell(label),
                *(
                    _cell(suppress(figure, minimum))
                    for figure in (
                        o.enrolled,
                        o.active,
                        o.completed,
                        o.withdrawn,
                        o.attendance_rate,
                        o.with_first_paid,
                        o.median_days_to_first_paid,
                        o.median_monthly_earnings,
                        o.reached_target,
                    )
                ),
                str(o.target_yen),
            ]
        )
    return "\ufeff" + buffer.getvalue()
