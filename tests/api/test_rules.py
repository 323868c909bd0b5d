"""What the API's answers promise: the forms' messages field by field, pages by cursor, and the
split's version (ETag / If-Match)."""

from __future__ import annotations

from teamhub.extensions import db
from teamhub.jobs.models import Job
from teamhub.notifications.services import notify
from teamhub.teams.models import Team
from tests import factories
from tests.api.helpers import api_as
from tests.api.test_journey import JOB
from tests.conftest import login_as


def _job(app, roles) -> int:
    with app.app_context():
        team = db.session.get(Team, roles.team.id)
        member = db.session.get(factories.Membership, roles.member_membership)
        factories.give_capacity(member)
        job = factories.make_job(team, source="direct", unit_count=10)
        db.session.commit()
        return job.id


def test_field_errors_are_the_forms_messages_in_the_requests_language(app, team_with_roles):
    roles = team_with_roles
    slug = roles.team.slug
    wrong = {**JOB, "title": "", "unit_count": 0}
    answers = {}
    for language in ("ja", "en"):
        answer = api_as(app, roles.director.id, language=language).post(
            f"/teams/{slug}/jobs", json=wrong
        )
        assert answer.status_code == 422
        assert answer.mimetype == "application/problem+json"
        answers[language] = {e["field"]: e["message"] for e in answer.json["errors"]}
    assert answers["en"] == {
        "title": "This field is required.",
        "unit_count": "Enter a number from 1 to 10,000.",
    }
    page = login_as(app, roles.director.email).post(
        f"/teams/{slug}/jobs/new", data={**JOB, "title": "", "unit_count": "0"}
    )
    shown = page.get_data(as_text=True)
    assert answers["ja"]["title"] in shown and answers["ja"]["unit_count"] in shown
    assert answers["ja"]["title"] != answers["en"]["title"]


def test_a_value_of_the_wrong_type_gets_the_forms_words_for_it(app, team_with_roles):
    roles = team_with_roles
    answer = api_as(app, roles.director.id, language="en").post(
        f"/teams/{roles.team.slug}/jobs", json={**JOB, "unit_count": "many", "due_date": "soon"}
    )
    assert answer.status_code == 422
    errors = {e["field"]: e["message"] for e in answer.json["errors"]}
    assert errors == {
        "unit_count": "Not a valid integer value.",
        "due_date": "Not a valid date value.",
    }


def test_lists_are_paginated_by_cursor_with_a_next_link(app, make_person):
    someone = make_person()
    with app.app_context():
        for n in range(5):
            notify(someone.id, "approved", f"event:{n}", {"job": f"記事{n}", "comment": ""})
        db.session.commit()
    api = api_as(app, someone.id)
    seen, url, pages = [], "/inbox?limit=2", 0
    while url:
        page = api.get(url)
        assert page.status_code == 200
        assert len(page.json["items"]) <= 2
        seen += [item["id"] for item in page.json["items"]]
        nxt = page.json["next"]
        assert (page.headers.get("Link") is not None) == (nxt is not None)
        url = nxt.split("/api/v1", 1)[1] if nxt else None
        pages += 1
    assert pages == 3 and len(seen) == 5 == len(set(seen)) and seen == sorted(seen, reverse=True)
    assert api.get("/inbox?limit=101").status_code == 422
    assert api.get("/inbox?cursor=garbage").status_code == 422


def test_the_split_is_saved_only_with_the_version_read(app, team_with_roles):
    roles = team_with_roles
    slug = roles.team.slug
    job_id = _job(app, roles)
    director = api_as(app, roles.director.id)
    address = f"/teams/{slug}/jobs/{job_id}/split"
    read = director.get(address)
    etag = read.headers["ETag"]
    row = {"membership_id": roles.member_membership, "units": 2}
    missing = director.put(address, json={"rows": [row]})
    assert missing.status_code == 428
    first = director.put(address, json={"rows": [row]}, headers={"If-Match": etag})
    assert first.status_code == 200
    stale = director.put(address, json={"rows": [row]}, headers={"If-Match": etag})
    assert stale.status_code == 412
    assert stale.mimetype == "application/problem+json"
    with app.app_context():
        job = db.session.get(Job, job_id)
        assert job.split_version == 1
    assert len(director.get(address).json["offers"]) == 1


def test_a_split_refused_names_the_rows_as_sent(app, team_with_roles):
    roles = team_with_roles
    job_id = _job(app, roles)
    director = api_as(app, roles.director.id)
    address = f"/teams/{roles.team.slug}/jobs/{job_id}/split"
    etag = director.get(address).headers["ETag"]
    rows = [{}, {"membership_id": 999_999, "units": 2}]
    refused = director.put(address, json={"rows": rows}, headers={"If-Match": etag})
    assert refused.status_code == 422
    assert any(e["field"].startswith("rows.1.") for e in refused.json["errors"]), refused.json
