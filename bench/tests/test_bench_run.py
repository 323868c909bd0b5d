"""``make bench`` keeps working as the app changes: its seed and its in-process measures.

``make bench`` seeds 1,000,000 assignments on PostgreSQL and is not part of the suite, so the
smallest scale is seeded here (schema by migration, rows, closes posted through
``payouts.services.settle``) and the in-process half of the run goes over it: every visited page
answers 200 within the query budget, the reports and the close are timed, the reference renders
its rows, and the results file is written. Only the load phase (gunicorn and wrk) and the query
plans (PostgreSQL's EXPLAIN) are left to ``make bench`` itself.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from bench import report, timings
from bench.pages import pick_pages, reference_paths
from bench.run import Database, instance_folder, measure_in_process
from bench.scale import SMALL
from bench.seed import EMAIL, TeamPlan, seed, seeded_key


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Database:
    url = f"sqlite:///{tmp_path_factory.mktemp('bench') / 'small.sqlite'}"
    return Database("SQLite", url, SMALL, seed(url, SMALL))


def test_the_small_scale_seeds_and_its_closes_balance(small):
    assert seeded_key(small.url) == small.key
    engine = sa.create_engine(small.url)
    with engine.connect() as connection:
        count = {
            table: connection.scalar(sa.text(f"SELECT count(*) FROM {table}"))
            for table in ("person", "team", "assignment", "cohort", "enrolment", "ledger_entry")
        }
        unbalanced = connection.execute(
            sa.text(
                "SELECT close_id FROM ledger_entry GROUP BY close_id HAVING sum(amount_yen) != 0"
            )
        ).all()
        members_paid = connection.scalar(
            sa.text("SELECT count(*) FROM ledger_entry WHERE account = 'member' AND amount_yen < 0")
        )
        # Each enrolment's attendance counts are its marks, as record_attendance keeps them.
        miscounted = connection.scalar(
            sa.text(
                "SELECT count(*) FROM enrolment WHERE sessions_recorded != (SELECT count(*)"
                " FROM attendance WHERE enrolment_id = enrolment.id) OR sessions_present !="
                " (SELECT count(*) FROM attendance WHERE enrolment_id = enrolment.id"
                " AND status = 'present')"
            )
        )
        marked = connection.scalar(sa.text("SELECT sum(sessions_recorded) FROM enrolment"))
        # Each person's unread count is their notifications not read, as the services keep it.
        unread_miscounted = connection.scalar(
            sa.text(
                "SELECT count(*) FROM person WHERE unread_notifications != (SELECT count(*)"
                " FROM notification WHERE person_id = person.id AND read_at IS NULL)"
            )
        )
    engine.dispose()
    assert miscounted == 0 and marked > 0 and unread_miscounted == 0
    assert count["person"] == SMALL.people
    assert count["team"] == SMALL.teams
    assert count["assignment"] == SMALL.assignments
    assert count["cohort"] == SMALL.cohorts
    assert count["enrolment"] == SMALL.trainees
    assert count["ledger_entry"] > 0 and members_paid > 0
    assert unbalanced == []
    seed(small.url, SMALL)
    assert seeded_key(small.url) == small.key  # reused (same seeding time), not seeded again


def test_the_in_process_measures_run_over_the_seed_and_write_a_report(small):
    instance = instance_folder()
    pages = pick_pages(small.url, with_earnings=True)
    queries, page_times = measure_in_process([small], instance, with_earnings=True)
    timed = timings.measure(small.url, instance, with_earnings=True)

    counted = queries[SMALL.name]
    assert set(counted) == {p.name for p in pages} == set(page_times[SMALL.name])
    assert all(p.visits for p in pages)
    assert all(1 <= max(q.counts) <= 10 for q in counted.values())
    assert [t.name for t in timed] == ["org_outcomes", "close", "month_close"]
    assert all(t.ms > 0 for t in timed)

    text = report.render(
        machine={key: "-" for key in ("date", "cpu", "cores", "memory", "os", "python",
                                      "postgresql", "sqlite", "steal")},
        dbs=[small], pages=pages, queries=queries, page_times=page_times,
        plans={p.name: [] for p in pages},
        timed=timed, loads={}, seconds=1,
    )  # fmt: skip
    assert "## SQL queries per page" in text and "A member's earnings" in text
    assert "org_outcomes" in report.summary(queries, timed, {})


# One assignment of every state and pay basis on the regular teams, with its member's and its
# team director's e-mail, its team's slug and job.
_EVERY_KIND = """
    SELECT a.id, a.state, a.pay_basis, t.slug, a.job_id, m.person_id, d.person_id
    FROM assignment a JOIN team t ON t.id = a.team_id
    JOIN membership m ON m.id = a.membership_id
    JOIN membership d ON d.team_id = t.id AND d.role = 'director'
    WHERE a.id IN (SELECT min(id) FROM assignment WHERE team_id > 1 GROUP BY state, pay_basis)
"""


def test_every_kind_of_seeded_page_opens_for_its_member_and_director(small):
    """The seed's terms notices are the app's own (``terms.build_terms``): each kind of
    assignment page opens for its member and its director, with its notice, and so do the
    job board and the team's public page."""
    from bench.inprocess import logged_in_client, make_app

    engine = sa.create_engine(small.url)
    with engine.connect() as connection:
        kinds = connection.execute(sa.text(_EVERY_KIND)).all()
    engine.dispose()
    assert {state for _id, state, *_rest in kinds} == {
        "offered", "accepted", "declined", "in_progress", "submitted", "changes_requested",
        "approved", "cancelled", "reassigned",
    }  # fmt: skip
    assert {basis for _id, _state, basis, *_rest in kinds} == {"units", "fixed"}
    app = make_app(small.url, instance_folder())
    clients = {}
    for assignment_id, state, _basis, slug, job_id, member, director in kinds:
        for person in (member, director):
            email = EMAIL.format(id=person)
            client = clients.get(email) or clients.setdefault(email, logged_in_client(app, email))
            answer = client.get(f"/teams/{slug}/assignments/{assignment_id}")
            html = answer.get_data(as_text=True)
            assert answer.status_code == 200, (state, html[:300])
            assert 'id="terms-v1"' in html and "振込手数料" in html
        board = clients[EMAIL.format(id=director)].get(f"/teams/{slug}/jobs/{job_id}")
        assert board.status_code == 200
        assert app.test_client().get(f"/t/{slug}").status_code == 200


def test_the_reference_renders_fifty_joined_rows(small, monkeypatch):
    from bench.reference_app import create_app

    monkeypatch.setenv("TEAMHUB_DATABASE_URL", small.url)
    client = create_app().test_client()
    answer = client.get(reference_paths(small.url)[0])
    assert answer.status_code == 200
    assert answer.get_data(as_text=True).count("<tr>") == 1 + 50  # the header and 50 rows


@pytest.mark.parametrize("day", [1, 3, 15, 28])
def test_the_timed_close_gathers_the_whole_big_month_whatever_day_the_seed_runs(day):
    """Every approved assignment of the big team's month is in a job paid by the month's end,
    so the close times as many as the scale says (a seed on the 3rd once gave it 43%)."""
    from datetime import UTC, datetime

    from bench import work_seed
    from bench.scale import NATIONAL
    from bench.seed import World, close_month

    now = datetime(2026, 12, day, 15, tzinfo=UTC)  # 00:00 JST the next day: early or late
    world = World(NATIONAL, now)
    world.teams = [TeamPlan(1, 1, 1, member_ids=list(range(1, 501)))]
    month_end = close_month(now)[1]
    closed = 0
    for plan in work_seed._big_plans(world):
        rows = work_seed.job_assignments(plan, now)
        received = work_seed.receipt(plan, rows, now)
        assert received is not None and received[1] <= month_end
        closed += sum(row["state"] == "approved" for row in rows)
    assert closed == NATIONAL.big_team_assignments == 100_000
