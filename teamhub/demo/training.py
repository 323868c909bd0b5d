"""Demo training: an Ashikaga NPO with a finished cohort (its graduates now work in the Ashikaga
design team) and a cohort running now. Built through the real services, then dated back.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from teamhub.auth.models import Person
from teamhub.clock import from_jst, today_jst
from teamhub.demo.history import last_notification_id, read_and_sent_since
from teamhub.extensions import db
from teamhub.teams.models import Team
from teamhub.training import cohorts, curricula, progress, trainee_queries
from teamhub.training.enrolments import enrol, withdraw
from teamhub.training.models import Cohort, Enrolment, Organisation, OrganisationMembership

CURRICULUM = [
    (
        "パソコンと在宅ワークの準備",
        "",
        [],
        [
            ("在宅ワークの一日", "# 在宅ワークの一日\n\n子どもの送り出しから夕方まで、"
             "**作業時間を先に決める**のがコツです。\n\n- 朝: 9時〜11時\n- 昼寝中: 13時〜14時"),
            ("安全なやりとり", "クラウドソーシングサイトの外（LINEや個人メール）での連絡を求める案件には"
             "応じません。[ランサーズのガイド](https://www.lancers.jp/)も読んでおきましょう。"),
        ],
    ),
    (
        "Webライティングの基本",
        "足利の観光スポットを一つ選び、300字の紹介文を書いてください。",
        ["web-writing"],
        [("読みやすい文章", "- 一文を短く\n- 結論から書く\n- 漢字とひらがなのバランス")],
    ),
    (
        "デザインの基本（Canva）",
        "地元のパン屋さんのチラシを1枚作り、共有リンクを提出してください。",
        ["design"],
        [("配色とレイアウト", "色は3色まで。余白をしっかり取ります。")],
    ),
    (
        "提案文とクラウドソーシング",
        "架空の案件に、自己紹介と納期を入れた提案文を書いてください。",
        ["proposals"],
        [("提案文の型", "1. あいさつ\n2. できること\n3. 納期と進め方\n4. 締めのあいさつ")],
    ),
]  # fmt: skip

FINISHED_TRAINEES = [("trainee01@ashikaga.example", "岩崎 真理"),
                     ("trainee02@ashikaga.example", "長島 彩花"),
                     ("trainee03@ashikaga.example", "大川 恵美")]  # fmt: skip
RUNNING_TRAINEES = [("trainee04@ashikaga.example", "吉田 香織"),
                    ("trainee05@ashikaga.example", "川島 ゆかり"),
                    ("trainee06@ashikaga.example", "森田 直美")]  # fmt: skip


def _utc(day: date, hour: int = 3) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC)


def _people(rows, password_hash: str) -> list[Person]:
    people = []
    for email, name in rows:
        person = Person(email=email, display_name=name, password_hash=password_hash, locale="ja")
        db.session.add(person)
        people.append(person)
    db.session.flush()
    return people


def _curriculum(org: Organisation):
    curriculum = curricula.create_curriculum(
        org, "在宅デザイン・ライティング入門", "子育て中でも続けられる、12週間の在宅ワーク講座。"
    )
    for title, task, skills, lessons in CURRICULUM:
        module = curricula.add_module(
            curriculum, curricula.ModuleInput(title=title, practice_task=task, skills=tuple(skills))
        )
        for lesson_title, body in lessons:
            curricula.add_lesson(module, lesson_title, body)
    db.session.refresh(curriculum)
    return curriculum


def _sessions(cohort: Cohort, first: date, weeks: int) -> list:
    return [
        cohorts.add_session(
            cohort,
            cohorts.SessionInput(
                starts_at=from_jst(first + timedelta(weeks=week), time(10, 0)),
                duration_minutes=120,
                topic=f"第{week + 1}回",
                place="足利市民活動センター 会議室A",
                online_url="https://meet.example.jp/ashikaga" if week % 2 else "",
            ),
        )
        for week in range(weeks)
    ]


def _take_attendance(sessions, enrolments, coordinator, rng: random.Random) -> None:
    for session in sessions:
        marks = {
            e.id: rng.choices(["present", "absent", "excused"], weights=[8, 1, 1])[0]
            for e in enrolments
        }
        progress.record_attendance(session, marks, coordinator, today=session.day_jst)


def _complete_all(enrolment: Enrolment, coordinator: Person, done_on: list[date]) -> None:
    """Complete every module through the real rules, then date each completion back."""
    modules = enrolment.cohort.curriculum.current_modules
    for module, day in zip(modules, done_on, strict=True):
        if module.has_practice:
            submission = progress.submit_practice(enrolment, module, "課題を提出します。")
            progress.review_practice(submission, coordinator, True, "よくできました！")
            submission.submitted_at = submission.reviewed_at = _utc(day, 1)
        else:
            progress.complete_module(enrolment, module, coordinator)
    days = {module.id: day for module, day in zip(modules, done_on, strict=True)}
    for module_id, completion in trainee_queries.completions_of(enrolment).items():
        completion.completed_at = _utc(days[module_id])
    enrolment.completed_at = _utc(done_on[-1])


def _finished_cohort(org, curriculum, coordinator, graduates, withdrawn, rng) -> list[Enrolment]:
    today = today_jst()
    opens = today - timedelta(days=200)
    cohort = cohorts.open_cohort(
        org,
        curriculum,
        cohorts.CohortInput("2025年秋 第1期", 12, opens, opens + timedelta(days=20)),
    )
    sessions = _sessions(cohort, opens + timedelta(days=28), 12)
    enrolments = [
        enrol(cohort, person, by=coordinator, today=opens) for person in [*graduates, withdrawn]
    ]
    for enrolment in enrolments:
        enrolment.enrolled_at = _utc(opens)
    _take_attendance(sessions[:4], enrolments, coordinator, rng)
    withdraw(enrolments[-1])
    _take_attendance(sessions[4:], enrolments[:-1], coordinator, rng)
    for index, enrolment in enumerate(enrolments[:-1]):
        start = sessions[2].day_jst + timedelta(days=index)
        _complete_all(enrolment, coordinator, [start + timedelta(weeks=3 * n) for n in range(4)])
    return enrolments[:-1]


def _running_cohort(org, curriculum, coordinator, trainees, rng) -> None:
    today = today_jst()
    cohort = cohorts.open_cohort(
        org,
        curriculum,
        cohorts.CohortInput(
            "2026年春 第2期", 10, today - timedelta(days=14), today + timedelta(days=14)
        ),
    )
    cohorts.set_applications(cohort, True)
    sessions = _sessions(cohort, today - timedelta(days=7), 12)
    enrolments = [enrol(cohort, person, by=coordinator, today=today) for person in trainees]
    _take_attendance(sessions[:1], enrolments, coordinator, rng)
    first, second = curriculum.current_modules[:2]
    for enrolment in enrolments[:2]:
        progress.complete_module(enrolment, first, coordinator)
        for lesson in second.lessons:
            progress.mark_lesson_read(enrolment, lesson)
    progress.submit_practice(
        enrolments[0],
        second,
        "足利フラワーパークは、春の藤の花で知られる花のテーマパークです。"
        "夜はライトアップされ、昼とは違う幻想的な景色を楽しめます。",
    )


def load_training_demo(password_hash: str) -> list[tuple[str, str]]:
    """Add the Ashikaga NPO, its coordinator, curriculum and cohorts; return demo logins."""
    rng = random.Random(2026)
    org = Organisation(
        name="足利しごと応援ネット", slug="ashikaga-npo", kind="npo",
        prefecture="栃木県", municipality="足利市",
    )  # fmt: skip
    db.session.add(org)
    [coordinator] = _people([("coordinator@ashikaga.example", "中島 直子")], password_hash)
    db.session.add(OrganisationMembership(organisation=org, person=coordinator))
    db.session.flush()
    curriculum = _curriculum(org)
    designers = list(
        db.session.scalars(
            sa.select(Person)
            .where(Person.email.like("designer%@ashikaga.example"))
            .order_by(Person.email)
        )
    )
    finished = _people(FINISHED_TRAINEES, password_hash)
    marker = last_notification_id()
    graduates = _finished_cohort(
        org, curriculum, coordinator, [*designers, *finished[:2]], finished[2], rng
    )
    read_and_sent_since(marker, graduates[-1].completed_at)  # months ago, not news today
    running = _people(RUNNING_TRAINEES, password_hash)
    _running_cohort(org, curriculum, coordinator, running, rng)
    team = db.session.scalar(sa.select(Team).where(Team.slug == "ashikaga-design"))
    if team is not None:
        for enrolment in graduates[-2:]:
            progress.recommend(enrolment, team, coordinator, "丁寧で、納期をきちんと守る方です。")
    db.session.flush()
    return [
        ("足利しごと応援ネット コーディネーター", coordinator.email),
        ("足利しごと応援ネット 受講者（受講中）", running[0].email),
    ]
