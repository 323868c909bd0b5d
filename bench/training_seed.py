"""Training: one national organisation with every cohort, its curricula, sessions, attendance,
enrolments and module completions. Trainees are people of the regular teams, so graduates earn.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bench import names

ORG_SLUG = "bench-org"
CURRICULA = 4
MODULES = 6
LESSONS = 2
SESSIONS = 10
COORDINATOR_PERSON = 3  # an editor of the big team, who also coordinates the organisation


@dataclass(frozen=True)
class CohortPlan:
    id: int
    curriculum_id: int
    opens_on: date
    first_session: datetime
    trainees: tuple[int, ...]  # person ids

    @property
    def last_session(self) -> datetime:
        return self.first_session + timedelta(weeks=SESSIONS - 1)


def cohort_plans(world) -> list[CohortPlan]:
    s = world.scale
    per_cohort = s.trainees // s.cohorts
    pool = range(s.big_team_people + 1, s.people + 1)
    stride = max(1, len(pool) // s.trainees)
    people = [pool[i * stride] for i in range(s.trainees)]
    start = world.now.astimezone(names.JST).date() - timedelta(days=700)
    plans = []
    for index in range(s.cohorts):
        opens = start + timedelta(days=index * 690 // s.cohorts)
        first = datetime(opens.year, opens.month, opens.day, 10, tzinfo=names.JST) + timedelta(
            days=21
        )
        chosen = tuple(people[index * per_cohort : (index + 1) * per_cohort])
        plans.append(CohortPlan(index + 1, index % CURRICULA + 1, opens, first, chosen))
    return plans


def _org_rows(world) -> dict[str, list[dict]]:
    now = world.now
    rows: dict[str, list[dict]] = {
        "organisation": [
            {
                "id": 1,
                "name": "全国フリーランス育成機構",
                "slug": ORG_SLUG,
                "kind": "npo",
                "prefecture": "東京都",
                "municipality": "千代田区",
                "target_monthly_yen": 200_000,
                "created_at": now - timedelta(days=800),
            }
        ],
        "organisation_membership": [
            {
                "id": 1,
                "organisation_id": 1,
                "person_id": COORDINATOR_PERSON,
                "role": "coordinator",
                "appointed_at": now - timedelta(days=800),
                "ended_at": None,
            }
        ],
        "curriculum": [],
        "curriculum_module": [],
        "lesson": [],
    }
    for c in range(1, CURRICULA + 1):
        rows["curriculum"].append(
            {
                "id": c,
                "organisation_id": 1,
                "title": f"在宅ライター養成講座 {c}",
                "description": "",
                "created_at": now - timedelta(days=800),
            }
        )
        for m in range(1, MODULES + 1):
            module_id = (c - 1) * MODULES + m
            rows["curriculum_module"].append(
                {
                    "id": module_id,
                    "curriculum_id": c,
                    "position": m,
                    "title": f"第{m}回",
                    "summary": "",
                    "practice_task": "",
                    "version": 1,
                    "retired_at": None,
                    "skills": json.dumps([names.SKILLS[m % len(names.SKILLS)]]),
                }
            )
            for lesson in range(1, LESSONS + 1):
                rows["lesson"].append(
                    {
                        "id": (module_id - 1) * LESSONS + lesson,
                        "module_id": module_id,
                        "position": lesson,
                        "title": f"レッスン{lesson}",
                        "body": "本文",
                    }
                )
    return rows


def cohort_rows(plans: list[CohortPlan], world) -> Iterator[dict]:
    for p in plans:
        yield {
            "id": p.id,
            "organisation_id": 1,
            "curriculum_id": p.curriculum_id,
            "name": f"第{p.id}期",
            "capacity": max(60, len(p.trainees)),
            "seats_taken": len(p.trainees),
            "enrol_opens_on": p.opens_on,
            "enrol_closes_on": p.opens_on + timedelta(days=14),
            "application_code": f"BENCH{p.id:08d}",
            "applications_open": False,
            "created_at": world.now - timedelta(days=800),
        }


def session_rows(plans: list[CohortPlan]) -> Iterator[dict]:
    for p in plans:
        for n in range(SESSIONS):
            yield {
                "id": (p.id - 1) * SESSIONS + n + 1,
                "cohort_id": p.id,
                "starts_at": p.first_session + timedelta(weeks=n),
                "duration_minutes": 90,
                "topic": f"第{n + 1}回",
                "place": "オンライン",
                "online_url": "",
            }


def _status(rng: random.Random, plan: CohortPlan, now: datetime) -> str:
    if plan.last_session + timedelta(days=14) > now:
        return "withdrawn" if rng.random() < 0.05 else "active"
    roll = rng.random()
    return "completed" if roll < 0.7 else "withdrawn" if roll < 0.85 else "active"


@dataclass
class Enrolled:
    id: int
    person_id: int
    plan: CohortPlan
    status: str
    completed_at: datetime | None


def enrolments(plans: list[CohortPlan], world) -> list[Enrolled]:
    rng = random.Random(5)
    result, enrolment_id = [], 0
    for p in plans:
        for person_id in p.trainees:
            enrolment_id += 1
            status = _status(rng, p, world.now)
            done = p.last_session + timedelta(days=7) if status == "completed" else None
            result.append(Enrolled(enrolment_id, person_id, p, status, done))
    return result


def enrolment_rows(enrolled: list[Enrolled]) -> Iterator[dict]:
    for e in enrolled:
        enrolled_at = datetime.combine(e.plan.opens_on, datetime.min.time(), names.JST)
        yield {
            "id": e.id,
            "cohort_id": e.plan.id,
            "person_id": e.person_id,
            "status": e.status,
            "via": "coordinator",
            "enrolled_at": enrolled_at,
            "enrolled_by_id": COORDINATOR_PERSON,
            "completed_at": e.completed_at,
            "withdrawn_at": e.plan.first_session + timedelta(weeks=3)
            if e.status == "withdrawn"
            else None,
            "certificate_code": f"BENCH{e.id:010d}" if e.status == "completed" else None,
        }


def attendance_rows(enrolled: list[Enrolled], world) -> Iterator[dict]:
    rng = random.Random(6)
    attendance_id = 0
    for e in enrolled:
        for n in range(SESSIONS):
            starts = e.plan.first_session + timedelta(weeks=n)
            if starts > world.now:
                break
            attendance_id += 1
            yield {
                "id": attendance_id,
                "session_id": (e.plan.id - 1) * SESSIONS + n + 1,
                "enrolment_id": e.id,
                "status": rng.choices(("present", "absent", "excused"), (85, 10, 5))[0],
                "recorded_by_id": COORDINATOR_PERSON,
                "recorded_at": starts + timedelta(hours=2),
            }


def completion_rows(enrolled: list[Enrolled], world) -> Iterator[dict]:
    rng = random.Random(7)
    completion_id = 0
    for e in enrolled:
        done = MODULES if e.status == "completed" else rng.randrange(MODULES)
        for m in range(1, done + 1):
            completion_id += 1
            at = min(world.now, e.plan.first_session + timedelta(weeks=m + 1))
            yield {
                "id": completion_id,
                "enrolment_id": e.id,
                "module_id": (e.plan.curriculum_id - 1) * MODULES + m,
                "module_version": 1,
                "module_title": f"第{m}回",
                "skills": json.dumps([names.SKILLS[m % len(names.SKILLS)]]),
                "how": "manual",
                "completed_at": at,
                "recorded_by_id": COORDINATOR_PERSON,
            }


# Each enrolment's attendance counts (Enrolment.sessions_present/recorded), from its marks.
COUNT_ATTENDANCE = """
UPDATE enrolment SET
  sessions_present = marks.present, sessions_recorded = marks.recorded
FROM (SELECT enrolment_id, count(*) FILTER (WHERE status = 'present') AS present,
             count(*) AS recorded
      FROM attendance GROUP BY enrolment_id) AS marks
WHERE marks.enrolment_id = enrolment.id
"""


def seed_training(writer, world) -> None:
    for table, rows in _org_rows(world).items():
        writer.write(table, rows, len(rows))
    plans = cohort_plans(world)
    enrolled = enrolments(plans, world)
    writer.write("cohort", cohort_rows(plans, world), len(plans))
    writer.write("cohort_session", session_rows(plans), len(plans) * SESSIONS)
    writer.write("enrolment", enrolment_rows(enrolled), len(enrolled))
    writer.write("attendance", attendance_rows(enrolled, world), len(enrolled) * SESSIONS)
    print("enrolment counts    : attendance counted in SQL, as record_attendance does")
    writer.sink.execute(COUNT_ATTENDANCE)
    writer.write("module_completion", completion_rows(enrolled, world), len(enrolled) * 4)
