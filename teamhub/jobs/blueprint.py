from flask import Blueprint, render_template
from markupsafe import Markup

from teamhub.fragments import cached_section
from teamhub.jobs import views
from teamhub.jobs.forms import split_row_texts

bp = Blueprint("jobs", __name__, url_prefix="/teams/<slug>/jobs")

rule = bp.add_url_rule
rule("", view_func=views.job_list)
rule("/new", view_func=views.new_job, methods=["GET", "POST"])
rule("/<int:job_id>", view_func=views.job_board)
rule("/<int:job_id>/edit", view_func=views.edit_job, methods=["GET", "POST"])
rule("/<int:job_id>/escrow", view_func=views.confirm_escrow, methods=["POST"])
rule("/<int:job_id>/acknowledge", view_func=views.acknowledge_flags, methods=["POST"])
rule("/<int:job_id>/cancel", view_func=views.cancel_job, methods=["POST"])
rule("/<int:job_id>/split", view_func=views.split_job, methods=["GET", "POST"])

bp.add_app_template_global(split_row_texts)


@bp.app_template_global()
def board_assignments(slug: str, board) -> Markup:
    """The job board's assignments and workloads, written once per the same rows and language
    (read anew on every visit, as :func:`split_team_table`)."""
    return cached_section(
        "jobs/_board_assignments.html",
        slug=slug,
        assignments=tuple(board.assignments),
        overdue_ids=board.overdue_ids,
        by_state=tuple(sorted(board.by_state.items())),
        loads=tuple(board.by_member),
    )


@bp.app_template_global()
def split_team_table(pool) -> Markup:
    """The split page's table of the team, written once per the same members' figures and
    language (the figures are read anew on every visit; only their writing is kept)."""
    return cached_section("jobs/_split_team.html", pool=tuple(pool))


@bp.app_template_global()
def split_form_rows(rows, members) -> Markup:
    """The split form's rows: kept like :func:`split_team_table` when no row has errors (a
    visit, or a save refused as a whole), written anew with a row's errors."""
    if any(row.errors for row in rows):
        return Markup(  # noqa: S704 - Jinja escaped it
            render_template("jobs/_split_rows_section.html", rows=rows, members=members)
        )
    return cached_section("jobs/_split_rows_section.html", rows=tuple(rows), members=tuple(members))
