"""The directors' page of scheduled work: what ran for the team, what runs next."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required

from teamhub.clock import utcnow
from teamhub.scheduler import queries, runs
from teamhub.scheduler.registry import REGISTRY
from teamhub.teams.queries import team_access


@login_required
def team_schedule(slug):
    access = team_access(slug, current_user, need="director")
    now = utcnow()
    return render_template(
        "scheduler/team.html",
        access=access,
        team=access.team,
        jobs=runs.overview(list(REGISTRY.values()), now),
        scheduler_running=runs.scheduler_is_running(now),
        upcoming=queries.upcoming(access.team, now),
    )
