"""The operator's health page: is the instance doing its work."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required

from teamhub.admin import health_queries
from teamhub.auth.services import require_operator
from teamhub.clock import utcnow
from teamhub.scheduler.registry import REGISTRY


@login_required
def health():
    require_operator(current_user)
    now = utcnow()
    return render_template(
        "admin/health.html",
        health=health_queries.health(list(REGISTRY.values()), now),
        now=now,
    )
