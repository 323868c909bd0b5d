"""Demo work: jobs of the Amami team, split and walked through the real services."""

from __future__ import annotations

from datetime import time, timedelta

from teamhub.assignments import lifecycle
from teamhub.assignments.services import submit_work
from teamhub.clock import from_jst, today_jst, utcnow
from teamhub.jobs import services
from teamhub.jobs.services import JobInput
from teamhub.jobs.splitting import SplitLine, save_split


def offer(job, director, member, units, fixed_yen=None):
    line = SplitLine(
        membership_id=member.id, units=units, due_at=job.due_at,
        pay_basis="fixed" if fixed_yen else "units", fixed_yen=fixed_yen,
        override_reason="デモデータ",
    )  # fmt: skip
    [assignment] = save_split(job, director, [line], job.kept_units, job.split_version).created
    return assignment


def advance(assignment, member, editor, director, to_state: str) -> None:
    """Walk an assignment through the real state machine up to ``to_state``."""
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


def amami_jobs(team, director, editor, members) -> None:
    person = director.person
    now = utcnow()

    def due(days: int):
        return from_jst(today_jst() + timedelta(days=days), time(18, 0))

    tours = services.record_job(team, person, JobInput(
        title="奄美大島 観光スポット紹介記事 40本", client_name="株式会社しまツアー",
        source="crowdworks", category="writing", contract_yen=120_000,
        unit_name="記事（3,000字）", unit_count=40, due_at=due(12),
        description="奄美大島の観光スポットを紹介する記事です。写真はこちらで用意します。",
        required_skills=["web-writing"], expected_payment_on=today_jst() + timedelta(days=40),
    ))  # fmt: skip
    services.confirm_escrow(tours, person, now - timedelta(hours=3))
    for member, state in zip(
        members[:5],
        ["approved", "submitted", "changes_requested", "in_progress", "offered"],
        strict=True,
    ):
        advance(offer(tours, director, member, 8), member, editor, director, state)
    parenting = services.record_job(team, person, JobInput(
        title="島の子育て体験談インタビュー 10本", client_name="子育て応援メディア",
        source="lancers", category="writing", contract_yen=50_000,
        unit_name="インタビュー記事", unit_count=10, due_at=due(20),
    ))  # fmt: skip
    advance(offer(parenting, director, members[5], 5), members[5], editor, director, "accepted")
    offer(parenting, director, members[6], 5)
    shochu = services.record_job(team, person, JobInput(
        title="黒糖焼酎 商品説明文 20本", client_name="奄美酒造", source="direct",
        category="writing", contract_yen=60_000, unit_name="商品説明文", unit_count=20,
        due_at=due(8),
    ))  # fmt: skip
    advance(offer(shochu, director, members[7], 10), members[7], editor, director, "declined")
    advance(
        offer(shochu, director, members[8], 10, fixed_yen=30_000),
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
