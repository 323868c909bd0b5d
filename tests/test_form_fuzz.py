"""The form fuzz: every form every role is shown, sent back with a valid CSRF token and one field
at a time replaced by a hostile value (Hypothesis strategies: empty, huge, negative, not a number,
NaN, 1e309, Decimal traps, impossible and extreme dates and times, NUL bytes, markup, the longest
text the field allows). Never a 5xx; a refusal (4xx) changes no row.

Forms are found as a person finds them: each role (visitor, member, editor, director, trainee,
mentor, coordinator, operator) opens every page the app's routes name, with real ids, and the
pages and GET forms those lead to; the fuzz sends what each page's own <form>s hold, and every
POST route must have been reached. Each request runs in a savepoint rolled back after it, so
every one starts from the same data; after a refusal one statement compares every row of every
table with what was there before. The run prints how many requests it sent.
"""

from __future__ import annotations

import contextlib
import os
import re
import traceback
import zlib
from datetime import UTC, datetime, time

import pytest
from flask import url_for
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from teamhub.assignments import lifecycle
from teamhub.auth import tokens
from teamhub.auth.models import Person
from teamhub.clock import today_jst, utcnow
from teamhub.extensions import db
from teamhub.jobs import scam, splitting
from teamhub.payouts import periods
from teamhub.payouts import services as payout_services
from teamhub.teams import services as team_services
from teamhub.teams.models import Membership, Team
from tests import factories
from tests import training_factories as tf
from tests.conftest import login_as, rolled_back
from tests.form_fuzz import (
    MUTATIONS,
    Form,
    changed_tables,
    digest_query,
    longest,
    mutations_for,
    private_engine,
    read_page,
    snapshot,
)
from tests.routes import TeamIds, build, methods

pytestmark = pytest.mark.commits

# Pages a role opens at most (routes filled in, then the links they show).
MAX_PAGES_PER_ROLE = 120
# Examples per form (see _fuzz_form); TEAMHUB_FUZZ_EXAMPLES=20 for a deeper run.
EXAMPLES = int(os.environ.get("TEAMHUB_FUZZ_EXAMPLES", "2"))
# Not fuzzed: logging out ends the client's session, which the fuzz needs for the next request.
SKIPPED_ACTIONS = ("/logout", "/account/logout-everywhere")
# Routes that take a POST but that no page shows a form for.
NO_FORM = {"static"}
# Pages that are files, not pages with forms.
NOT_PAGES = (".csv", ".svg", "/file", "/static/", "/healthz")


@contextlib.contextmanager
def one_rolled_back_connection(app):
    """Every session of the app on one connection of a private engine, in one transaction
    rolled back at the end; yields the connection (savepoints work on SQLite too)."""
    engine = private_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        with rolled_back(app, engine) as connection:
            yield connection
    finally:
        engine.dispose()


def _everything(app) -> tuple[dict, list[str]]:
    """Every kind of record, the people of every role (by email, None for a visitor), and
    the URLs of the app's pages filled in with real ids."""
    with app.app_context():
        roles, ids = factories.team_with_everything()
        training = tf.training_with_everything()
        operator = factories.make_person(is_operator=True)
        team = db.session.get(Team, roles.team.id)
        token = _work_in_every_state(team, roles)
        member = db.session.get(Person, roles.member.id)
        tokens.create_token(member, "fuzz", "read", 30)  # so its revoke form shows
        db.session.commit()
        people = {
            "visitor": None,
            "member": roles.member.email,
            "editor": roles.editor.email,
            "director": roles.director.email,
            "trainee": training.trainee.email,
            "mentor": training.mentor.email,
            "coordinator": training.coordinator.email,
            "operator": operator.email,
        }
        return people, _route_urls(app, ids, training.ids, token)


def _work_in_every_state(team: Team, roles) -> str:
    """Beside the delivered work: a flagged job, a job waiting for escrow, an offer, accepted
    work with new terms, work in progress and an invitation (its token returned), so that
    every form shows somewhere."""
    director = db.session.get(Membership, roles.director_membership)
    member = db.session.get(Membership, roles.member_membership)
    flagged = factories.make_job(team, director.person, description="LINEで連絡ください")
    flagged.scam_reasons = scam.to_json(scam.scan(flagged.description))
    flagged.escrow_confirmed_at = utcnow()
    factories.make_job(team, director.person, title="エスクロー待ち")
    job = factories.make_job(team, director.person, source="direct", title="進行中の仕事")
    lines = [splitting.SplitLine(membership_id=member.id, units=2, due_at=job.due_at)] * 4
    _offered, *accepted, working = splitting.save_split(job, director, lines, 0, 0).created
    for assignment in (*accepted, working):
        lifecycle.accept(assignment, member)
    lifecycle.start(working, member)
    more = splitting.SplitLine(member.id, units=3, due_at=job.due_at, assignment_id=accepted[1].id)
    splitting.save_split(job, director, [more], 0, job.split_version)  # new terms to accept
    _ready_to_close(team, director.person, member)
    _invitation, token = team_services.invite(team, director.person)
    return token


def _ready_to_close(team: Team, director, member: Membership) -> None:
    """Approved work paid for in the last period that ended: the close can be previewed."""
    start, end = periods.previous_period(team.close_schedule, today_jst())
    job = factories.make_job(team, director, source="direct", title="締める仕事", unit_count=1)
    delivered = datetime.combine(start, time(12), tzinfo=UTC)
    factories.approved_assignment(job, member.id, delivered, units=1)
    payout_services.record_receipt(job, 120_000, end)


def _route_urls(app, ids: TeamIds, training_ids, token: str) -> list[str]:
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in methods(rule) or rule.endpoint in ("static", "admin.fee_schedule"):
            continue
        if "slug" in rule.arguments:
            args = ids.args_for(rule)
        elif "token" in rule.arguments:
            args = {"token": token}
        else:
            args = training_ids.args_for(rule)
        urls.append(build(app, rule, args))
    # Pages that show more forms when asked a question.
    with app.test_request_context():
        split = url_for("jobs.split_job", slug=ids.slug, job_id=ids.job_id)
    urls += [f"{split}?change=all&rows=2", f"{split}?suggest=1"]
    return sorted(set(urls))


def _client(app, email):
    if email is None:
        return app.test_client()
    return login_as(app, email)


def _walk(client, seeds: list[str]) -> list[Form]:
    """The POST forms of every page the client opens: the seeds, then the links they show."""
    queue, seen, forms = list(seeds), set(), []
    while queue and len(seen) < MAX_PAGES_PER_ROLE:
        url = queue.pop(0)
        shape = (url.split("?")[0], tuple(sorted(p.split("=")[0] for p in url.split("?")[1:])))
        if shape in seen or any(part in url for part in NOT_PAGES):
            continue
        seen.add(shape)
        response = client.get(url)
        if response.status_code >= 500:
            raise AssertionError(f"GET {url} → {response.status_code}")
        if response.mimetype != "text/html":
            continue
        found, links = read_page(url, response.get_data(as_text=True))
        forms += found
        queue += sorted(links - set(queue))
    return forms


def _cookies(client) -> dict:
    return {
        name: cookie.value
        for name in ("session", "remember_token")
        if (cookie := client.get_cookie(name)) is not None
    }


def _restore(client, cookies: dict) -> None:
    for name in ("session", "remember_token"):
        if name in cookies:
            client.set_cookie(name, cookies[name])
        else:
            client.delete_cookie(name)


class Fuzz:
    """Send mutated forms, each in a savepoint rolled back after it; collect what went wrong."""

    def __init__(self, connection):
        self.connection = connection
        self.digest = digest_query(connection.dialect)
        self.baseline = snapshot(connection)
        self.baseline_digest = connection.execute(self.digest).one()
        self.sent = 0
        self.refused = 0
        # Accepted requests whose writes the check saw: proof that it sees what the app writes.
        self.seen_writing = 0
        self.failures: list[str] = []

    def send(self, role: str, client, cookies: dict, form: Form, name: str, value: str, why: str):
        data = form.sent_with(name, value)
        savepoint = self.connection.begin_nested()
        try:
            _restore(client, cookies)
            status = self._post(client, form, data)
            self.sent += 1
            where = f"{role}: POST {form.action} {name}={value[:40]!r} ({why})"
            if status >= 500:
                self.failures.append(f"{where} → {status}")
            elif status >= 400 and self._changed():
                changed = changed_tables(self.baseline, snapshot(self.connection))
                self.failures.append(f"{where} → {status} but changed {changed}")
            elif status < 400:
                self.seen_writing += self._changed()
            self.refused += 400 <= status < 500
        finally:
            savepoint.rollback()

    def _changed(self) -> bool:
        return self.connection.execute(self.digest).one() != self.baseline_digest

    def _post(self, client, form: Form, data: list[tuple[str, str]]) -> int:
        try:
            if form.multipart:
                response = client.post(
                    form.action, data=MultiDict(data), content_type="multipart/form-data"
                )
            else:
                response = client.post(form.action, data=MultiDict(data))
        except Exception:
            self.failures.append(traceback.format_exc(limit=-3))
            return 599
        return response.status_code


def _strategies(form: Form) -> dict[str, dict[str, st.SearchStrategy[str]]]:
    """For each field fuzzed, the strategies of the hostile values worth sending into it."""
    fields = form.fuzzed_fields()
    plan = {
        name: {why: MUTATIONS[why] for why in mutations_for(kind)} for name, kind in fields.items()
    }
    for name, characters in form.longest.items():
        if name in plan:
            plan[name]["longest"] = longest(characters)
    return plan


def _fuzz_form(fuzz: Fuzz, role: str, client, cookies: dict, form: Form) -> None:
    """The first example (Hypothesis begins with the simplest) sends every kind of hostile
    value into every field, each the simplest of its kind; a further example mostly sends one
    kind and value drawn for each field. The draws are seeded by the form: the same each run."""
    plan = _strategies(form)

    @seed(zlib.crc32(re.sub(r"[\w-]{20,}|\d+", "N", repr(form.key)).encode()))  # not ids, tokens
    @settings(
        max_examples=EXAMPLES,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def each_field(data):
        every_kind = data.draw(st.integers(0, 9), label="every kind (0)") == 0
        for name, kinds in plan.items():
            chosen = sorted(kinds) if every_kind else [data.draw(st.sampled_from(sorted(kinds)))]
            for why in chosen:
                value = data.draw(kinds[why], label=f"{name} ({why})")
                fuzz.send(role, client, cookies, form, name, value, why)

    each_field()


def test_no_form_of_any_role_answers_5xx_or_changes_a_row_when_refused(app, capsys):
    with one_rolled_back_connection(app) as connection:
        people, urls = _everything(app)
        clients = {role: _client(app, email) for role, email in people.items()}
        app.config["WTF_CSRF_ENABLED"] = True
        forms: dict[tuple, tuple[str, Form]] = {}
        for role, client in clients.items():
            for form in _walk(client, urls):
                if not form.action.startswith(SKIPPED_ACTIONS):
                    forms.setdefault(form.key, (role, form))
        cookies = {role: _cookies(client) for role, client in clients.items()}
        fuzz = Fuzz(connection)
        for role, form in forms.values():
            _fuzz_form(fuzz, role, clients[role], cookies[role], form)
    with capsys.disabled():
        if os.environ.get("TEAMHUB_FUZZ_LIST"):
            for role, form in forms.values():
                print(role, form.action, sorted(form.fuzzed_fields()))
        print(
            f"\nform fuzz: {len(forms)} forms, {fuzz.sent} requests, {fuzz.refused} refused, "
            f"{len(fuzz.failures)} failures"
        )
    assert not fuzz.failures, "\n".join(fuzz.failures[:60])
    unreached = _post_endpoints(app) - _endpoints(app, forms.values()) - NO_FORM
    assert not unreached, f"no page showed a form for {sorted(unreached)}"
    assert fuzz.seen_writing > 0


def _post_endpoints(app) -> set[str]:
    """Every route a form posts to; the JSON API's (no forms: Schemathesis fuzzes it) aside."""
    return {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "POST" in methods(rule) and not rule.endpoint.startswith("api.")
    }


def _endpoints(app, fuzzed) -> set[str]:
    """The routes the fuzzed forms were sent to (and the skipped ones, which pages do show)."""
    adapter = app.url_map.bind("localhost")
    actions = [form.action for _role, form in fuzzed] + list(SKIPPED_ACTIONS)
    return {adapter.match(action.split("?")[0], method="POST")[0] for action in actions}
