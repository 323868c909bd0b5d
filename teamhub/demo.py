"""Demo data: a living Amami writers' team, a small Ashikaga team and an operator."""

from __future__ import annotations

import random
from datetime import timedelta

from teamhub.auth.models import Person
from teamhub.auth.passwords import hash_password
from teamhub.clock import today_jst
from teamhub.extensions import db
from teamhub.payouts.demo import load_payouts_demo
from teamhub.skills import PersonSkill
from teamhub.teams.models import Absence, Membership, PlatformAccount, Team
from teamhub.training.demo import load_training_demo

DEMO_PASSWORD = "amami-demo-2026"

AMAMI_MEMBERS = [
    ("前田 健太", "editor"),
    ("栄 美代子", "member"), ("元 さやか", "member"), ("泉 真由美", "member"),
    ("重 由紀", "member"), ("森山 千尋", "member"), ("豊島 恵", "member"),
    ("福山 あゆみ", "member"), ("平 なつみ", "member"), ("碇山 里美", "member"),
    ("東 久美子", "member"), ("川畑 舞", "member"), ("基 明日香", "member"),
    ("田畑 優子", "member"), ("肥後 玲奈", "member"), ("中村 美穂", "member"),
    ("山田 沙織", "member"), ("里 裕子", "member"), ("直 絵美", "member"),
    ("池畑 千夏", "member"), ("義 智子", "member"), ("朝 未来", "member"),
    ("昇 香織", "member"), ("政 彩", "member"), ("吉永 陽菜", "member"),
]  # fmt: skip
ASHIKAGA_MEMBERS = [("小林 花子", "member"), ("斎藤 美樹", "member"), ("松本 由美", "member")]

WRITER_SKILLS = ["web-writing", "seo", "proofreading", "proposals", "translation"]
DESIGN_SKILLS = ["design", "illustration", "photo"]


def _person(email: str, name: str, password_hash: str) -> Person:
    person = Person(email=email, display_name=name, password_hash=password_hash, locale="ja")
    db.session.add(person)
    return person


def _declare_availability(membership: Membership, rng: random.Random) -> None:
    membership.weekly_units = rng.choice([2, 3, 4, 5, 6, 8, 10])
    membership.weekly_hours = rng.choice([5, 8, 10, 12, 15, 20])
    membership.availability_note = rng.choice(
        [
            "",
            "平日の午前中のみ",
            "子どもの昼寝中と夜に作業します",
            "週末は作業できません",
            "介護のため午後は不可",
        ]
    )


def _offer(job, director, member, units, fixed_yen=None):
    from teamhub.jobs.splitting import SplitLine, save_split

    line = SplitLine(
        membership_id=member.id, units=units, due_at=job.due_at,
        pay_basis="fixed" if fixed_yen else "units", fixed_yen=fixed_yen,
        override_reason="デモデータ",
    )  # fmt: skip
    [assignment] = save_split(job, director, [line], job.kept_units, job.split_version).created
    return assignment


def _advance(assignment, member, editor, director, to_state: str) -> None:
    """Walk an assignment through the real state machine up to ``to_state``."""
    from teamhub.assignments import lifecycle
    from teamhub.assignments.services import submit_work

    path = ["accepted", "in_progress", "submitted", "changes_requested", "resubmitted", "approved"]
    if to_state == "declined":
        lifecycle.decline(assignment, member, "子どもの行事と重なるため")
        return
    for step in path[: path.index(to_state) + 1] if to_state in path else []:
        if step == "accepted":
            lifecycle.accept(assignment, member)
        elif step == "in_progress":
            lifecycle.start(assignment, member)
        elif step in ("submitted", "resubmitted"):
            submit_work(assignment, member, text="本文を提出します。ご確認ください。")
        elif step == "changes_requested":
            lifecycle.review(assignment, editor, False, "写真のキャプションを追加してください。")
        elif step == "approved":
            lifecycle.review(assignment, director, True, "ありがとうございました！")


def _amami_jobs(team, director, editor, members) -> None:
    from datetime import time

    from teamhub.clock import from_jst, utcnow
    from teamhub.jobs import services
    from teamhub.jobs.services import JobInput

    person = director.person
    now = utcnow()

    def due(days: int):
        return from_jst(today_jst() + timedelta(days=days), time(18, 0))

    tours = services.record_job(team, person, JobInput(
        title="奄美大島 観光スポット紹介記事 40本", client_name="株式会社しまツアー",
        source="crowdworks", category="writing", contract_yen=120_000,
        unit_name="記事 (3,000字)", unit_count=40, due_at=due(12),
        description="奄美大島の観光スポットを紹介する記事です。写真はこちらで用意します。",
        required_skills=["web-writing"], expected_payment_on=today_jst() + timedelta(days=40),
    ))  # fmt: skip
    services.confirm_escrow(tours, person, now - timedelta(hours=3))
    for member, state in zip(
        members[:5],
        ["approved", "submitted", "changes_requested", "in_progress", "offered"],
        strict=True,
    ):
        _advance(_offer(tours, director, member, 8), member, editor, director, state)
    parenting = services.record_job(team, person, JobInput(
        title="島の子育て体験談インタビュー 10本", client_name="子育て応援メディア",
        source="lancers", category="writing", contract_yen=50_000,
        unit_name="インタビュー記事", unit_count=10, due_at=due(20),
    ))  # fmt: skip
    _advance(_offer(parenting, director, members[5], 5), members[5], editor, director, "accepted")
    _offer(parenting, director, members[6], 5)
    shochu = services.record_job(team, person, JobInput(
        title="黒糖焼酎 商品説明文 20本", client_name="奄美酒造", source="direct",
        category="writing", contract_yen=60_000, unit_name="商品説明文", unit_count=20,
        due_at=due(8),
    ))  # fmt: skip
    _advance(_offer(shochu, director, members[7], 10), members[7], editor, director, "declined")
    _advance(
        _offer(shochu, director, members[8], 10, fixed_yen=30_000),
        members[8],
        editor,
        director,
        "in_progress",
    )
    services.record_job(team, person, JobInput(
        title="在宅で簡単データ入力", client_name="在宅ワーク事務局", source="crowdworks",
        category="data_entry", contract_yen=5_000, unit_name="件", unit_count=100,
        due_at=due(5),
        description="詳しくはLINEで連絡ください。開始前に登録料3,000円が必要です。",
    ))  # fmt: skip


def _amami(password_hash: str, rng: random.Random) -> list[tuple[str, str]]:
    team = Team(
        name="奄美ライターズ",
        slug="amami-writers",
        prefecture="鹿児島県",
        municipality="奄美市",
        payer_type="corporation",
        fee_rate_bp=1000,
        invoice_number="T8340001012345",
        description="奄美大島在住のライター25名のチーム。観光・暮らし・子育て記事が得意です。",
        platform_accounts=[
            PlatformAccount(platform="lancers", handle="amami-writers"),
            PlatformAccount(platform="crowdworks", handle="amami_writers_team"),
        ],
    )
    director = _person("director@amami.example", "森 陽子", password_hash)
    director_membership = Membership(team=team, person=director, role="director")
    db.session.add(director_membership)
    logins = [("奄美ライターズ ディレクター", director.email)]
    editor_membership, writers = None, []
    today = today_jst()
    for index, (name, role) in enumerate(AMAMI_MEMBERS, start=1):
        email = "editor@amami.example" if role == "editor" else f"writer{index:02d}@amami.example"
        person = _person(email, name, password_hash)
        membership = Membership(team=team, person=person, role=role)
        _declare_availability(membership, rng)
        if index % 4 == 0:
            membership.show_on_profile = True
            membership.public_handle = f"amami_writer{index:02d}"
        if index % 6 == 1:
            start = today + timedelta(days=rng.randint(0, 14))
            membership.absences.append(
                Absence(starts_on=start, ends_on=start + timedelta(days=rng.randint(1, 5)),
                        note=rng.choice(["子どもの通院", "家族の介護", "島外へ帰省"]))
            )  # fmt: skip
        for skill in rng.sample(WRITER_SKILLS, k=rng.randint(1, 3)):
            person.skills.append(PersonSkill(skill=skill, source="declared"))
        db.session.add(membership)
        if role == "editor":
            editor_membership = membership
        else:
            writers.append(membership)
        if role == "editor":
            logins.append(("奄美ライターズ 編集者", email))
        elif index == 2:
            logins.append(("奄美ライターズ メンバー", email))
    db.session.flush()
    _amami_jobs(team, director_membership, editor_membership, writers)
    return logins


def _ashikaga(password_hash: str, rng: random.Random) -> list[tuple[str, str]]:
    team = Team(
        name="足利デザイン工房",
        slug="ashikaga-design",
        prefecture="栃木県",
        municipality="足利市",
        payer_type="individual",
        fee_rate_bp=800,
        description="足利市の子育て中のデザイナー・イラストレーターのチーム。",
    )
    director = _person("director@ashikaga.example", "高橋 亜希子", password_hash)
    db.session.add(Membership(team=team, person=director, role="director"))
    for index, (name, role) in enumerate(ASHIKAGA_MEMBERS, start=1):
        person = _person(f"designer{index:02d}@ashikaga.example", name, password_hash)
        membership = Membership(team=team, person=person, role=role)
        _declare_availability(membership, rng)
        person.skills.append(PersonSkill(skill=rng.choice(DESIGN_SKILLS), source="declared"))
        db.session.add(membership)
    return [("足利デザイン工房 ディレクター", director.email)]


def load_demo() -> list[tuple[str, str]]:
    """Add the demo teams and people; return (who, email) pairs for the README and the console."""
    rng = random.Random(2026)
    password_hash = hash_password(DEMO_PASSWORD)
    operator = _person("operator@teamhub.example", "運営 管理者", password_hash)
    operator.is_operator = True
    logins = [("運営者 (operator)", operator.email)]
    logins += _amami(password_hash, rng)
    logins += _ashikaga(password_hash, rng)
    db.session.flush()
    logins += load_training_demo(password_hash)
    load_payouts_demo()
    return logins
