"""Bad input on the job pages is refused with a message beside the field and a 4xx, never a 500,
and nothing is written: ids and numbers past what a column holds, dates out of range, NUL."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from teamhub.assignments.models import Assignment
from teamhub.extensions import db
from teamhub.jobs.models import Job
from tests import factories
from tests.conftest import login_as
from tests.jobs.test_views import job_form, new_job, split_form

DATE_RANGE = "2000/01/01〜2100/12/31の日付を入力してください（例：2026/12/05）。"


@pytest.fixture
def crew(app):
    """A team with a director, an editor, a member and one writer with room for 10 units."""
    with app.app_context():
        roles = factories.team_with_roles()
        team = db.session.get(factories.Team, roles.team.id)
        writer = factories.give_capacity(factories.add_member(team))
        db.session.commit()
        return roles, [(writer.id, writer.person.email)]


def _error(page: str, field: str) -> str:
    return re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', page).group(1)


def test_an_escrow_date_out_of_range_is_refused_beside_the_field(app, crew):
    """0001-01-01 at 00:30 in Japan is before the first moment a datetime holds in UTC."""
    roles, _writers = crew
    job_id = new_job(app, roles)
    director = login_as(app, roles.director.email)
    url = f"/teams/{roles.team.slug}/jobs/{job_id}/escrow"
    for day in ("0001-01-01", "9999-12-31", "1999-12-31"):
        response = director.post(url, data={"confirmed_date": day, "confirmed_time": "00:30"})
        assert response.status_code == 422, day
        assert _error(response.get_data(as_text=True), "confirmed_date") == DATE_RANGE
    with app.app_context():
        assert db.session.get(Job, job_id).escrow_confirmed_at is None


def test_a_job_with_numbers_or_dates_past_their_columns_is_refused(app, crew):
    roles, _writers = crew
    director = login_as(app, roles.director.email)
    url = f"/teams/{roles.team.slug}/jobs/new"
    for bad in (
        {"unit_count": "9" * 400},
        {"contract_yen": "2147483648"},
        {"contract_yen": "9" * 40},
        {"due_date": "0001-01-01"},
        {"expected_payment_on": "9999-12-31"},
        {"title": "案件\x00"},
    ):
        response = director.post(url, data=job_form(**bad))
        assert response.status_code == 422, bad
        assert 'class="error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Job.id))) == 0


def test_a_split_with_ids_or_numbers_no_column_holds_is_refused_beside_the_row(app, crew):
    roles, writers = crew
    job_id = new_job(app, roles)
    director = login_as(app, roles.director.email)
    url = f"/teams/{roles.team.slug}/jobs/{job_id}/split"
    member = writers[0][0]
    for row, field in (
        ({"membership_id": member, "units": "9" * 400}, "rows-0-units"),
        ({"membership_id": str(2**63), "units": 2}, "rows-0-membership_id"),
        ({"membership_id": "abc", "units": 2}, "rows-0-membership_id"),
        ({"membership_id": member, "units": 2, "assignment_id": "x1"}, None),
        ({"membership_id": member, "units": 2, "assignment_id": str(2**64)}, None),
        ({"membership_id": member, "units": 2, "due_date": "0001-01-01"}, "rows-0-due_date"),
        ({"membership_id": member, "units": 2, "part_description": "\x00"}, None),
    ):
        response = director.post(url, data=split_form([row]))
        assert response.status_code == 422, row
        if field:
            assert _error(response.get_data(as_text=True), field), row
    for version in (str(2**63), "9" * 400, "-1"):
        response = director.post(url, data={**split_form([]), "version": version})
        assert response.status_code == 422
        assert "ページを再読み込みして" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Assignment.id))) == 0


def test_the_split_page_asked_to_change_an_offer_that_is_not_an_id_shows_none(app, crew):
    roles, _writers = crew
    job_id = new_job(app, roles)
    director = login_as(app, roles.director.email)
    for asked in ("²", "፩", str(2**64), "-1"):
        response = director.get(f"/teams/{roles.team.slug}/jobs/{job_id}/split?change={asked}")
        assert response.status_code == 200, asked


def test_a_job_address_with_a_number_no_column_holds_is_not_found(app, crew):
    roles, _writers = crew
    director = login_as(app, roles.director.email)
    for job_id in (2**31, 2**63, 10**30):
        for page in ("", "/split"):
            response = director.get(f"/teams/{roles.team.slug}/jobs/{job_id}{page}")
            assert response.status_code == 404, (job_id, page)
