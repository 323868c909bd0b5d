"""A person makes an API token in their account settings, uses it, and revokes it."""

from __future__ import annotations

from tests.browser.test_team_journey import sign_up


def _me(page, base: str, secret: str) -> int:
    """/api/v1/me with the token, from the signed-in browser (its login cookie goes too)."""
    answer = page.request.get(f"{base}/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    if answer.status == 200:
        assert answer.json()["email"] == "kana@example.jp"
    return answer.status


def test_a_token_is_shown_once_works_and_stops_when_revoked(live_app, new_context):
    base = live_app
    page = new_context().new_page()
    page.goto(f"{base}/signup")
    sign_up(page, base, "kana@example.jp", "大島 加奈", "amami-shima-2026")
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/account")
    page.click("text=API トークンを管理")
    page.fill("input[name=name]", "家計簿シート")
    page.click("form button.primary")
    secret = page.input_value("#new-token")
    assert secret.startswith("thp_")
    assert _me(page, base, secret) == 200
    page.goto(f"{base}/account/tokens")
    assert secret not in page.content()
    assert "家計簿シート" in page.inner_text("#tokens")
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("#tokens button")
    page.wait_for_url(f"{base}/account/tokens")
    assert "無効化済み" in page.inner_text("#tokens")
    assert _me(page, base, secret) == 401
