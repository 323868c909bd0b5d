"""A form that creates something takes effect once: the same form sent again (the back button and
送信, a retry after a slow answer) is sent where the first went and creates nothing; a refused
form can be sent again; a key that is not the page's, or another person's, is refused."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from teamhub.extensions import db
from teamhub.jobs.models import Job
from teamhub.submissions import FormSubmission
from teamhub.teams.models import Absence
from tests import factories
from tests.conftest import login_as
from tests.jobs.test_views import job_form

KEY = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def roles(app):
    with app.app_context():
        made = factories.team_with_roles()
        db.session.commit()
        return made


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _key_on(page: str) -> str:
    return re.search(r'name="submission_key" type="hidden" value="([0-9a-f]{32})"', page).group(1)


def test_each_showing_of_a_creating_form_carries_its_own_key(app, roles):
    director = login_as(app, roles.director.email)
    address = f"/teams/{roles.team.slug}/jobs/new"
    first = _key_on(director.get(address).get_data(as_text=True))
    second = _key_on(director.get(address).get_data(as_text=True))
    assert first != second


def test_a_job_form_sent_twice_records_one_job_and_answers_as_the_first_did(app, roles):
    director = login_as(app, roles.director.email)
    address = f"/teams/{roles.team.slug}/jobs/new"
    first = director.post(address, data=job_form(submission_key=KEY))
    again = director.post(address, data=job_form(submission_key=KEY))
    assert first.status_code == again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    assert _count(app, Job) == 1
    other = director.post(address, data=job_form(submission_key=KEY.replace("0", "1")))
    assert other.status_code == 302 and other.headers["Location"] != first.headers["Location"]
    assert _count(app, Job) == 2
    without = director.post(address, data=job_form())  # a form made before keys: acts as before
    assert without.status_code == 302 and _count(app, Job) == 3


def test_a_refused_form_keeps_its_key_free_to_send_again(app, roles):
    director = login_as(app, roles.director.email)
    address = f"/teams/{roles.team.slug}/jobs/new"
    refused = director.post(address, data=job_form(submission_key=KEY, due_date="2001-01-01"))
    assert refused.status_code == 422
    assert _count(app, Job) == 0 and _count(app, FormSubmission) == 0
    assert _key_on(refused.get_data(as_text=True)) == KEY
    sent = director.post(address, data=job_form(submission_key=KEY))
    assert sent.status_code == 302 and _count(app, Job) == 1


def test_a_key_not_made_by_a_page_or_of_another_person_is_refused(app, roles):
    director = login_as(app, roles.director.email)
    for bad in ("x" * 32, KEY + "0", "ＡＢ", "\x00" * 32):
        refused = director.post(
            f"/teams/{roles.team.slug}/jobs/new", data=job_form(submission_key=bad)
        )
        assert refused.status_code == 422, bad
        assert "ページを再読み込みして" in refused.get_data(as_text=True)
    member = login_as(app, roles.member.email)
    assert (
        member.post(
            f"/teams/{roles.team.slug}/me/absences",
            data={"starts_on": "2027-01-04", "ends_on": "2027-01-05", "submission_key": KEY},
        ).status_code
        == 302
    )
    taken = login_as(app, roles.editor.email).post(
        f"/teams/{roles.team.slug}/me/absences",
        data={"starts_on": "2027-01-04", "ends_on": "2027-01-05", "submission_key": KEY},
    )
    assert taken.status_code == 409
    assert "このフォームは送信済みです" in taken.get_data(as_text=True)
    assert _count(app, Absence) == 1 and _count(app, Job) == 0
