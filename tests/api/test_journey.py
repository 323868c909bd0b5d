"""A job from record to statement through the API alone, as the people who do it."""

from __future__ import annotations

from datetime import UTC, datetime

import time_machine

from teamhub.i18n import yen
from tests.api.helpers import api_as
from tests.conftest import login_as

WORK_DAY = datetime(2026, 10, 5, 1, 0, tzinfo=UTC)  # 10:00 in Japan
AFTER_THE_MONTH = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)

JOB = {
    "title": "観光記事 4本",
    "client_name": "株式会社しまツアー",
    "source": "crowdworks",
    "category": "writing",
    "contract_yen": 40_000,
    "unit_name": "記事",
    "unit_count": 4,
    "due_date": "2026-10-20",
}


def test_record_escrow_split_deliver_approve_close_and_read_the_statement(app, team_with_roles):
    roles = team_with_roles
    slug = roles.team.slug
    with time_machine.travel(WORK_DAY, tick=False):
        director = api_as(app, roles.director.id)
        member = api_as(app, roles.member.id)
        recorded = director.post(f"/teams/{slug}/jobs", json=JOB)
        assert recorded.status_code == 201, recorded.json
        job = recorded.json
        base = f"/teams/{slug}/jobs/{job['id']}"
        assert job["tax_yen"] == 4_000
        escrow = director.post(
            f"{base}/escrow", json={"confirmed_date": "2026-10-05", "confirmed_time": "09:30"}
        )
        assert escrow.status_code == 200 and escrow.json["escrow_confirmed_at"]
        split = director.get(f"{base}/split")
        assert split.status_code == 200
        row = {
            "membership_id": roles.member_membership,
            "units": 4,
            "override_reason": "慣れた書き手",
        }
        saved = director.put(
            f"{base}/split", json={"rows": [row]}, headers={"If-Match": split.headers["ETag"]}
        )
        assert saved.status_code == 200, saved.json
        assert saved.headers["ETag"] != split.headers["ETag"]
        [offer] = member.get(f"/teams/{slug}/assignments/mine").json["items"]
        one = f"/teams/{slug}/assignments/{offer['id']}"
        assert member.post(f"{one}/accept").json["state"] == "accepted"
        assert member.post(f"{one}/start").json["state"] == "in_progress"
        submitted = member.post(f"{one}/submit", json={"url": "https://docs.example.jp/draft"})
        assert submitted.json["state"] == "submitted"
        approved = director.post(f"{one}/review", json={"decision": "approve"})
        assert approved.json["state"] == "approved"
        receipt = director.put(
            f"{base}/receipt", json={"received_yen": 35_000, "received_on": "2026-10-05"}
        )
        assert receipt.status_code == 200, receipt.json
    with time_machine.travel(AFTER_THE_MONTH, tick=False):
        preview = director.get(f"/teams/{slug}/payouts/preview?period_end=2026-10-31")
        assert preview.status_code == 200, preview.json
        assert preview.json["received_yen"] == 35_000
        assert preview.json["team_fee_yen"] == 3_500
        [owed] = preview.json["statements"]
        confirmed = director.post(f"/teams/{slug}/payouts", json={"period_end": "2026-10-31"})
        assert confirmed.status_code == 201, confirmed.json
        close_id = confirmed.json["id"]
        statement = member.get(
            f"/teams/{slug}/payouts/{close_id}/statements/{roles.member_membership}"
        )
        assert statement.status_code == 200
        assert statement.json["net_yen"] == owed["net_yen"] == 31_500
        assert statement.json["gross_yen"] == owed["gross_yen"]
        page = login_as(app, roles.member.email).get(
            f"/teams/{slug}/payouts/{close_id}/statements/{roles.member_membership}"
        )
        assert yen(statement.json["net_yen"]) in page.get_data(as_text=True)
        someone_else = member.get(
            f"/teams/{slug}/payouts/{close_id}/statements/{roles.director_membership}"
        )
        assert someone_else.status_code == 404
