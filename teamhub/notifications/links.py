"""Where a notice leads: paths of pages, built from a request, a CLI command or the scheduler."""

from __future__ import annotations

from flask import current_app


def path_for(endpoint: str, **values) -> str:
    """The path of a page, from a request, a CLI command or the scheduler alike."""
    adapter = current_app.url_map.bind("localhost", script_name="/")
    return adapter.build(endpoint, values)


def assignment_link(assignment) -> str:
    return path_for(
        "assignments.detail", slug=assignment.job.team.slug, assignment_id=assignment.id
    )
