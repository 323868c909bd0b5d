"""The outcome report's rows of figures, written in Python.

An organisation's report has a row per cohort (200 in the national benchmark), nine figures
each. Written by Jinja macros (a macro call per cell, ~25 µs) they were ~45 ms of a ~300 ms
page; here a row is a few string joins.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from teamhub.i18n import request_translations, yen
from teamhub.training.outcomes import Figure, Outcomes

# The figures of a row, in the table's column order, and how each is written.
ROW_FIGURES = (
    ("enrolled", "count"),
    ("active", "count"),
    ("completed", "count"),
    ("withdrawn", "count"),
    ("attendance_rate", "percent"),
    ("with_first_paid", "count"),
    ("median_days_to_first_paid", "days"),
    ("median_monthly_earnings", "yen"),
    ("reached_target", "count"),
)


def figure_text(figure: Figure, kind: str) -> str:
    """A figure as the table shows it: "—" when there is none."""
    value = figure.value
    if value is None:
        return "—"
    if kind == "yen":
        return yen(value)
    if kind == "percent":
        return f"{value}%"
    if kind == "days":
        return request_translations().ugettext("%(n)d days") % {"n": value}
    return str(value)


def outcome_row(label: str, outcomes: Outcomes, minimum: int) -> Markup:
    """One row of the figures table: the label, then a cell per figure, marked ``small-cell``
    when it describes fewer than ``minimum`` people (the export blanks those)."""
    cells = "".join(
        '<td class="num{}">{}</td>'.format(
            " small-cell" if figure.people < minimum else "",
            escape(figure_text(figure, kind)),
        )
        for figure, kind in ((getattr(outcomes, name), kind) for name, kind in ROW_FIGURES)
    )
    return Markup(f'<tr><th scope="row">{escape(label)}</th>{cells}</tr>')  # noqa: S704 - escaped
