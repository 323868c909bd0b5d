"""Outcome figures for a cohort or an organisation, and the city-hall CSV export.

Everything here is pure arithmetic on plain values, so each rule is tested with exact numbers;
:mod:`teamhub.training.reports` reads the values.

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
  (zero included) is left blank. The median of monthly earnings describes the graduates who
  earned something: with ¥0 counted, a median over 5 graduates of whom 3 earned is one
  person's pay, so it is shown only when at least ``MIN_CELL_PEOPLE`` graduates earned.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

EARNINGS_WINDOW_MONTHS = 3
MIN_CELL_PEOPLE = 5


@dataclass(frozen=True)
class PaidWork:
    """What a person earned through teamhub: their first paid day and net pay per month."""

    first_paid_on: date | None = None
    net_by_month: dict[str, int] = field(default_factory=dict)  # "YYYY-MM" → whole yen


def paid_work_from(
    recent: Iterable[tuple[int, date, int]], firsts: dict[int, date]
) -> dict[int, PaidWork]:
    """Each person's paid work from their (person, paid day, net yen) rows of a window and their
    first paid days: everyone with a first paid day, plus anyone paid in the window."""
    nets: dict[int, dict[str, int]] = {person_id: {} for person_id in firsts}
    for person_id, paid_on, net in recent:
        by_month = nets.setdefault(person_id, {})
        month = month_key(paid_on)
        by_month[month] = by_month.get(month, 0) + net
    return {
        person_id: PaidWork(firsts.get(person_id), by_month) for person_id, by_month in nets.items()
    }


@dataclass(frozen=True)
class TraineeRecord:
    """One trainee's facts for the report (one enrolment, or one person across cohorts)."""

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

    @property
    def small(self) -> bool:
        """Whether it describes too few people to be exported (the report marks it)."""
        return self.people < MIN_CELL_PEOPLE

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

    @property
    def earnings_counted(self) -> Figure:
        """How many graduates the monthly earnings figures are computed over (¥0 included)."""
        n = len(self.graduate_earnings)
        return Figure(n, n)


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


def _month_index(day: date) -> int:
    """Months since the start of year 0: consecutive months have consecutive numbers."""
    return day.year * 12 + day.month - 1


def _month_name(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_key(day: date) -> str:
    return _month_name(_month_index(day))


def earnings_window_start(as_of: date, window: int = EARNINGS_WINDOW_MONTHS) -> date:
    """The first day of the earliest month :func:`monthly_earnings` can look at."""
    first = _month_index(as_of) - window
    return date(first // 12, first % 12 + 1, 1)


def complete_months_after(completed_on: date, as_of: date) -> list[str]:
    """Calendar months after the completion month and before the month of ``as_of``."""
    return [_month_name(i) for i in range(_month_index(completed_on) + 1, _month_index(as_of))]


def earnings_window(as_of: date, window: int = EARNINGS_WINDOW_MONTHS) -> list[tuple[int, str]]:
    """The complete calendar months a report averages pay over, the last ``window`` before the
    month of ``as_of``: (month number, "YYYY-MM"), oldest first. One for every graduate."""
    end = _month_index(as_of)
    return [(number, _month_name(number)) for number in range(end - window, end)]


def average_after(
    paid: PaidWork | None, completed_on: date, window: list[tuple[int, str]]
) -> int | None:
    """A graduate's average net yen per month over the window's months after the month they
    completed; None when none of them is."""
    completed = _month_index(completed_on)
    months = [name for number, name in window if number > completed]
    if not months:
        return None
    if paid is None:
        return 0
    return sum(paid.net_by_month.get(month, 0) for month in months) // len(months)


def monthly_earnings(
    paid: PaidWork | None,
    completed_on: date,
    as_of: date,
    window: int = EARNINGS_WINDOW_MONTHS,
) -> int | None:
    """A graduate's average net yen per month over the last complete months since completion."""
    return average_after(paid, completed_on, earnings_window(as_of, window))


def days_to_first_paid(completed_on: date, first_paid_on: date | None) -> int | None:
    """Days from completion to the first paid day; 0 for graduates already earning."""
    if first_paid_on is None:
        return None
    return max(0, (first_paid_on - completed_on).days)


def attendance_percent(present: int, recorded: int) -> int | None:
    return None if recorded == 0 else present * 100 // recorded


# A trainee's statuses from the least to the furthest along.
STATUS_ORDER = ("withdrawn", "active", "completed")


def merge_by_person(records: Iterable[TraineeRecord]) -> list[TraineeRecord]:
    """One record per person across cohorts: the best status, the first completion."""
    merged: dict[int, TraineeRecord] = {}
    for record in records:
        seen = merged.get(record.person_id)
        if seen is None:
            merged[record.person_id] = record
            continue
        dates = [d for d in (seen.completed_on, record.completed_on) if d is not None]
        merged[record.person_id] = TraineeRecord(
            person_id=record.person_id,
            status=max(seen.status, record.status, key=STATUS_ORDER.index),
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
    window = earnings_window(as_of)
    first_paid, earnings = [], []
    for r in graduates:
        work = paid.get(r.person_id)
        if work is not None and work.first_paid_on is not None:
            first_paid.append(days_to_first_paid(r.completed_on, work.first_paid_on))
        value = average_after(work, r.completed_on, window)
        if value is not None:
            earnings.append(value)
    reached = sum(1 for value in earnings if value >= target_yen)
    earned = sum(1 for value in earnings if value > 0)
    return Outcomes(
        enrolled=Figure(len(records), len(records)),
        active=_count(records, "active"),
        completed=_count(records, "completed"),
        withdrawn=_count(records, "withdrawn"),
        attendance_rate=Figure(attendance_percent(present, recorded), len(attended)),
        with_first_paid=Figure(len(first_paid), len(first_paid)),
        median_days_to_first_paid=Figure(median_whole(first_paid), len(first_paid)),
        median_monthly_earnings=Figure(median_whole(earnings), earned),
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
    bands: list[tuple[int, int | None]] = list(pairwise(edges))
    bands.append((target_yen, None))
    counts = [0] * len(bands)
    for value in values:
        for index, (low, high) in enumerate(bands):
            if value >= low and (high is None or value < high):
                counts[index] += 1
                break
    return [(low, high, counts[i]) for i, (low, high) in enumerate(bands)]


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
                        o.earnings_counted,
                        o.median_monthly_earnings,
                        o.reached_target,
                    )
                ),
                str(o.target_yen),
            ]
        )
    return "\ufeff" + buffer.getvalue()
