"""The pages the benchmark drives, and the realistic people who open them.

Each page is opened by several people of the regular teams (the big close team is left out:
no real member has 200 assignments a month), chosen from the seeded database itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from bench.seed import EMAIL
from bench.training_seed import COORDINATOR_PERSON, ORG_SLUG

PEOPLE_PER_PAGE = 8


@dataclass(frozen=True)
class Visit:
    email: str
    path: str


@dataclass(frozen=True)
class Page:
    name: str
    title: str
    visits: list[Visit]


def _engine(url: str) -> sa.Engine:
    return sa.create_engine(url)


def _regular_teams(connection, limit: int) -> list[tuple[int, str]]:
    return connection.execute(
        sa.text("SELECT id, slug FROM team WHERE id > 1 ORDER BY id LIMIT :n"), {"n": limit}
    ).all()


def _member_of(connection, team_id: int) -> int:
    """A plain member with a typical number of assignments (the median of the team)."""
    rows = connection.execute(
        sa.text(
            "SELECT m.person_id, count(a.id) AS n FROM membership m "
            "JOIN assignment a ON a.membership_id = m.id "
            "WHERE m.team_id = :t AND m.role = 'member' GROUP BY m.person_id ORDER BY n, m.person_id"
        ),
        {"t": team_id},
    ).all()
    return rows[len(rows) // 2][0]


def _forty_unit_job(connection, team_id: int) -> tuple[int, int]:
    """The director and the team's most recent 40-unit job split between 8 members."""
    now = datetime.now(UTC)
    row = connection.execute(
        sa.text(
            "SELECT j.id, j.created_by_id FROM job j WHERE j.team_id = :t AND j.unit_count = 40 "
            "AND j.due_at <= :soon AND (SELECT count(*) FROM assignment a WHERE a.job_id = j.id) "
            "= 8 ORDER BY j.due_at DESC LIMIT 1"
        ),
        {"t": team_id, "soon": now + timedelta(days=30)},
    ).first()
    return row[0], row[1]


def _graduated_cohorts(connection, limit: int) -> list[int]:
    rows = connection.execute(
        sa.text(
            "SELECT cohort_id FROM enrolment WHERE status = 'completed' GROUP BY cohort_id "
            "ORDER BY cohort_id"
        )
    ).all()
    ids = [r[0] for r in rows]
    step = max(1, len(ids) // limit)
    return ids[::step][:limit]


def pick_pages(url: str, with_earnings: bool) -> list[Page]:
    engine = _engine(url)
    with engine.connect() as connection:
        teams = _regular_teams(connection, PEOPLE_PER_PAGE)
        members = [(slug, _member_of(connection, tid)) for tid, slug in teams]
        jobs = [(slug, *_forty_unit_job(connection, tid)) for tid, slug in teams]
        cohorts = _graduated_cohorts(connection, PEOPLE_PER_PAGE)
    engine.dispose()
    email = EMAIL.format
    coordinator = email(id=COORDINATOR_PERSON)
    pages = [
        Page("my_assignments", "A member's “my assignments”",
             [Visit(email(id=p), f"/teams/{slug}/my-assignments") for slug, p in members]),
        Page("job_board", "A director's job board (40-unit job)",
             [Visit(email(id=d), f"/teams/{slug}/jobs/{j}") for slug, j, d in jobs]),
        Page("split", "The split page (40-unit job)",
             [Visit(email(id=d), f"/teams/{slug}/jobs/{j}/split") for slug, j, d in jobs]),
    ]  # fmt: skip
    if with_earnings:
        pages.append(
            Page("earnings", "A member's earnings",
                 [Visit(email(id=p), f"/teams/{slug}/earnings") for slug, p in members])
        )  # fmt: skip
    pages.append(
        Page("cohort_outcomes", "A cohort outcome report (50 trainees)",
             [Visit(coordinator, f"/orgs/{ORG_SLUG}/cohorts/{c}/outcomes") for c in cohorts])
    )  # fmt: skip
    return pages


def reference_paths(url: str) -> list[str]:
    engine = _engine(url)
    with engine.connect() as connection:
        teams = _regular_teams(connection, PEOPLE_PER_PAGE)
    engine.dispose()
    return [f"/teams/{tid}/rows" for tid, _slug in teams]
