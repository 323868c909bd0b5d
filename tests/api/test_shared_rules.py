"""Rules the pages and the API share, written once: who reads a statement, who sees the money a
job brought in, and which member work may be given to. The page and the API give the same
answer for the same person."""

from __future__ import annotations

import pytest

from teamhub.extensions import db
from teamhub.jobs.models import Job
from tests import factories
from tests.api.helpers import api_as
from tests.conftest import login_as


@pytest.fixture
def everything(app):
    with app.app_context():
        made = factories.team_with_everything()
        job = db.session.get(Job, made[1].job_id)
        job.received_yen, job.team_fee_bp = 98_765, 1_250
        db.session.commit()
    return made


def test_only_directors_see_what_a_job_brought_in_on_the_page_and_through_the_api(app, everything):
    roles, ids = everything
    address = f"/teams/{ids.slug}/jobs/{ids.job_id}"
    seen = {}
    for who in ("director", "editor"):
        person = getattr(roles, who)
        answer = api_as(app, person.id).get(address)
        assert answer.status_code == 200
        listed = api_as(app, person.id).get(f"/teams/{ids.slug}/jobs").json["items"]
        [in_list] = [job for job in listed if job["id"] == ids.job_id]
        page = login_as(app, person.email).get(address).get_data(as_text=True)
        seen[who] = (answer.json["received_yen"], in_list["team_fee_bp"], "98,765" in page)
    assert seen["director"] == (98_765, 1_250, True)
    assert seen["editor"] == (None, None, False)


@pytest.mark.parametrize("suffix", ["", ".csv"])
def test_a_statement_is_its_members_and_the_directors_on_the_page_and_through_the_api(
    app, everything, suffix
):
    roles, ids = everything
    statement = f"/teams/{ids.slug}/payouts/{ids.close_id}/statements/{ids.membership_id}"
    address = statement + suffix
    answers = {}
    for who in ("director", "editor", "member"):
        person = getattr(roles, who)
        page = login_as(app, person.email).get(address).status_code
        api = api_as(app, person.id).get(address).status_code
        answers[who] = (page, api)
    assert answers == {"director": (200, 200), "editor": (404, 404), "member": (200, 200)}


def test_work_goes_only_to_a_member_of_the_team_on_the_page_and_through_the_api(app, everything):
    roles, ids = everything
    with app.app_context():
        other = factories.team_with_roles()
        db.session.commit()
    address = f"/teams/{ids.slug}/assignments/{ids.assignment_id}/reassign"
    for stranger in (other.member_membership, 999_999):
        api = api_as(app, roles.director.id).post(address, json={"membership_id": stranger})
        assert api.status_code == 422
        [error] = api.json["errors"]
        assert error["field"] == "membership_id"
        page = login_as(app, roles.director.email).post(
            address, data={"membership_id": str(stranger)}
        )
        assert page.status_code == 422
        assert error["message"] in page.get_data(as_text=True)
