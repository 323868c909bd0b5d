"""An assignment's page when an action on it is refused: the state as it is stored, the form
sent back with its message, a 4xx, nothing written."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from teamhub.assignments.models import Assignment, AssignmentEvent, Submission
from teamhub.extensions import db
from tests import factories
from tests.conftest import login_as


@pytest.fixture
def work(app):
    """The member's assignment on a direct job, in the state the test asks for; (roles, url)."""

    def make(state: str):
        with app.app_context():
            roles = factories.team_with_roles()
            team = db.session.get(factories.Team, roles.team.id)
            job = factories.make_job(team, source="direct")
            assignment = Assignment(
                team_id=team.id, job_id=job.id, membership_id=roles.member_membership, units=4,
                due_at=job.due_at, state=state,
            )  # fmt: skip
            db.session.add(assignment)
            db.session.commit()
            return roles, f"/teams/{roles.team.slug}/assignments/{assignment.id}"

    return make


def _error(page: str, field: str) -> str:
    return re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', page).group(1)


def _stored(app) -> tuple:
    with app.app_context():
        return (
            db.session.scalar(sa.select(Assignment.state)),
            db.session.scalar(sa.select(sa.func.count(Assignment.id))),
            db.session.scalar(sa.select(sa.func.count(Submission.id))),
            db.session.scalar(sa.select(sa.func.count(AssignmentEvent.id))),
        )


def test_a_submission_refused_for_its_link_shows_the_work_in_progress_with_the_form(app, work):
    roles, url = work("in_progress")
    before = _stored(app)
    member = login_as(app, roles.member.email)
    for link in ("javascript:alert(1)", "https://", "ftp://example.jp/a"):
        response = member.post(f"{url}/submit", data={"text": "本文です", "url": link})
        page = response.get_data(as_text=True)
        assert response.status_code == 422, link
        assert '<span class="state state-in_progress" id="state">作業中</span>' in page
        assert 'name="url"' in page
        assert "本文です" in page  # the text is sent back in its textarea
        assert _error(page, "url") == "https:// から始まるリンクを省略せずに入力してください。"
    assert _stored(app) == before
    reloaded = member.get(url).get_data(as_text=True)
    assert 'id="state">作業中</span>' in reloaded


def test_a_reassignment_to_an_id_no_member_has_is_refused_beside_the_choice(app, work):
    roles, url = work("offered")
    before = _stored(app)
    director = login_as(app, roles.director.email)
    for sent in (str(2**63), "9" * 400, "abc", "", "0"):
        response = director.post(f"{url}/reassign", data={"membership_id": sent, "reason": "急ぎ"})
        page = response.get_data(as_text=True)
        assert response.status_code == 422, sent
        assert _error(page, "membership_id") == "このチームのメンバーを選んでください。"
        assert 'id="state">依頼中</span>' in page
    assert _stored(app) == before


def test_text_with_a_nul_character_is_refused_with_a_message_and_nothing_changes(app, work):
    roles, url = work("offered")
    before = _stored(app)
    member = login_as(app, roles.member.email)
    response = member.post(f"{url}/decline", data={"comment": "都合が\x00悪い"})
    assert response.status_code == 422
    message = "入力に含まれる見えない制御文字（NUL）を取り除いてください。"
    assert _error(response.get_data(as_text=True), "comment") == message
    assert _stored(app) == before
