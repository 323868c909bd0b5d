"""Transitional: senders kept for callers not yet sending teamhub.signals themselves."""

from __future__ import annotations

from teamhub import signals
from teamhub.notifications.links import path_for  # noqa: F401 (payout_reminders)
from teamhub.teams.queries import people_with_roles as team_people  # noqa: F401


def escrow_confirmed(job) -> None:
    signals.escrow_confirmed.send(job)
