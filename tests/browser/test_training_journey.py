"""A coordinator builds a curriculum and runs a cohort; a trainee follows it to a certificate
that anyone can verify without signing in. On a phone-sized screen, with CSRF on."""

from __future__ import annotations

import re
from datetime import timedelta

from teamhub.clock import today_jst
from teamhub.extensions import db
from tests import factories
from tests import training_factories as tf
from tests.conftest import TEST_PASSWORD

TRAINEES = [("trainee1@ashikaga.example", "小林 花子"), ("trainee2@ashikaga.example", "斎藤 美樹"),
            ("trainee3@ashikaga.example", "松本 由美")]  # fmt: skip


def seed(app) -> str:
    with app.app_context():
        org = tf.make_organisation(name="足利しごと応援NPO", slug="ashikaga-npo")
        tf.appoint(org, factories.make_person(email="coordinator@ashikaga.example"))
        for email, name in TRAINEES:
            factories.make_person(email=email, display_name=name)
        db.session.commit()
        return org.slug


def log_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/")


def watch_console(page) -> list[str]:
    problems: list[str] = []
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    return problems


def add_module(page, title: str, task: str = "", skill: str = "") -> None:
    page.fill("#add-module input[name=title]", title)
    if task:
        page.fill("#add-module textarea[name=practice_task]", task)
    if skill:
        page.check(f"#add-module input[name=skills][value={skill}]")
    page.click("#add-module button.primary")
    page.wait_for_url(re.compile(r".*/modules/\d+$"))


def overall(page) -> str:
    return page.locator("#progress progress").first.get_attribute("value")


def test_a_cohort_from_curriculum_to_verified_certificate(live_app, new_context, app):
    base = live_app
    slug = seed(app)
    coordinator = new_context().new_page()
    console = watch_console(coordinator)
    log_in(coordinator, base, "coordinator@ashikaga.example")
    coordinator.click(f"#my-organisations a[href='/orgs/{slug}']")
    coordinator.wait_for_url(f"{base}/orgs/{slug}")

    # A curriculum of three modules; the second has a practice task; reorder once.
    coordinator.click(f"a[href='/orgs/{slug}/curricula/new']")
    coordinator.fill("input[name=title]", "在宅Webライター講座")
    coordinator.click("form button.primary")
    coordinator.wait_for_url(re.compile(r".*/curricula/\d+$"))
    curriculum_url = coordinator.url
    add_module(coordinator, "提案文を書く", skill="proposals")
    coordinator.fill("#lessons input[name=title]", "はじめに")
    coordinator.fill(
        "#lessons textarea[name=body]",
        "# ようこそ\n\n**在宅**で働く第一歩です。<script>alert(1)</script>",
    )
    coordinator.click("#lessons button.primary")
    coordinator.wait_for_url(re.compile(r".*/modules/\d+$"))
    coordinator.goto(curriculum_url)
    add_module(coordinator, "Webライティングの基本", task="300字の自己紹介文を書いてください。",
               skill="web-writing")  # fmt: skip
    coordinator.fill("#lessons input[name=title]", "読みやすい文章")
    coordinator.fill("#lessons textarea[name=body]", "- 一文を短く\n- 結論から書く")
    coordinator.click("#lessons button.primary")
    coordinator.goto(curriculum_url)
    add_module(coordinator, "SEOの考え方", skill="seo")
    coordinator.goto(curriculum_url)
    coordinator.locator(".modules li").nth(1).locator("form").first.locator("button").click()
    coordinator.wait_for_url(re.compile(r".*/curricula/\d+#module-\d+$"))
    titles = coordinator.locator(".modules h3 a").all_inner_texts()
    assert titles == ["Webライティングの基本", "提案文を書く", "SEOの考え方"]

    # A cohort with a session today, three trainees, attendance.
    coordinator.click("a[href*='/cohorts/new']")
    coordinator.fill("input[name=name]", "2026年春 第1期")
    coordinator.fill("input[name=capacity]", "10")
    coordinator.fill("input[name=enrol_opens_on]", (today_jst() - timedelta(days=1)).isoformat())
    coordinator.fill("input[name=enrol_closes_on]", (today_jst() + timedelta(days=30)).isoformat())
    coordinator.click("form button.primary")
    coordinator.wait_for_url(re.compile(r".*/cohorts/\d+$"))
    cohort_url = coordinator.url
    coordinator.fill("#schedule input[name=starts_on]", today_jst().isoformat())
    coordinator.fill("#schedule input[name=starts_time]", "00:15")
    coordinator.fill("#schedule input[name=place]", "足利市民活動センター 会議室A")
    coordinator.click("#schedule button.primary")
    coordinator.wait_for_url(f"{cohort_url}#schedule")
    assert f"{today_jst():%Y/%m/%d} 00:15" in coordinator.inner_text("#schedule")
    for email, _name in TRAINEES:
        coordinator.fill("#trainees input[name=email]", email)
        coordinator.click("#trainees button.primary")
        coordinator.wait_for_url(f"{cohort_url}#trainees")
    assert coordinator.locator("#trainees tbody tr").count() == 3

    coordinator.click("#schedule a[href$='/attendance']")
    coordinator.wait_for_url(re.compile(r".*/attendance$"))
    attendance_url = coordinator.url
    radios = coordinator.locator("input[type=radio][value=present]")
    assert radios.count() == 3
    for index in range(3):
        radios.nth(index).check()
    coordinator.locator("input[type=radio][value=absent]").nth(2).check()
    coordinator.click("form button.primary")
    coordinator.wait_for_url(attendance_url)
    assert coordinator.locator("input[value=present]:checked").count() == 2

    # The trainee reads a lesson, sends the practice task, and the bars move.
    trainee = new_context().new_page()
    log_in(trainee, base, TRAINEES[0][0])
    trainee.click("#my-training a[href^='/training/']")
    trainee.wait_for_url(re.compile(r".*/training/\d+$"))
    cohort_page = trainee.url
    assert overall(trainee) == "0"
    assert "足利市民活動センター" in trainee.inner_text("#schedule")
    trainee.click(".modules li >> nth=0 >> h3 a")
    trainee.wait_for_url(re.compile(r".*/modules/\d+$"))
    module_page = trainee.url
    assert trainee.locator("progress").first.get_attribute("value") == "0"
    trainee.click(".lesson form button")
    trainee.wait_for_url(re.compile(r".*#lesson-\d+$"))
    assert trainee.locator("progress").first.get_attribute("value") == "50"
    trainee.fill("#practice textarea[name=text]", "足利市在住、二児の母です。")
    trainee.click("#practice button.primary")
    trainee.wait_for_url(f"{module_page}#practice")

    coordinator.goto(f"{base}/orgs/{slug}/reviews")
    coordinator.click("ul.list a")
    coordinator.check("input[name=decision][value=pass]")
    coordinator.fill("textarea[name=comment]", "とても読みやすいです！")
    coordinator.click("#decide button.primary")
    coordinator.wait_for_url(f"{base}/orgs/{slug}/reviews")

    trainee.goto(cohort_page)
    assert overall(trainee) == "1"
    trainee.goto(module_page)
    assert "とても読みやすいです！" in trainee.inner_text("#practice")

    # The coordinator completes the two modules without a task: the trainee graduates.
    coordinator.goto(cohort_url)
    coordinator.click("#trainees tbody tr >> nth=0 >> a")
    for _ in range(2):
        coordinator.locator("#modules form button").first.click()
        coordinator.wait_for_url(re.compile(r".*/trainees/\d+#modules$"))

    trainee.goto(cohort_page)
    assert overall(trainee) == "3"
    assert "おめでとうございます！研修を修了しました。" in trainee.content()  # 修了, not 完了
    trainee.click("#certificate-link a")
    trainee.wait_for_url(re.compile(r".*/certificate$"))
    public_url = trainee.input_value("#certificate-link")
    assert re.fullmatch(
        rf"{re.escape(base)}/certificates/[A-Z2-9]{{4}}(-[A-Z2-9]{{4}}){{3}}", public_url
    )

    # Anyone can verify it, without signing in; it shows four facts.
    anyone = new_context().new_page()
    anyone.goto(public_url)
    text = anyone.inner_text("#certificate")
    for fact in ("小林 花子", "2026年春 第1期", "在宅Webライター講座", f"{today_jst():%Y/%m/%d}"):
        assert fact in text
    assert "trainee1@ashikaga.example" not in anyone.content()
    assert anyone.locator("a[href='/login']").count() == 1  # still signed out

    # The report draws its charts as images under the page's strict CSP.
    coordinator.goto(f"{base}/orgs/{slug}/outcomes")
    image = coordinator.locator("img[src$='progress.svg']")
    image.scroll_into_view_if_needed()  # the charts load lazily, when they come into view
    coordinator.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    assert not [line for line in console if "Content Security Policy" in line], console
