"""The operator's health page, and ``/healthz`` for monitors and load balancers: is the instance
doing its work."""

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


def probe():
    """``/healthz``: the database, the scheduler's leader and the email outbox backlog, as JSON.
    503 when the database does not answer (the host cannot serve); a missing leader or a
    backlog is "degraded", still 200, since any web host can go on serving pages."""
    database = health_queries.database()
    if not database.reachable:
        return {"status": "down", "database": {"reachable": False}}, 503
    now = utcnow()
    leader = health_queries.scheduler(now)
    outbox = health_queries.outbox()
    return {
        "status": "ok" if leader.leading and not outbox.failed else "degraded",
        "database": {"reachable": True, "dialect": database.dialect},
        "scheduler": {
            "leading": leader.leading,
            "lease_expires_at": leader.lease.expires_at.isoformat() if leader.lease else None,
        },
        "outbox": {"waiting": outbox.waiting, "retrying": outbox.retrying, "failed": outbox.failed},
    }
