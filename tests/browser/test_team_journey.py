"""A director starts a team and invites a member who joins from a second browser."""

from __future__ import annotations

import re


def sign_up(page, base: str, email: str, name: str, password: str) -> None:
    page.fill("input[name=email]", email)
    page.fill("input[name=display_name]", name)
    page.fill("input[name=password]", password)
    page.fill("input[name=confirm]", password)
    page.click("form button.primary")


def test_director_invites_a_member_who_joins(live_app, new_context):
    base = live_app
    director = new_context().new_page()
    director.goto(f"{base}/signup")
    assert director.locator("html").get_attribute("lang") == "ja"
    sign_up(director, base, "yoko@example.jp", "森 陽子", "amami-shima-2026")
    director.wait_for_url(f"{base}/")

    director.goto(f"{base}/teams/new")
    director.fill("input[name=name]", "奄美ライターズ")
    director.fill("input[name=slug]", "amami-writers")
    director.select_option("select[name=prefecture]", "鹿児島県")
    director.fill("input[name=municipality]", "奄美市")
    director.fill("input[name=fee_rate]", "10")
    director.fill("input[name=invoice_number]", "T1234567890123")
    director.click("form button.primary")
    director.wait_for_url(f"{base}/teams/amami-writers")
    assert "奄美ライターズ" in director.inner_text("h1")

    director.goto(f"{base}/teams/amami-writers/invitations")
    director.fill("input[name=note]", "栄さん")
    director.click("form button.primary")
    link = director.input_value("#invite-link")
    assert re.fullmatch(rf"{re.escape(base)}/invite/[\w-]+", link)

    member = new_context().new_page()
    member.goto(link)
    assert "奄美ライターズ" in member.inner_text("h1")
    member.click("a.button.primary")
    sign_up(member, base, "miyoko@example.jp", "栄 美代子", "kokuto-2026-x")
    member.wait_for_url(f"{base}/teams/amami-writers")
    member.goto(f"{base}/teams/amami-writers/me")
    member.fill("input[name=weekly_units]", "4")
    member.fill("input[name=weekly_hours]", "10")
    member.click("form[action$='/me'] button.primary")
    member.wait_for_url(f"{base}/teams/amami-writers/me")

    director.goto(f"{base}/teams/amami-writers/members")
    row = director.locator("tr", has_text="栄 美代子")
    assert row.count() == 1
    assert "メンバー" in row.inner_text()
    assert "10" in row.inner_text()

    used = new_context().new_page()
    used.goto(link)
    card = used.inner_text("main")
    assert "この招待リンクは使用済みです" in card and "409" not in card
    member.goto(link)  # the member who used it is taken to the team
    member.wait_for_url(f"{base}/teams/amami-writers")
