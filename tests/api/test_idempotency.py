"""An API call that creates something, sent again with the same Idempotency-Key (a script's
retry after a timeout), gets the first call's answer and creates nothing; without the header it
acts every time; a refused call leaves its key free; a key is the person's own."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from teamhub.extensions import db
from teamhub.jobs.models import Job
from tests import factories
from tests.api.helpers import api_as
from tests.api.test_isolation import JOB

KEY = {"Idempotency-Key": "retry-2026-12-06-0001"}


@pytest.fixture
def two_teams(app):
    with app.app_context():
        made = factories.team_with_roles(), factories.team_with_roles()
        db.session.commit()
        return made


def _jobs(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(Job.id)))


def test_a_job_recorded_again_with_the_same_key_is_recorded_once(app, two_teams):
    roles, _other = two_teams
    director = api_as(app, roles.director.id, language="en")
    address = f"/teams/{roles.team.slug}/jobs"
    first = director.post(address, json=JOB, headers=KEY)
    again = director.post(address, json=JOB, headers=KEY)
    assert first.status_code == again.status_code == 201, first.json
    assert again.json == first.json and _jobs(app) == 1
    assert director.post(address, json=JOB).status_code == 201  # no key: acts every time
    assert director.post(address, json=JOB, headers={"Idempotency-Key": "another"}).json[
        "id"
    ] not in (first.json["id"],)
    assert _jobs(app) == 3


def test_a_refused_call_leaves_its_key_free_and_a_key_is_the_persons_own(app, two_teams):
    roles, other = two_teams
    director = api_as(app, roles.director.id, language="en")
    address = f"/teams/{roles.team.slug}/jobs"
    refused = director.post(address, json={**JOB, "title": ""}, headers=KEY)
    assert refused.status_code == 422 and _jobs(app) == 0
    assert director.post(address, json=JOB, headers=KEY).status_code == 201
    elsewhere = api_as(app, other.director.id).post(
        f"/teams/{other.team.slug}/jobs", json=JOB, headers=KEY
    )
    assert elsewhere.status_code == 201 and _jobs(app) == 2


@pytest.mark.parametrize("key", ["あ", "x" * 256, "tab\there"])
def test_a_key_that_is_not_visible_ascii_or_too_long_is_refused(app, two_teams, key):
    roles, _other = two_teams
    director = api_as(app, roles.director.id, language="en")
    refused = director.post(
        f"/teams/{roles.team.slug}/jobs", json=JOB, headers={"Idempotency-Key": key}
    )
    assert refused.status_code == 422, refused.json
    assert refused.json["errors"][0]["field"] == "Idempotency-Key"
    assert _jobs(app) == 0
