"""From a won CrowdWorks job to approved work, in a real browser."""

from __future__ import annotations

import re
from datetime import timedelta

from teamhub.clock import JST, utcnow
from teamhub.extensions import db
from tests import factories
from tests.conftest import TEST_PASSWORD


def log_in(page, base, email):
    page.goto(f"{base}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("form button.primary")
    page.wait_for_url(f"{base}/")


def test_job_from_record_to_approved_part(app, live_app, new_context, tmp_path):
    base = live_app
    with app.app_context():
        roles = factories.team_with_roles()
        team = db.session.get(factories.Team, roles.team.id)
        writers = [factories.give_capacity(factories.add_member(team), 10) for _ in range(5)]
        db.session.commit()
        slug, writer_email = team.slug, writers[0].person.email
        writer_name = writers[0].person.display_name

    director = new_context().new_page()
    log_in(director, base, roles.director.email)
    director.goto(f"{base}/teams/{slug}/jobs/new")
    director.fill("input[name=title]", "奄美観光記事 40本")
    director.fill("input[name=client_name]", "株式会社しまツアー")
    director.select_option("select[name=source]", "crowdworks")
    director.select_option("select[name=category]", "writing")
    director.fill("input[name=contract_yen]", "120000")
    director.fill("input[name=unit_name]", "記事（3,000字）")
    director.fill("input[name=unit_count]", "40")
    director.fill(
        "input[name=due_date]", (utcnow() + timedelta(days=14)).astimezone(JST).date().isoformat()
    )
    director.click("form button.primary")
    director.wait_for_url(re.compile(rf"{base}/teams/{slug}/jobs/\d+$"))
    board_url = director.url

    director.click("form[action$='/escrow'] button.primary")
    director.wait_for_url(board_url)
    assert "仮払いを確認しました。メンバーは作業を開始できます。" in director.content()

    director.goto(f"{board_url}/split?suggest=1")
    units = director.locator("input[name$='-units']")
    assert [units.nth(i).input_value() for i in range(5)] == ["8"] * 5
    why = director.locator("#suggestion-why")
    assert why.is_visible() and "納期までの作業可能量は" in why.inner_text()
    director.click("form button.primary[type=submit]")
    director.wait_for_url(board_url)
    assert director.locator("tbody tr").count() == 5

    writer = new_context().new_page()
    log_in(writer, base, writer_email)
    writer.goto(f"{base}/teams/{slug}/my-assignments")
    writer.click("ul.assignments a")
    assignment_url = writer.url
    assert "取引条件の明示（フリーランス法 第3条）" in writer.content()
    assert "記事（3,000字） × 8" in writer.content()
    terms = writer.inner_text("#terms-v1")
    assert "この通知の時点での見込みは約¥" in terms and "源泉徴収はされません" in terms
    writer.click("#accept")
    writer.wait_for_url(assignment_url)
    assert "作業を引き受け、取引条件に同意しました。" in writer.content()
    writer.click("#start")
    writer.wait_for_url(assignment_url)
    assert (
        "作業を開始しました。できあがったら、このページから納品してください。" in writer.content()
    )
    writer.fill("input[name=url]", "javascript:alert(1)")  # refused: the work stays in progress
    writer.click("#submit-work")
    assert writer.inner_text("#state") == "作業中"
    assert (
        writer.inner_text("#url-error") == "https:// から始まるリンクを省略せずに入力してください。"
    )
    writer.fill("input[name=url]", "")
    draft = tmp_path / "draft.txt"
    draft.write_text("奄美の海の記事 第1稿", encoding="utf-8")
    writer.set_input_files("input[name=file]", str(draft))
    writer.click("#submit-work")
    writer.wait_for_url(assignment_url)

    editor = new_context().new_page()
    log_in(editor, base, roles.editor.email)
    editor.goto(assignment_url)
    editor.check("input[name=decision][value=changes]")
    editor.fill("textarea[name=comment]", "見出しをもう少し具体的にしてください")
    editor.click("#send-review")
    editor.wait_for_url(assignment_url)

    writer.goto(assignment_url)
    assert "見出しをもう少し具体的に" in writer.content() and "修正依頼中" in writer.content()
    writer.fill("textarea[name=text]", "第2稿: 見出しを直しました")
    writer.click("#submit-work")
    writer.wait_for_url(assignment_url)

    director.goto(assignment_url)
    director.check("input[name=decision][value=approve]")
    director.click("#send-review")
    director.wait_for_url(assignment_url)

    director.goto(board_url)
    approved = director.inner_text("#approved-units")
    assert sorted(map(int, re.findall(r"\d+", approved))) == [8, 40], approved
    load = director.locator("li", has_text=writer_name)
    assert re.search(r"8\D+8", load.inner_text())
