"""The directors' page of automatic work: what needs them, what teamhub will do for the team
and when, and what it did."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required

from teamhub.clock import utcnow
from teamhub.scheduler import queries
from teamhub.scheduler.registry import REGISTRY
from teamhub.teams.queries import team_access


@login_required
def team_schedule(slug):
    access = team_access(slug, current_user, need="director")
    now = utcnow()
    tasks = queries.team_tasks(list(REGISTRY.values()), access.team, now)
    return render_template(
        "scheduler/team.html",
        access=access,
        team=access.team,
        tasks=tasks,
        attention=queries.attention(access.team, tasks, now),
        running=queries.running(now),
        upcoming=queries.upcoming(access.team, now),
    )
