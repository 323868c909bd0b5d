"""The API's isolation matrix: every operation, as each role of team A, on team B's records
(through B's address or A's), is refused with 403 or 404 and changes nothing."""

from __future__ import annotations

import pytest

from teamhub.extensions import db
from tests import factories
from tests.api.helpers import api_as
from tests.test_isolation import snapshot

JOB = {
    "title": "記事",
    "client_name": "株式会社しまツアー",
    "source": "direct",
    "category": "writing",
    "contract_yen": 10_000,
    "unit_name": "記事",
    "unit_count": 2,
    "due_date": "2030-01-31",
}
# A body each operation's schema accepts, so what refuses is the operation's own authorisation.
BODIES = {
    "record_job": JOB,
    "edit_job": JOB,
    "confirm_escrow": {"confirmed_date": "2026-10-05", "confirmed_time": "09:30"},
    "cancel_job": {"reason": "依頼が取り下げられた"},
    "record_receipt": {"received_yen": 1000, "received_on": "2026-10-05"},
    "save_split": {"rows": []},
    "set_my_availability": {"weekly_units": 5},
    "decline_assignment": {},
    "submit_assignment": {"text": "納品します"},
    "review_assignment": {"decision": "approve"},
    "cancel_assignment": {"reason": "取り消し"},
    "reassign_assignment": {"membership_id": 1},
    "confirm_close": {"period_end": "2026-10-31"},
    "mark_close_paid": {"paid_on": "2026-11-01"},
    "correct_statement_line": {"entry_id": 1, "gross_yen": 1, "reason": "訂正"},
    "invite": {"role": "director"},
    "change_role": {"role": "director"},
    "add_my_absence": {"starts_on": "2026-12-01", "ends_on": "2026-12-02"},
    "edit_team_settings": {
        "name": "島の書き手",
        "slug": "shima-writers",
        "prefecture": "鹿児島県",
        "municipality": "奄美市",
        "fee_rate": "10",
    },
    "set_my_profile": {"show_on_profile": True, "public_handle": "shima"},
}
QUERIES = {"preview_close": "?period_end=2026-10-31"}
# Operations about the person's own records only: nothing of another team to name (founding a
# team makes a new one, of which the founder is the only member).
PERSONAL = {
    "get_me",
    "set_my_language",
    "get_my_email_choices",
    "set_my_email_choices",
    "create_team",
    "list_inbox",
    "read_notification",
    "read_all_notifications",
    "list_my_enrolments",
    "openapi",
}
# Where each other operation's records live: a team's, an organisation's, a trainee's own, the
# instance operator's (tests/api/test_training_isolation.py covers the last three).
AREAS = (
    "/api/v1/teams/<slug>",
    "/api/v1/orgs/<org_slug>",
    "/api/v1/training/",
    "/api/v1/admin/",
)


@pytest.fixture
def two_teams(app):
    with app.app_context():
        made = {name: factories.team_with_everything() for name in ("a", "b")}
        db.session.commit()
    return made


def api_operations(app, prefix: str):
    """(rule, operation, method) of every API operation whose address starts with ``prefix``."""
    for rule in app.url_map.iter_rules():
        endpoint = rule.endpoint.removeprefix("api.")
        if rule.endpoint.startswith("api.") and rule.rule.startswith(prefix):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, endpoint, method


def test_every_api_operation_is_personal_or_in_an_isolation_matrix(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api.") and rule.endpoint.removeprefix("api.") not in PERSONAL:
            assert rule.rule.startswith(AREAS), f"no isolation matrix covers {rule.rule}"


def _address(rule, ids, slug: str) -> str:
    values = {
        "slug": slug,
        "job_id": ids.job_id,
        "assignment_id": ids.assignment_id,
        "close_id": ids.close_id,
        "membership_id": ids.membership_id,
        "invitation_id": ids.invitation_id,
        "absence_id": ids.absence_id,
        "submission_id": ids.submission_id,
    }
    path = rule.rule.removeprefix("/api/v1")
    for name in rule.arguments:
        path = path.replace(f"<{name}>", str(values[name]))
        path = path.replace(f"<int(max=2147483647):{name}>", str(values[name]))
    return path


def test_every_api_operation_refuses_every_role_of_another_team(app, two_teams):
    roles_a, ids_a = two_teams["a"]
    _roles_b, ids_b = two_teams["b"]
    app.config["API_RATE_LIMIT"] = "100000 per minute"
    before = snapshot(app)
    operations = list(api_operations(app, AREAS[0]))
    assert len(operations) >= 25, "the matrix must see the API's team operations"
    tried = 0
    try:
        for who in ("director", "editor", "member"):
            api = api_as(app, getattr(roles_a, who).id)
            for rule, endpoint, method in operations:
                addresses = [_address(rule, ids_b, ids_b.slug)]
                if set(rule.arguments) - {"slug"}:  # B's records through A's address
                    addresses.append(_address(rule, ids_b, ids_a.slug))
                for path in addresses:
                    answer = api.open(
                        method, path + QUERIES.get(endpoint, ""), json=BODIES.get(endpoint),
                        headers={"If-Match": '"0"'},
                    )  # fmt: skip
                    assert answer.status_code in (403, 404), (
                        f"{who} of A: {method} {path} → {answer.status_code} {answer.json}"
                    )
                    assert answer.mimetype == "application/problem+json"
                    tried += 1
    finally:
        app.config["API_RATE_LIMIT"] = "120 per minute;3000 per hour"
    assert snapshot(app) == before
    assert tried >= 3 * len(operations)
