"""Rate limits beyond the login form's: an operator's limit for every page still holds.

teamhub drops Flask-Limiter's check before every request while no limit applies to every view
(``security.check_limits_in_limited_views_only``). The limiter is one object per process, so
these run in a process of their own."""

from __future__ import annotations

import textwrap

from tests.processes import run_python

SCRIPT = textwrap.dedent(
    """
    import json, sys
    from teamhub import create_app
    settings = {"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"}
    settings.update(json.loads(sys.argv[1]))
    app = create_app(settings)
    client = app.test_client()
    print(" ".join(str(client.get("/healthz").status_code) for _ in range(4)))
    """
)


def statuses_of_four_health_checks(tmp_path, settings: str) -> str:
    return run_python(SCRIPT, settings, instance_path=tmp_path)


def test_an_operators_default_limit_applies_to_every_page(tmp_path):
    got = statuses_of_four_health_checks(tmp_path, '{"RATELIMIT_DEFAULT": "3 per minute"}')
    assert got == "200 200 200 429"


def test_an_operators_application_limit_applies_to_every_page(tmp_path):
    got = statuses_of_four_health_checks(tmp_path, '{"RATELIMIT_APPLICATION": "2 per minute"}')
    assert got == "200 200 429 429"


def test_without_such_limits_pages_are_not_limited(tmp_path):
    assert statuses_of_four_health_checks(tmp_path, "{}") == "200 200 200 200"
