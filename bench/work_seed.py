"""Jobs, assignments in every state, and their terms notices (built by the app's own
``terms.build_terms``), for every seeded team.

Regular teams have two years of 40-unit jobs split between members. The first team is the big
one: a month of approved work (a tenth of all assignments) that the close timing gathers.
"""

from __future__ import annotations

import dataclasses
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import SimpleNamespace

from bench import names
from bench.seed import YEARS_DAYS, TeamPlan, World, close_month
from teamhub import money
from teamhub.assignments import terms

UNITS_PER_JOB = 40
SPLITS = (4, 5, 8, 10)  # assignments per regular job: 10, 8, 5 or 4 units each
BIG_JOB_SPLIT = 40  # the big team's jobs: 40 members × 1 unit
ESCROW_SOURCES = ("lancers", "crowdworks", "shufti")
ACTIVE = frozenset(("offered", "accepted", "in_progress", "submitted", "changes_requested"))


@dataclass(frozen=True)
class JobPlan:
    id: int
    team: TeamPlan
    due_at: datetime
    members: tuple[int, ...]
    units_each: int
    big: bool = False
    first_assignment_id: int = 0


def _regular_plans(world: World, first_id: int) -> list[JobPlan]:
    s = world.scale
    budget_total = s.assignments - s.big_team_assignments
    per_team, extra = divmod(budget_total, s.teams - 1)
    plans, job_id = [], first_id
    start = world.now - timedelta(days=YEARS_DAYS)
    span = timedelta(days=YEARS_DAYS + 30)
    for index, team in enumerate(world.teams[1:]):
        rng = random.Random(1000 + team.id)
        budget = per_team + (1 if index < extra else 0)
        used = 0
        while used < budget:
            n = min(rng.choice(SPLITS), budget - used, len(team.member_ids))
            due = start + span * (used / budget) + timedelta(hours=rng.randrange(24))
            members = tuple(rng.sample(team.member_ids, n))
            plans.append(JobPlan(job_id, team, due, members, UNITS_PER_JOB // n))
            job_id += 1
            used += n
    return plans


def _big_plans(world: World) -> list[JobPlan]:
    team = world.big_team
    first, last = close_month(world.now)
    days_in_month = (last - first).days + 1
    rng = random.Random(999)
    count, rest = divmod(world.scale.big_team_assignments, BIG_JOB_SPLIT)
    plans = []
    for index in range(count + (1 if rest else 0)):
        n = BIG_JOB_SPLIT if index < count else rest
        day = first + timedelta(days=index * days_in_month // (count + 1))
        due = datetime(day.year, day.month, day.day, 18, tzinfo=names.JST)
        plans.append(
            JobPlan(index + 1, team, due, tuple(rng.sample(team.member_ids, n)), 1, big=True)
        )
    return plans


def plans(world: World) -> list[JobPlan]:
    big = _big_plans(world)
    result, next_id = [], 1
    for plan in big + _regular_plans(world, len(big) + 1):
        result.append(dataclasses.replace(plan, first_assignment_id=next_id))
        next_id += len(plan.members)
    return result


def job_terms(plan: JobPlan) -> tuple[str, int]:
    """The job's source platform and contract before tax."""
    rng = random.Random(plan.id)
    return rng.choice((*ESCROW_SOURCES, "direct")), rng.randrange(20, 60) * 100 * UNITS_PER_JOB


def receipt(plan: JobPlan, rows: list[dict], now: datetime) -> tuple[int, date] | None:
    """What the platform paid and when, for finished work whose money is in; else None."""
    if any(r["state"] in ACTIVE for r in rows):
        return None
    # The big team's money for the timed month is in by the month's end, whatever day of the
    # next month the seed runs (a regular job's, 10 days after it was due, 20 days ago or more).
    if not plan.big and plan.due_at > now - timedelta(days=20):
        return None
    source, contract = job_terms(plan)
    total = contract + contract // 10
    day = plan.due_at.astimezone(names.JST).date() + timedelta(days=2 if plan.big else 10)
    if plan.big:
        day = min(day, close_month(now)[1])
    return total - money.platform_fee(source, total), day


def job_row(plan: JobPlan, now: datetime, received: tuple[int, date] | None) -> dict:
    rng = random.Random(plan.id * 3)
    source, contract = job_terms(plan)
    created = plan.due_at - timedelta(days=21)
    escrow = None
    if source in ESCROW_SOURCES and (plan.due_at < now or rng.random() < 0.8):
        escrow = created + timedelta(days=1)
    return {
        "id": plan.id,
        "team_id": plan.team.id,
        "title": f"{rng.choice(names.TOPICS)}の記事 {UNITS_PER_JOB}本",
        "client_name": rng.choice(names.CLIENTS),
        "source": source,
        "format": "project",
        "category": "writing",
        "description": "地域の魅力を伝える記事。",
        "contract_yen": contract,
        "tax_yen": contract // 10,
        "tax_shown_separately": True,
        "unit_name": "記事（3,000字）",
        "unit_count": UNITS_PER_JOB,
        "kept_units": UNITS_PER_JOB - plan.units_each * len(plan.members),
        "due_at": plan.due_at,
        "expected_payment_on": (plan.due_at + timedelta(days=30)).date(),
        "required_skills": "[]",
        "escrow_confirmed_at": escrow,
        "escrow_confirmed_by_id": plan.team.director_person if escrow else None,
        "scam_reasons": "[]",
        "status": "open",
        "split_version": 1,
        "created_by_id": plan.team.director_person,
        "created_at": created,
        "received_yen": received[0] if received else None,
        "received_on": received[1] if received else None,
        "team_fee_bp": None,
        "reentrustment": False,
    }


PAST = (("approved", 90), ("declined", 4), ("cancelled", 3), ("reassigned", 3))
RECENT = (("approved", 50), ("submitted", 20), ("changes_requested", 10), ("in_progress", 15),
          ("cancelled", 5))  # fmt: skip
FUTURE = (("offered", 25), ("accepted", 25), ("in_progress", 35), ("declined", 10),
          ("submitted", 5))  # fmt: skip


def _state(rng: random.Random, plan: JobPlan, now: datetime) -> str:
    if plan.big:
        return "approved"
    days_left = (plan.due_at - now).days
    table = PAST if days_left < -30 else RECENT if days_left < 0 else FUTURE
    return rng.choices([s for s, _w in table], [w for _s, w in table])[0]


def _timeline(rng: random.Random, state: str, due: datetime) -> dict:
    offered = due - timedelta(days=14)
    answered = None if state == "offered" else offered + timedelta(hours=rng.randrange(1, 40))
    started = submitted = approved = closed = None
    if state in ("in_progress", "submitted", "changes_requested", "approved"):
        started = answered + timedelta(hours=2)
    if state in ("submitted", "changes_requested", "approved"):
        late = timedelta(days=1) if rng.random() < 0.1 else -timedelta(days=rng.randrange(4))
        submitted = due + late
    if state == "approved":
        approved = submitted + timedelta(days=1)
    if state in ("approved", "declined", "cancelled", "reassigned"):
        closed = approved or answered or offered + timedelta(days=1)
    return {
        "offered_at": offered,
        "answered_at": answered,
        "started_at": started,
        "first_submitted_at": submitted,
        "approved_at": approved,
        "closed_at": closed,
    }


def job_assignments(plan: JobPlan, now: datetime) -> list[dict]:
    """The job's assignment rows; the same every time for the same plan."""
    rng = random.Random(plan.id * 7)
    rows = []
    for offset, membership_id in enumerate(plan.members):
        state = _state(rng, plan, now)
        fixed = not plan.big and rng.random() < 0.05
        rows.append(
            {
                "id": plan.first_assignment_id + offset,
                "team_id": plan.team.id,
                "job_id": plan.id,
                "membership_id": membership_id,
                "units": plan.units_each,
                "part_description": "",
                "due_at": plan.due_at,
                "pay_basis": "fixed" if fixed else "units",
                "fixed_yen": 8000 if fixed else None,
                "state": state,
                "revision_count": 1 if state == "changes_requested" or rng.random() < 0.2 else 0,
                "override_reason": "",
                "replaces_id": None,
                **_timeline(rng, state, plan.due_at),
            }
        )
    return rows


def assignment_rows(world: World, job_plans: list[JobPlan]) -> Iterator[dict]:
    for plan in job_plans:
        yield from job_assignments(plan, world.now)
    world.assignment_id = job_plans[-1].first_assignment_id + len(job_plans[-1].members) - 1


def _team(world: World, team: TeamPlan) -> SimpleNamespace:
    """The team as the terms notice reads it."""
    return SimpleNamespace(name=world.team_names[team.id], invoice_number=None,
                           fee_rate_bp=1000, payer_type=world.payer_types[team.id])  # fmt: skip


def _pay(rows: list[dict]) -> terms.JobPay:
    live = [r for r in rows if r["state"] not in terms.GONE_STATES and r["pay_basis"] == "fixed"]
    return terms.JobPay(sum(r["fixed_yen"] for r in live), sum(r["units"] for r in live))


def _accepted_at(row: dict):
    """The member accepted the notice with the offer: once they answered, unless declining."""
    return None if row["state"] == "declined" else row["answered_at"]


def notice_rows(world: World) -> Iterator[dict]:
    """One terms notice per assignment, as the split issues it: built by the app's own builder
    from the job, the assignment, the team and both people, on the day of the offer."""
    teams: dict[int, SimpleNamespace] = {}
    for plan in world.job_plans:
        team = teams.get(plan.team.id) or teams.setdefault(plan.team.id, _team(world, plan.team))
        job = SimpleNamespace(**job_row(plan, world.now, world.receipts[plan.id]))
        rows = job_assignments(plan, world.now)
        pay, issuer = _pay(rows), world.person_names[plan.team.director_person]
        for row in rows:
            member = world.person_names[plan.team.person_of[row["membership_id"]]]
            content = terms.build_terms(
                SimpleNamespace(**row), job, team, member, issuer, pay, row["offered_at"]
            )
            yield {
                "id": row["id"],
                "assignment_id": row["id"],
                "version": 1,
                "terms": json.dumps(content, ensure_ascii=False),
                "issued_at": row["offered_at"],
                "accepted_at": _accepted_at(row),
            }


def seed_work(writer, world: World) -> None:
    job_plans = plans(world)
    world.jobs = len(job_plans)
    receipts = {p.id: receipt(p, job_assignments(p, world.now), world.now) for p in job_plans}
    world.receipts = receipts
    writer.write("job", (job_row(p, world.now, receipts[p.id]) for p in job_plans), len(job_plans))
    writer.write("assignment", assignment_rows(world, job_plans), world.scale.assignments)
    world.job_plans = job_plans
    writer.write("terms_notice", notice_rows(world), world.scale.assignments)


def summary(world: World) -> str:
    return json.dumps({"jobs": world.jobs, "assignments": world.assignment_id})
