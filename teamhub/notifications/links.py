"""Where a notice leads: paths of pages, built from a request, a CLI command or the scheduler."""

from __future__ import annotations

from flask import current_app

from teamhub.i18n import work_units


def path_for(endpoint: str, **values) -> str:
    """The path of a page, from a request, a CLI command or the scheduler alike."""
    adapter = current_app.url_map.bind("localhost", script_name="/")
    return adapter.build(endpoint, values)


def assignment_link(assignment) -> str:
    return path_for(
        "assignments.detail", slug=assignment.job.team.slug, assignment_id=assignment.id
    )


def about_assignment(assignment) -> dict:
    """What names an assignment in a notice: its job, its part of it and its due time, so two
    notices about one job (two members, or a second delivery) can be told apart."""
    part = [work_units(assignment.job.unit_name, assignment.units)] if assignment.units else []
    if assignment.part_description:
        part.append(assignment.part_description)
    return {
        "job": assignment.job.title,
        "part": " · ".join(part),
        "due_at": assignment.due_at.isoformat(),
    }
