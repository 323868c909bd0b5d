"""The header's unread count is kept on the person by the services that add notifications and
mark them read; whatever happens, it is the number of the person's notifications not read."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from teamhub.auth.models import Person
from teamhub.clock import utcnow
from teamhub.extensions import db
from teamhub.notifications import services
from teamhub.notifications.models import Notification
from tests.conftest import login_as
from tests.factories import make_person
from tests.notification_helpers import work_in_progress

PARAMS = {"job": "記事", "comment": ""}
PEOPLE = 3

# One step: notify one person, notify several at once, read one notification, read all.
steps = st.one_of(
    st.tuples(st.just("notify"), st.integers(0, PEOPLE - 1), st.integers(0, 5)),
    st.tuples(st.just("notify_each"), st.sets(st.integers(0, PEOPLE - 1)), st.integers(0, 5)),
    st.tuples(st.just("read"), st.integers(0, PEOPLE - 1), st.integers(0, 10)),
    st.tuples(st.just("read_all"), st.integers(0, PEOPLE - 1), st.just(0)),
)


def _counted(person_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(Notification.id)).where(
            Notification.person_id == person_id, Notification.read_at.is_(None)
        )
    )


def _kept(person_id: int) -> int:
    return db.session.scalar(sa.select(Person.unread_notifications).where(Person.id == person_id))


def _apply(step, people: list[Person]) -> None:
    action, who, n = step
    if action == "notify":  # the same key twice is one notification
        services.notify(people[who].id, "approved", f"event:{n}", PARAMS)
    elif action == "notify_each":
        notices = [(people[i].id, PARAMS, "") for i in sorted(who)]
        services.notify_each(notices, "approved", f"event:{n}")
    elif action == "read":  # a notification read twice is read once
        ids = db.session.scalars(
            sa.select(Notification.id)
            .where(Notification.person_id == people[who].id)
            .order_by(Notification.id)
        ).all()
        if ids:
            services.mark_read(people[who], ids[n % len(ids)])
    else:
        services.mark_all_read(people[who])


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(steps, max_size=12))
def test_the_kept_count_is_always_the_number_of_notifications_not_read(ctx, history):
    savepoint = db.session.begin_nested()
    people = [make_person() for _ in range(PEOPLE)]
    for step in history:
        _apply(step, people)
        for person in people:
            assert person.unread_notifications == _kept(person.id) == _counted(person.id)
    savepoint.rollback()


def test_recounting_sets_counts_written_outside_the_services(ctx):
    """The demo's history and a benchmark's seed write notifications in bulk, then recount."""
    person = make_person()
    db.session.execute(
        sa.insert(Notification),
        [
            {"person_id": person.id, "kind": "approved", "key": f"bulk:{n}", "params": PARAMS}
            for n in range(4)
        ],
    )
    assert _kept(person.id) == 0
    services.recount_unread()
    assert _kept(person.id) == 4 == db.session.get(Person, person.id).unread_notifications


def test_the_header_shows_the_count_without_a_query_of_its_own(app):
    """The count comes with the signed-in person: the page runs no count of notifications."""
    with app.app_context():
        work = work_in_progress(utcnow() + timedelta(days=10), state="offered")
        services.notify(work.roles.member.id, "approved", "event:99", PARAMS)
        db.session.commit()
    client = login_as(app, work.roles.member.email)
    statements = []
    with app.app_context():
        engine = db.engine

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        page = client.get("/").get_data(as_text=True)
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    assert 'class="badge warn unread-count"' in page and ">2</span>" in page
    assert not [s for s in statements if "FROM notification" in s and "count(" in s.lower()]
