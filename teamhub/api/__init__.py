"""The JSON API, /api/v1: the same services as the pages, reached with a personal access token.

Each module holds the operations of one part of teamhub; importing them adds their routes to the
``api`` blueprint (``base.bp``), which :func:`install` attaches to the app."""

from teamhub.api import (  # noqa: F401 - the operations' routes
    account,
    assignments,
    curricula,
    jobs,
    organisations,
    payouts,
    people,
    split,
    team_admin,
    team_settings,
    trainee_work,
    training,
    training_admin,
    training_reports,
)
from teamhub.api.base import install

__all__ = ["install"]
