"""Demo teams and people: the Amami writers (25 members) and a small Ashikaga team."""

from __future__ import annotations

import random
from datetime import timedelta

from teamhub.auth.models import Person
from teamhub.clock import today_jst
from teamhub.demo.work import amami_jobs
from teamhub.extensions import db
from teamhub.skills import PersonSkill
from teamhub.teams.models import Absence, Membership, PlatformAccount, Team

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


def new_person(email: str, name: str, password_hash: str) -> Person:
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


def amami(password_hash: str, rng: random.Random) -> list[tuple[str, str]]:
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
    director = new_person("director@amami.example", "森 陽子", password_hash)
    director_membership = Membership(team=team, person=director, role="director")
    db.session.add(director_membership)
    logins = [("奄美ライターズ ディレクター", director.email)]
    editor_membership, writers = None, []
    today = today_jst()
    for index, (name, role) in enumerate(AMAMI_MEMBERS, start=1):
        email = "editor@amami.example" if role == "editor" else f"writer{index:02d}@amami.example"
        person = new_person(email, name, password_hash)
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
    amami_jobs(team, director_membership, editor_membership, writers)
    return logins


def ashikaga(password_hash: str, rng: random.Random) -> list[tuple[str, str]]:
    team = Team(
        name="足利デザイン工房",
        slug="ashikaga-design",
        prefecture="栃木県",
        municipality="足利市",
        payer_type="individual",
        fee_rate_bp=800,
        description="足利市の子育て中のデザイナー・イラストレーターのチーム。",
    )
    director = new_person("director@ashikaga.example", "高橋 亜希子", password_hash)
    db.session.add(Membership(team=team, person=director, role="director"))
    for index, (name, role) in enumerate(ASHIKAGA_MEMBERS, start=1):
        person = new_person(f"designer{index:02d}@ashikaga.example", name, password_hash)
        membership = Membership(team=team, person=person, role=role)
        _declare_availability(membership, rng)
        person.skills.append(PersonSkill(skill=rng.choice(DESIGN_SKILLS), source="declared"))
        db.session.add(membership)
    return [("足利デザイン工房 ディレクター", director.email)]
