"""The outcome report of an organisation or a cohort, its city-hall CSV, and its charts."""

from __future__ import annotations

from flask import Response, render_template, request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from teamhub.clock import today_jst
from teamhub.downloads import csv_download
from teamhub.training import charts, outcomes, queries, reports
from teamhub.training.access import cohort_access, org_access

# SVG images carry pygal's own <style>; they may use it, and nothing else.
CHART_CSP = "default-src 'none'; style-src 'unsafe-inline'"


def _report_page(access, report: reports.Report, cohort=None) -> str:
    return render_template(
        "training/outcomes.html",
        access=access,
        org=access.org,
        report=report,
        cohort=cohort,
        minimum=outcomes.MIN_CELL_PEOPLE,
        shown=report.shown,
    )


@login_required
def org_outcomes(org_slug):
    access = org_access(org_slug, current_user)
    return _report_page(access, reports.outcome_report(access.org))


@login_required
def cohort_outcomes(org_slug, cohort_id):
    access, cohort = cohort_access(org_slug, cohort_id, current_user)
    return _report_page(access, reports.outcome_report(access.org, cohort), cohort)


def csv_header() -> list[str]:
    """The city-hall CSV's columns: each says whom its figure describes, and in what unit."""
    return [
        _("Cohort"),
        _("Enrolled (people, withdrawn included)"),
        _("In training (people)"),
        _("Graduates (people)"),
        _("Withdrawn (people)"),
        _("Attendance rate (%; trainees with attendance recorded)"),
        _("Graduates with a first paid assignment (people)"),
        _(
            "Median days from completion to first paid work (graduates with a first paid assignment)"
        ),
        _("Graduates counted for monthly earnings (people; a complete month since completion)"),
        _(
            "Median monthly earnings (yen; graduates counted, ¥0 included; blank unless 5 or more earned)"
        ),
        _("Graduates reaching the target monthly income (people; of the graduates counted)"),
        _("Target monthly income (yen)"),
    ]


@login_required
def outcomes_csv(org_slug):
    access = org_access(org_slug, current_user)
    report = reports.outcome_report(access.org)
    rows = [(c.name, o) for c, o in report.rows] + [(_("All cohorts"), report.total)]
    filename = f"outcomes-{access.org.slug}-{today_jst().isoformat()}.csv"
    return csv_download(outcomes.outcomes_csv(csv_header(), rows).encode("utf-8"), filename)


# Charts --------------------------------------------------------------------------------------


def _svg(data: bytes) -> Response:
    return Response(data, mimetype="image/svg+xml", headers={"Content-Security-Policy": CHART_CSP})


def _narrow() -> bool:
    """Whether the page asks for the chart drawn for a phone (``?size=narrow``)."""
    return request.args.get("size") == "narrow"


def _progress_svg(cohorts) -> Response:
    """Weekly totals from the first enrolment day to the last completion."""
    modules, graduates = reports.completion_days([c.id for c in cohorts])
    start = min((c.enrol_opens_on for c in cohorts), default=today_jst())
    end = max([start, *modules, *graduates])
    return _svg(
        charts.progress_chart(
            _("Progress over time"),
            _("Modules completed"),
            _("Graduates"),
            outcomes.cumulative_by_week(modules, start, end),
            outcomes.cumulative_by_week(graduates, start, end),
            narrow=_narrow(),
        )
    )


def _earnings_svg(report: reports.Report) -> Response:
    bands = outcomes.earnings_bands(report.total.graduate_earnings, report.total.target_yen)
    return _svg(
        charts.earnings_chart(
            _("Monthly earnings of graduates"),
            _("Graduates"),
            bands,
            people=lambda n: ngettext("%(n)d person", "%(n)d people", n, n=n),
            narrow=_narrow(),
        )
    )


@login_required
def org_progress_chart(org_slug):
    access = org_access(org_slug, current_user)
    return _progress_svg(queries.cohorts(access.org))


@login_required
def cohort_progress_chart(org_slug, cohort_id):
    _access, cohort = cohort_access(org_slug, cohort_id, current_user)
    return _progress_svg([cohort])


@login_required
def org_earnings_chart(org_slug):
    access = org_access(org_slug, current_user)
    return _earnings_svg(reports.outcome_report(access.org))


@login_required
def cohort_earnings_chart(org_slug, cohort_id):
    access, cohort = cohort_access(org_slug, cohort_id, current_user)
    return _earnings_svg(reports.outcome_report(access.org, cohort))
