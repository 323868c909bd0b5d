"""Seed a benchmark database at a given scale, in bulk, through the production schema.

The schema comes from ``flask db upgrade`` (the Alembic migrations), so the indexes are the ones
production has. Rows go in with PostgreSQL COPY (psycopg 3) or batched inserts on SQLite. A
``bench_seed`` row records what was seeded; a database already at the right scale is reused.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import random
import subprocess
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from bench import names, training_seed
from bench.scale import Scale
from bench.sink import open_sink, sqlite_path

BENCH_PASSWORD = "bench-pass-2026"  # noqa: S105 - the seeded people's shared test password
EMAIL = "p{id}@bench.example"
YEARS_DAYS = 730


def metadata() -> sa.MetaData:
    """The application's tables, as its models declare them."""
    import teamhub.assignments.models
    import teamhub.auth.models
    import teamhub.jobs.models
    import teamhub.skills
    import teamhub.teams.models
    import teamhub.training.models
    from teamhub.extensions import db

    with contextlib.suppress(ImportError):  # modules that landed after the benchmark
        import teamhub.notifications.models
        import teamhub.payouts.models  # noqa: F401
    return db.metadata


# Schema and marker ---------------------------------------------------------------------------


def upgrade_schema(url: str) -> None:
    """Create the schema exactly as production does: ``flask db upgrade``."""
    env = {**os.environ, "TEAMHUB_DATABASE_URL": url}
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "teamhub", "db", "upgrade"],
        check=True,
        env=env,
        capture_output=True,
    )


def schema_head() -> str:
    """Every migration revision, so a database built before any new one is seeded again."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    import teamhub

    config = Config()
    config.set_main_option("script_location", os.path.join(teamhub.__path__[0], "migrations"))
    scripts = ScriptDirectory.from_config(config)
    return ",".join(sorted(r.revision for r in scripts.walk_revisions()))


def wipe(url: str) -> None:
    if url.startswith("postgresql"):
        sink = open_sink(url)
        sink.execute("DROP SCHEMA public CASCADE")
        sink.execute("CREATE SCHEMA public")
        sink.commit()
        sink.close()
    else:
        for suffix in ("", "-wal", "-shm"):
            path = sqlite_path(url)
            path = path.with_name(path.name + suffix)
            if path.exists():
                path.unlink()


def seeded_key(url: str) -> dict | None:
    """What the database says was seeded into it, if the seed is complete and still there."""
    if url.startswith("sqlite") and not sqlite_path(url).exists():
        return None
    sink = open_sink(url)
    try:
        value = sink.scalar("SELECT value FROM bench_seed WHERE key = 'scale'")
        key = json.loads(value) if value else None
        if key and sink.scalar("SELECT count(*) FROM assignment") != key["assignments"]:
            return None  # emptied since (a test suite shares the database)
        return key
    except Exception:
        return None
    finally:
        sink.close()


def _write_marker(sink, key: dict) -> None:
    sink.execute("CREATE TABLE IF NOT EXISTS bench_seed (key VARCHAR(40) PRIMARY KEY, value TEXT)")
    sink.execute("DELETE FROM bench_seed")
    placeholder = "%s" if sink.dialect == "postgresql" else "?"
    sink.execute(
        f"INSERT INTO bench_seed (key, value) VALUES ('scale', {placeholder})", (json.dumps(key),)
    )


# Writing rows --------------------------------------------------------------------------------


def _default(column: sa.Column, now: datetime):
    if isinstance(column.type, sa.JSON):
        return "[]"
    default = column.default
    if default is None:
        return None
    if default.is_scalar:
        return default.arg
    if column.name.endswith("_at"):
        return now
    return None


class Writer:
    """Write dict rows into a table, filling unnamed columns with the model's defaults."""

    def __init__(self, sink, now: datetime):
        self.sink, self.now, self.meta = sink, now, metadata()
        self.counts: dict[str, int] = {}

    def write(self, table_name: str, rows: Iterable[dict], total: int | None = None) -> None:
        table = self.meta.tables[table_name]
        columns = [c.name for c in table.columns]
        defaults = {c.name: _default(c, self.now) for c in table.columns}
        counter = [0]

        def tuples() -> Iterator[tuple]:
            for row in rows:
                counter[0] += 1
                yield tuple(row[c] if c in row else defaults[c] for c in columns)

        self.sink.copy(table_name, columns, tuples(), total)
        self.counts[table_name] = self.counts.get(table_name, 0) + counter[0]


# The world -----------------------------------------------------------------------------------


@dataclass
class TeamPlan:
    id: int
    director_person: int
    director_membership: int
    member_ids: list[int] = field(default_factory=list)  # memberships that take work
    person_of: dict[int, int] = field(default_factory=dict)  # membership → person


@dataclass
class World:
    scale: Scale
    now: datetime
    teams: list[TeamPlan] = field(default_factory=list)
    jobs: int = 0
    assignment_id: int = 0
    payer_types: dict[int, str] = field(default_factory=dict)
    receipts: dict = field(default_factory=dict)  # job id → (received yen, received on) or None
    job_plans: list = field(default_factory=list)
    person_names: dict[int, str] = field(default_factory=dict)  # person id → display name
    team_names: dict[int, str] = field(default_factory=dict)

    @property
    def big_team(self) -> TeamPlan:
        return self.teams[0]


def close_month(now: datetime) -> tuple[date, date]:
    """The last complete calendar month in Japan: the month the timed close gathers."""
    first_this = now.astimezone(names.JST).date().replace(day=1)
    last_prev = first_this - timedelta(days=1)
    return last_prev.replace(day=1), last_prev


def people_rows(world: World) -> Iterator[dict]:
    password_hash = generate_password_hash(BENCH_PASSWORD, method="scrypt")
    rng = random.Random(1)
    for pid in range(1, world.scale.people + 1):
        world.person_names[pid] = names.person_name(rng)
        yield {
            "id": pid,
            "email": EMAIL.format(id=pid),
            "display_name": world.person_names[pid],
            "password_hash": password_hash,
            "locale": "ja",
            "is_operator": False,
            "created_at": world.now - timedelta(days=YEARS_DAYS + 30),
            "unread_notifications": UNREAD_PER_PERSON,
        }


def _blocks(world: World) -> list[range]:
    """People per team: the big team first, then equal blocks for the regular teams."""
    s = world.scale
    big = range(1, s.big_team_people + 1)
    rest = s.people - s.big_team_people
    per, extra = divmod(rest, s.teams - 1)
    blocks, start = [big], s.big_team_people + 1
    for index in range(s.teams - 1):
        size = per + (1 if index < extra else 0)
        blocks.append(range(start, start + size))
        start += size
    return blocks


def team_rows(world: World) -> Iterator[dict]:
    rng = random.Random(2)
    for team_id in range(1, world.scale.teams + 1):
        prefecture, municipality = rng.choice(names.REGIONS)
        payer_type = rng.choice(("individual", "individual_employer", "corporation"))
        world.payer_types[team_id] = payer_type
        world.team_names[team_id] = f"{municipality}{rng.choice(names.TEAM_WORDS)}{team_id}"
        yield {
            "id": team_id,
            "name": world.team_names[team_id],
            "slug": f"t{team_id:05d}",
            "prefecture": prefecture,
            "municipality": municipality,
            "payer_type": payer_type,
            "fee_rate_bp": 1000,
            "invoice_number": None,
            "description": "",
            "created_at": world.now - timedelta(days=YEARS_DAYS + 30),
        }


def membership_rows(world: World) -> Iterator[dict]:
    rng = random.Random(3)
    membership_id = 0
    for team_id, block in enumerate(_blocks(world), start=1):
        plan = None
        for position, person_id in enumerate(block):
            membership_id += 1
            role = "director" if position == 0 else "editor" if position == 1 else "member"
            if plan is None:
                plan = TeamPlan(team_id, person_id, membership_id)
                world.teams.append(plan)
            if role != "director":
                plan.member_ids.append(membership_id)
            plan.person_of[membership_id] = person_id
            yield {
                "id": membership_id,
                "team_id": team_id,
                "person_id": person_id,
                "role": role,
                "joined_at": world.now - timedelta(days=YEARS_DAYS + 20),
                "removed_at": None,
                "weekly_units": rng.choice((None, 10, 20, 30, 40)),
                "weekly_hours": rng.choice((None, 10, 20)),
                "availability_note": "",
                "public_handle": f"writer{person_id}",
                "show_on_profile": rng.random() < 0.3,
            }


def absence_rows(world: World) -> Iterator[dict]:
    """One member in eight is away for a few days: some now, some next week, some last month
    (the split page counts the days within a job's window)."""
    rng = random.Random(5)
    today = world.now.astimezone(names.JST).date()
    absence_id = 0
    for plan in world.teams:
        for membership_id in plan.member_ids:
            if rng.random() >= 0.125:
                continue
            absence_id += 1
            starts_on = today + timedelta(days=rng.randint(-30, 10))
            yield {
                "id": absence_id,
                "membership_id": membership_id,
                "starts_on": starts_on,
                "ends_on": starts_on + timedelta(days=rng.randint(0, 6)),
                "note": "子どもの通院",
            }


def login_session_rows(world: World) -> Iterator[dict]:
    """Two past sign-ins per person, ended: the table the login cookie is checked against."""
    for person_id in range(1, world.scale.people + 1):
        for n in (1, 2):
            session_id = (person_id - 1) * 2 + n
            started = world.now - timedelta(days=30 * n)
            yield {
                "id": session_id,
                "person_id": person_id,
                "token_hash": hashlib.sha256(f"bench-{session_id}".encode()).hexdigest(),
                "created_at": started,
                "ended_at": started + timedelta(hours=3),
                "user_agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X)",
            }


NOTIFICATIONS_PER_PERSON = 10
UNREAD_PER_PERSON = 2  # the header shows them: each person's ``unread_notifications``


def notification_rows(world: World) -> Iterator[dict]:
    """An inbox per person: ten deadline reminders, the last two unread (the header shows it)."""
    for person_id in range(1, world.scale.people + 1):
        for n in range(NOTIFICATIONS_PER_PERSON):
            at = world.now - timedelta(days=3 * (NOTIFICATIONS_PER_PERSON - n))
            yield {
                "id": (person_id - 1) * NOTIFICATIONS_PER_PERSON + n + 1,
                "person_id": person_id,
                "team_id": None,
                "kind": "due_soon",
                "key": f"due_soon:bench:{n}",
                "params": json.dumps({"job": "観光ガイドの記事 40本", "due_at": at.isoformat()}),
                "link": "",
                "created_at": at,
                "read_at": (
                    at + timedelta(hours=5)
                    if n < NOTIFICATIONS_PER_PERSON - UNREAD_PER_PERSON
                    else None
                ),
            }


def skill_rows(world: World) -> Iterator[dict]:
    rng = random.Random(4)
    skill_id = 0
    for person_id in range(1, world.scale.people + 1):
        for skill in rng.sample(names.SKILLS, rng.choice((1, 2))):
            skill_id += 1
            yield {
                "id": skill_id,
                "person_id": person_id,
                "skill": skill,
                "source": "declared",
                "granted_at": world.now - timedelta(days=400),
            }


def seed(url: str, scale: Scale, force: bool = False) -> dict:
    """Seed ``url`` at ``scale`` unless it already holds exactly that; return the seed's key."""
    key = scale.key(schema_head())
    found = seeded_key(url) or {}
    if not force and {k: v for k, v in found.items() if k != "seeded_at"} == key:
        print(f"{scale.name}: reusing the seeded database ({scale.assignments:,} assignments)")
        return key
    print(f"{scale.name}: seeding {scale.assignments:,} assignments into {_safe(url)}")
    wipe(url)
    upgrade_schema(url)
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    key["seeded_at"] = now.isoformat()
    sink = open_sink(url)
    try:
        _seed_rows(sink, scale, now)
        _write_marker(sink, key)
        sink.commit()
        sink.analyze()
    finally:
        sink.close()
    return key


def _seed_rows(sink, scale: Scale, now: datetime) -> None:
    from bench import payout_seed, work_seed

    world = World(scale, now)
    writer = Writer(sink, now)
    writer.write("person", people_rows(world), scale.people)
    writer.write("team", team_rows(world), scale.teams)
    writer.write("membership", membership_rows(world), scale.people)
    writer.write("absence", absence_rows(world), scale.people // 8)
    writer.write("person_skill", skill_rows(world), int(scale.people * 1.5))
    writer.write("login_session", login_session_rows(world), scale.people * 2)
    if "notification" in writer.meta.tables:
        total = scale.people * NOTIFICATIONS_PER_PERSON
        writer.write("notification", notification_rows(world), total)
    work_seed.seed_work(writer, world)
    payout_seed.seed_payouts(writer, world)
    training_seed.seed_training(writer, world)
    sink.reset_sequences(writer.counts)


def _safe(url: str) -> str:
    return url.split("@")[-1] if "@" in url else url
