"""Corrections of a statement, its CSV, and work delivered as a file, through the API: the
pages' services, checks and words."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from teamhub.assignments import lifecycle
from teamhub.extensions import db
from teamhub.jobs import splitting
from teamhub.payouts import queries
from teamhub.payouts import services as payouts
from teamhub.payouts.models import PayoutClose
from teamhub.teams.models import Membership, Team
from tests import factories
from tests.api.helpers import api_as
from tests.conftest import login_as


@pytest.fixture
def two_paid(app, team_with_roles):
    """October closed: the member and the editor each delivered work on one job."""
    roles = team_with_roles
    with app.app_context():
        team = db.session.get(Team, roles.team.id)
        job = factories.make_job(team, source="direct", unit_count=4, title="島の記事")
        delivered = datetime(2026, 10, 5, 1, 0, tzinfo=UTC)
        for membership_id in (roles.member_membership, roles.editor_membership):
            factories.approved_assignment(job, membership_id, delivered, units=2)
        payouts.record_receipt(job, 40_000, date(2026, 10, 20))
        director = db.session.get(factories.Person, roles.director.id)
        close = payouts.confirm_close(team, date(2026, 10, 31), director)
        lines = {s.membership.id: s.lines[0].entry_id for s in queries.statements(close)}
        db.session.commit()
        return roles, close.id, lines


def _statement(roles, close_id, membership_id) -> str:
    return f"/teams/{roles.team.slug}/payouts/{close_id}/statements/{membership_id}"


def test_a_director_corrects_a_line_and_the_member_reads_it(app, two_paid):
    roles, close_id, lines = two_paid
    mid = roles.member_membership
    address = _statement(roles, close_id, mid)
    director = api_as(app, roles.director.id, language="en")
    no_reason = director.post(
        f"{address}/corrections", json={"entry_id": lines[mid], "gross_yen": 15_000, "reason": ""}
    )
    assert no_reason.status_code == 422
    assert no_reason.json["errors"] == [
        {"field": "reason", "message": "Say why the line is corrected; the member sees it."}
    ]
    member = api_as(app, roles.member.id)
    sent = {"entry_id": lines[mid], "gross_yen": 15_000, "reason": "1本は再納品"}
    assert member.post(f"{address}/corrections", json=sent).status_code == 403
    corrected = director.post(f"{address}/corrections", json=sent)
    assert corrected.status_code == 201, corrected.json
    assert [
        (ln["gross_yen"], ln["reversal"], ln["reversed"]) for ln in corrected.json["lines"]
    ] == [
        (18_000, False, True),
        (-18_000, True, False),
        (15_000, False, False),
    ]
    assert member.get(address).json == corrected.json
    again = director.post(f"{address}/corrections", json=sent)
    assert again.status_code == 409


def test_a_line_is_corrected_only_on_its_own_members_statement(app, two_paid):
    """The editor's line through the member's statement: neither the page nor the API touches
    it (before, both corrected the editor's pay from the member's statement)."""
    roles, close_id, lines = two_paid
    address = _statement(roles, close_id, roles.member_membership)
    theirs = {"entry_id": lines[roles.editor_membership], "gross_yen": 1, "reason": "取り違え"}
    api = api_as(app, roles.director.id).post(f"{address}/corrections", json=theirs)
    assert api.status_code == 404
    page = login_as(app, roles.director.email).post(f"{address}/correct", data=theirs)
    assert page.status_code == 404
    with app.app_context():
        close = db.session.get(PayoutClose, close_id)
        editor = queries.statements(close, roles.editor_membership)[0]
        assert [line.gross_yen for line in editor.lines] == [18_000]


def test_the_statement_csv_is_the_pages(app, two_paid):
    roles, close_id, _lines = two_paid
    address = _statement(roles, close_id, roles.member_membership)
    api = api_as(app, roles.member.id).get(f"{address}.csv")
    page = login_as(app, roles.member.email).get(f"{address}.csv")
    assert api.status_code == 200
    assert api.headers["Content-Type"] == page.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert api.headers["Content-Disposition"] == page.headers["Content-Disposition"]
    assert api.data == page.data and api.data.startswith("\ufeff".encode())
    assert "島の記事" in api.data.decode("utf-8")


@pytest.fixture
def working(app, team_with_roles):
    """The member has started work on a direct job."""
    roles = team_with_roles
    with app.app_context():
        team = db.session.get(Team, roles.team.id)
        director = db.session.get(Membership, roles.director_membership)
        member = factories.give_capacity(db.session.get(Membership, roles.member_membership))
        job = factories.make_job(team, source="direct", unit_count=4)
        line = splitting.SplitLine(membership_id=member.id, units=2, due_at=job.due_at)
        [assignment] = splitting.save_split(job, director, [line], 0, 0).created
        lifecycle.accept(assignment, member)
        lifecycle.start(assignment, member)
        db.session.commit()
        return roles, f"/teams/{roles.team.slug}/assignments/{assignment.id}"


def _file(name: str, data: bytes, **fields) -> dict:
    """A multipart body with one file, encoded in memory (the test client would spool a large
    one to a temporary file it never closes)."""
    boundary, encoded = encode_multipart({**fields, "file": FileStorage(io.BytesIO(data), name)})
    return {"data": encoded, "content_type": f"multipart/form-data; boundary={boundary}"}


def test_work_is_delivered_as_a_file_with_the_pages_checks(app, working):
    roles, address = working
    member = api_as(app, roles.member.id, language="en")
    send = member.client.post
    headers = member.headers
    mismatched = send(
        f"/api/v1{address}/submit", **_file("draft.pdf", b"just text"), headers=headers
    )
    assert mismatched.status_code == 422
    assert mismatched.json["errors"] == [
        {"field": "file", "message": "The file's content does not match its name (.pdf)."}
    ]
    page = login_as(app, roles.member.email).post(
        f"{address}/submit",
        **_file("draft.pdf", b"just text"),
        headers={"Accept-Language": "en"},
    )
    assert page.status_code == 422
    too_big = b"x" * (10 * 1024 * 1024 + 1)
    refused = send(f"/api/v1{address}/submit", **_file("big.txt", too_big), headers=headers)
    assert refused.status_code == 422 and refused.json["errors"][0]["field"] == "file"
    delivered = send(
        f"/api/v1{address}/submit",
        **_file("初稿.txt", "下書き".encode(), text="初稿です"),
        headers=headers,
    )
    assert delivered.status_code == 200, delivered.json
    assert delivered.json["state"] == "submitted"
    [submission] = delivered.json["submissions"]
    assert (submission["kind"], submission["original_name"]) == ("file", "初稿.txt")
    download = login_as(app, roles.director.email).get(f"{address}")
    assert "初稿.txt" in download.get_data(as_text=True)


def test_a_request_body_larger_than_any_upload_is_refused_as_a_problem(app, working):
    roles, address = working
    member = api_as(app, roles.member.id)
    huge = b"x" * (12 * 1024 * 1024)
    answer = member.client.post(
        f"/api/v1{address}/submit", **_file("huge.txt", huge), headers=member.headers
    )
    assert answer.status_code == 413
    assert answer.mimetype == "application/problem+json"


def test_a_form_sent_where_json_is_expected_is_415_not_a_server_error(app, working):
    roles, address = working
    member = api_as(app, roles.member.id)
    answer = member.client.post(
        f"/api/v1{address}/decline", data={"comment": "都合が悪い"}, headers=member.headers
    )
    assert answer.status_code == 415
    assert answer.mimetype == "application/problem+json"
