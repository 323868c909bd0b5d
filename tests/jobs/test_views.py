"""Jobs and assignments through the browser's eyes (test client): forms, pages, files, queries."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from teamhub.assignments.models import Assignment
from teamhub.clock import JST, utcnow
from teamhub.extensions import db
from teamhub.jobs.models import Job
from teamhub.teams.models import Membership
from tests import factories
from tests.conftest import login_as


def job_form(**overrides) -> dict:
    due = (utcnow() + timedelta(days=14)).astimezone(JST)
    form = {
        "title": "観光記事 40本",
        "client_name": "しまツアー",
        "source": "crowdworks",
        "format": "project",
        "category": "writing",
        "description": "奄美の観光記事",
        "contract_yen": "１２０,０００",
        "tax_shown_separately": "y",
        "unit_name": "記事（3,000字）",
        "unit_count": "40",
        "due_date": due.date().isoformat(),
        "due_time": "18:00",
        "required_skills": ["web-writing"],
    }
    form.update(overrides)
    return form


@pytest.fixture
def crew(app):
    """A team with a director, an editor and five writers who can each take 10 units a week."""
    with app.app_context():
        roles = factories.team_with_roles()
        team = db.session.get(factories.Team, roles.team.id)
        writers = [factories.give_capacity(factories.add_member(team)) for _ in range(5)]
        db.session.commit()
        return roles, [(w.id, w.person.email) for w in writers]


def test_director_records_a_job_and_sees_its_board(app, crew):
    roles, _writers = crew
    director = login_as(app, roles.director.email)
    response = director.post(f"/teams/{roles.team.slug}/jobs/new", data=job_form())
    assert response.status_code == 302
    with app.app_context():
        job = db.session.scalar(sa.select(Job))
        assert (job.contract_yen, job.tax_yen, job.unit_count) == (120_000, 12_000, 40)
        assert job.due_at.astimezone(JST).strftime("%H:%M") == "18:00"
        assert job.required_skills == ["web-writing"]
    board = director.get(response.location).get_data(as_text=True)
    assert "¥132,000" in board and 'id="approved-units"' in board


def test_bad_job_forms_are_refused_beside_the_field(app, crew):
    roles, _ = crew
    director = login_as(app, roles.director.email)
    for bad in (
        {"contract_yen": "十二万"},
        {"unit_count": "0"},
        {"due_date": "2026-02-30"},
        {"source": "mercari"},
    ):
        response = director.post(f"/teams/{roles.team.slug}/jobs/new", data=job_form(**bad))
        assert response.status_code == 422, bad
        assert 'class="error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Job.id))) == 0


def test_scam_flag_is_shown_and_blocks_the_split_until_acknowledged(app, crew):
    roles, _ = crew
    director = login_as(app, roles.director.email)
    director.post(
        f"/teams/{roles.team.slug}/jobs/new",
        data=job_form(description="詳細はLINEで。ID教えてください"),
    )
    with app.app_context():
        job_id = db.session.scalar(sa.select(Job.id))
    board = director.get(f"/teams/{roles.team.slug}/jobs/{job_id}").get_data(as_text=True)
    assert 'id="scam-guard"' in board and "LINEで" in board
    refused = director.post(f"/teams/{roles.team.slug}/jobs/{job_id}/split", data={"version": "0"})
    assert refused.status_code == 409
    director.post(f"/teams/{roles.team.slug}/jobs/{job_id}/acknowledge")
    assert (
        director.post(
            f"/teams/{roles.team.slug}/jobs/{job_id}/split", data={"version": "0"}
        ).status_code
        == 302
    )


def new_job(app, roles) -> int:
    """A 40-unit job of the crew's team, committed; its id."""
    with app.app_context():
        job = factories.make_job(db.session.get(factories.Team, roles.team.id))
        db.session.commit()
        return job.id


def split_form(rows: list[dict], version: int = 0, kept: int = 0) -> dict:
    data = {"version": str(version), "kept_units": str(kept)}
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"rows-{index}-{key}"] = str(value)
    return data


def test_suggest_fills_the_split_and_saving_sends_offers(app, crew):
    roles, writers = crew
    job_id = new_job(app, roles)
    director = login_as(app, roles.director.email)
    page = director.get(f"/teams/{roles.team.slug}/jobs/{job_id}/split?suggest=1").get_data(
        as_text=True
    )
    suggested = re.findall(r'name="rows-\d+-units" type="number" value="(\d+)"', page)
    assert sorted(suggested, reverse=True)[:5] == ["8"] * 5 and suggested.count("8") == 5
    assert "分担案を作れません" not in page
    rows = [{"membership_id": mid, "units": 8, "pay_basis": "units"} for mid, _ in writers]
    assert (
        director.post(
            f"/teams/{roles.team.slug}/jobs/{job_id}/split", data=split_form(rows)
        ).status_code
        == 302
    )
    writer = login_as(app, writers[0][1])
    mine = writer.get(f"/teams/{roles.team.slug}/my-assignments").get_data(as_text=True)
    assert "観光記事 40本" in mine and "返答してください" in mine
    assert "記事（3,000字） × 8" in mine  # the unit's name, then how many
    # The list is kept (Flask-Caching) under a key of what it shows: once the offer is
    # accepted, the next visit shows it accepted.
    [offer] = re.findall(r'id="my-(\d+)"', mine)
    assert writer.post(f"/teams/{roles.team.slug}/assignments/{offer}/accept").status_code == 302
    mine = writer.get(f"/teams/{roles.team.slug}/my-assignments").get_data(as_text=True)
    assert "返答してください" not in mine and "引き受け済み" in mine


def test_a_suggestion_that_gives_no_one_anything_says_why(app, crew):
    roles, _writers = crew
    with app.app_context():
        team = db.session.get(factories.Team, roles.team.id)
        all_kept = factories.make_job(team, kept_units=40)
        nobody_skilled = factories.make_job(team, required_skills=["seo"])
        db.session.commit()
        all_kept_id, nobody_skilled_id = all_kept.id, nobody_skilled.id
    director = login_as(app, roles.director.email)
    jobs = f"/teams/{roles.team.slug}/jobs"
    page = director.get(f"{jobs}/{all_kept_id}/split?suggest=1").get_data(as_text=True)
    assert "分担案を作れません。この案件の件数はすべて" in page
    page = director.get(f"{jobs}/{nobody_skilled_id}/split?suggest=1").get_data(as_text=True)
    assert "必要なスキルがあり、納期までに作業可能量が残っているメンバーがいません" in page
    assert not re.search(r'<option selected value="\d+"', page)  # no row was filled
    assert "分担案を作れません" not in director.get(f"{jobs}/{nobody_skilled_id}/split").get_data(
        as_text=True
    )  # said only when a suggestion was asked for


def test_split_over_the_job_or_over_capacity_is_refused_beside_the_row(app, crew):
    roles, writers = crew
    job_id = new_job(app, roles)
    director = login_as(app, roles.director.email)
    url = f"/teams/{roles.team.slug}/jobs/{job_id}/split"
    too_many = [{"membership_id": mid, "units": 9, "pay_basis": "units"} for mid, _ in writers]
    response = director.post(url, data=split_form(too_many))
    assert response.status_code == 422 and 'id="kept_units-error"' in response.get_data(
        as_text=True
    )
    over = [{"membership_id": writers[0][0], "units": 30, "pay_basis": "units"}]
    response = director.post(url, data=split_form(over))
    assert response.status_code == 422 and 'id="rows-0-override_reason-error"' in response.get_data(
        as_text=True
    )
    fixed_without_amount = [{"membership_id": writers[0][0], "units": 2, "pay_basis": "fixed"}]
    assert director.post(url, data=split_form(fixed_without_amount)).status_code == 422
    with app.app_context():
        deadline = db.session.get(Job, job_id).due_at.astimezone(JST).date()
    late = [{"membership_id": writers[0][0], "units": 2, "pay_basis": "units",
             "due_date": (deadline + timedelta(days=1)).isoformat()}]  # fmt: skip
    response = director.post(url, data=split_form(late))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    error = re.search(r'<p class="error" id="rows-0-due_date-error">(.*?)</p>', page).group(1)
    assert error == "納期は、案件全体の納期と同じ日か、それより前にしてください。"
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Assignment.id))) == 0


def _without_tokens(html: str) -> str:
    """A page without its CSRF tokens (signed values with the second they were signed in)."""
    return re.sub(r'value="[\w-]+\.[\w-]+\.[\w-]+"', 'value="…"', html)


def _page(client, url: str) -> str:
    return _without_tokens(client.get(url).get_data(as_text=True))


def _form_rows(page: str) -> list[tuple[str, str]]:
    """The split form's rows: their index and the offer each changes ("" for a new one)."""
    return re.findall(r'name="rows-(\d+)-assignment_id" type="hidden" value="(\d*)"', page)


def _candidate_row(page: str, membership_id: int) -> str:
    return re.search(rf'<tr id="candidate-{membership_id}">.*?</tr>', page, re.S).group(0)


def test_the_split_page_shows_each_members_figures_as_they_are_now(app, crew):
    """The team table shows each member's capacity left and the reliability figures
    ``reliability_for`` computes from their history, read anew on every visit, in the
    director's language."""
    from teamhub.assignments.reliability import reliability_for

    roles, writers = crew
    job_id = new_job(app, roles)
    director = login_as(app, roles.director.email)
    url = f"/teams/{roles.team.slug}/jobs/{job_id}/split"
    writer_id = writers[0][0]
    assert "—" in _candidate_row(_page(director, url), writer_id)  # no history: nothing to measure
    with app.app_context():
        writer = db.session.get(Membership, writer_id)
        writer.weekly_units, writer.person.display_name = 0, "改名した書き手"
        team = db.session.get(factories.Team, roles.team.id)
        done = factories.make_job(team)
        now = utcnow()
        factories.approved_assignment(done, writer.id, now - timedelta(days=1), units=4)
        db.session.add_all([
            Assignment(team_id=team.id, job_id=done.id, membership_id=writer.id, units=1,
                       state="cancelled", offered_at=now - timedelta(days=3),
                       answered_at=now - timedelta(days=2), due_at=now - timedelta(days=1)),
            Assignment(team_id=team.id, job_id=done.id, membership_id=writer.id, units=1,
                       state="offered", offered_at=now - timedelta(days=2), due_at=now),
        ])  # fmt: skip
        db.session.commit()
        figures = reliability_for([writer_id])[writer_id]
    now_page = _page(director, url)
    row = _candidate_row(now_page, writer_id)
    assert "改名した書き手" in row and ">0</td>" in row  # renamed, no capacity left
    assert "<th>完了率</th>" in now_page and "<th>24時間以内の返答率</th>" in now_page  # rates
    for rate in figures:
        assert f'{rate.shown} <small class="muted">({rate.fraction})</small>' in row
    assert figures.completion.fraction == "1/2" and figures.completion.shown == "50%"
    select = re.search(r'id="rows-0-membership_id".*?</select>', now_page, re.S).group(0)
    assert "改名した書き手" in select
    director.post("/language", data={"locale": "en", "next": url})
    english = _page(director, url)
    assert "Capacity left" in english and 'data-label="Capacity left"' in english
    assert "Row 1" in english and "Capacity left" not in now_page


def test_the_split_page_shows_the_jobs_offers_still_open_and_its_notices(app, crew):
    """The offers still open are listed soonest due first, each with its member's name, and
    stay out of the form until the director opens one (or all) for change: then its row comes
    first, with the name and no choice of member, before the empty rows. The scam and escrow
    notices follow the job; another team's job is 404."""
    roles, writers = crew
    with app.app_context():
        job = factories.make_job(
            db.session.get(factories.Team, roles.team.id),
            scam_reasons=[{"code": "outside_contact", "text": "LINE"}],
            escrow_confirmed_at=None,
        )
        now = utcnow()
        ids = {}
        for membership_id, due_in_days, state in (
            (writers[0][0], 5, "offered"),
            (writers[1][0], 2, "accepted"),
            (writers[2][0], 1, "approved"),
        ):
            offer = Assignment(team_id=job.team_id, job_id=job.id, membership_id=membership_id,
                               units=4, state=state, due_at=now + timedelta(days=due_in_days))  # fmt: skip
            db.session.add(offer)
            db.session.flush()
            ids[membership_id] = offer.id
        names = {
            m.id: m.person.display_name
            for m in db.session.scalars(sa.select(Membership).where(Membership.id.in_(ids)))
        }
        db.session.commit()
        job_id = job.id
    director = login_as(app, roles.director.email)
    url = f"/teams/{roles.team.slug}/jobs/{job_id}/split"
    page = director.get(url).get_data(as_text=True)
    assert "詐欺チェックの警告" in page and "仮払いがまだ確認されていません" in page
    assert re.search(r'<button type="submit" class="button primary" disabled', page)
    assert "4件は納品済みまたは承認済み" in page  # the approved one
    sooner, later = ids[writers[1][0]], ids[writers[0][0]]
    listed = re.findall(r'<tr id="offer-(\d+)">\s*<td[^>]*>([^<]*)</td>', page)
    assert listed == [(str(sooner), names[writers[1][0]]), (str(later), names[writers[0][0]])]
    assert _form_rows(page) == [("0", "")]  # only an empty row: the offers stay as they are
    assert '<select id="rows-0-membership_id" name="rows-0-membership_id">' in page
    assert f'href="/teams/{roles.team.slug}/jobs/{job_id}/split?change={later}"' in page

    every = director.get(f"{url}?change=all").get_data(as_text=True)
    assert _form_rows(every) == [("0", str(sooner)), ("1", str(later)), ("2", "")]
    first = re.search(r'<fieldset[^>]* id="row-0">.*?</fieldset>', every, re.S).group(0)
    assert names[writers[1][0]] in first and "rows-0-membership_id" not in first
    assert 'name="rows-0-remove" type="checkbox"' in first
    assert 'id="offers"' not in every  # every offer is open in the form
    one = director.get(f"{url}?change={later}").get_data(as_text=True)
    assert _form_rows(one) == [("0", str(later)), ("1", "")]
    assert re.findall(r'<tr id="offer-(\d+)">', one) == [str(sooner)]
    ids_elsewhere = director.get(f"{url}?change={ids[writers[2][0]]}").get_data(as_text=True)
    assert _form_rows(ids_elsewhere) == [("0", "")]  # approved work cannot be opened
    with app.app_context():
        db.session.get(Assignment, later).units = 6
        db.session.commit()
    changed = director.get(url).get_data(as_text=True)
    assert re.search(rf'<tr id="offer-{later}">\s*<td[^>]*>[^<]*</td>\s*<td[^>]*>6</td>', changed)
    with app.app_context():
        flagged = db.session.get(Job, job_id)
        flagged.scam_acknowledged_at, flagged.escrow_confirmed_at = now, now
        db.session.commit()
    cleared = director.get(url).get_data(as_text=True)
    assert "詐欺チェックの警告" not in cleared and "仮払いがまだ確認されていません" not in cleared
    assert not re.search(r'<button type="submit" class="button primary" disabled', cleared)
    with app.app_context():
        other = factories.team_with_roles()
        db.session.commit()
        other_slug, other_director = other.team.slug, other.director.email
    stranger = login_as(app, other_director)
    assert stranger.get(f"/teams/{other_slug}/jobs/{job_id}/split").status_code == 404
    assert stranger.get(f"/teams/{other_slug}/jobs/{job_id + 1000}/split").status_code == 404


def test_two_directors_saving_the_same_split_second_is_refused(app, crew):
    roles, writers = crew
    with app.app_context():
        team = db.session.get(factories.Team, roles.team.id)
        second = factories.add_member(team, role="director")
        job = factories.make_job(team)
        db.session.commit()
        job_id, second_email = job.id, second.person.email
    url = f"/teams/{roles.team.slug}/jobs/{job_id}/split"
    first, other = login_as(app, roles.director.email), login_as(app, second_email)
    mine = split_form([{"membership_id": writers[0][0], "units": 8, "pay_basis": "units"}])
    theirs = split_form([{"membership_id": writers[1][0], "units": 8, "pay_basis": "units"}])
    assert first.post(url, data=mine).status_code == 302
    refused = other.post(url, data=theirs)
    assert refused.status_code == 409
    page = refused.get_data(as_text=True)
    assert 'role="alert"' in page
    assert re.search(rf'<option selected value="{writers[1][0]}">', page)  # their input is kept
    with app.app_context():
        assert db.session.scalars(sa.select(Assignment.membership_id)).all() == [writers[0][0]]


def test_member_cannot_start_before_escrow_and_the_page_says_why(app):
    with app.app_context():
        roles = factories.team_with_roles()
        team = db.session.get(factories.Team, roles.team.id)
        member = factories.give_capacity(db.session.get(Membership, roles.member_membership))
        job = factories.make_job(team)
        db.session.add(
            Assignment(team_id=team.id, job_id=job.id, membership_id=member.id, units=4,
                       due_at=job.due_at, state="accepted")
        )  # fmt: skip
        db.session.commit()
        assignment_id = db.session.scalar(sa.select(Assignment.id))
    client = login_as(app, roles.member.email)
    page = client.get(f"/teams/{roles.team.slug}/assignments/{assignment_id}").get_data(
        as_text=True
    )
    assert 'id="escrow-wait"' in page
    response = client.post(f"/teams/{roles.team.slug}/assignments/{assignment_id}/start")
    assert response.status_code == 409
    assert "仮払い" in response.get_data(as_text=True)


def test_files_download_as_attachments_only_for_the_member_and_reviewers(app, make_person):
    with app.app_context():
        roles, ids = factories.team_with_everything()
        team = db.session.get(factories.Team, roles.team.id)
        other_member = factories.add_member(team)
        db.session.commit()
        other_email = other_member.person.email
    url = f"/teams/{ids.slug}/assignments/{ids.assignment_id}/submissions/{ids.submission_id}/file"
    for email in (roles.member.email, roles.editor.email, roles.director.email):
        with login_as(app, email).get(url) as response:
            assert response.status_code == 200
            assert response.headers["Content-Disposition"].startswith("attachment")
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert response.data == "下書き".encode()
    with login_as(app, other_email).get(url) as response:
        assert response.status_code == 404


def test_upload_through_the_form_checks_the_content(app):
    import io

    with app.app_context():
        roles, ids = factories.team_with_everything()
        assignment = db.session.get(Assignment, ids.assignment_id)
        assignment.state = "changes_requested"
        db.session.commit()
    client = login_as(app, roles.member.email)
    url = f"/teams/{ids.slug}/assignments/{ids.assignment_id}/submit"
    fake = client.post(url, data={"file": (io.BytesIO(b"MZ\x90\x00binary"), "article.pdf")},
                       content_type="multipart/form-data")  # fmt: skip
    assert fake.status_code == 422
    real = client.post(url, data={"file": (io.BytesIO(b"%PDF-1.4\n%%EOF"), "article.pdf")},
                       content_type="multipart/form-data")  # fmt: skip
    assert real.status_code == 302


class QueryCounter:
    def __init__(self, engine):
        self.engine, self.count = engine, 0

    def __enter__(self):
        sa.event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        sa.event.remove(self.engine, "before_cursor_execute", self._count)

    def _count(self, *args):
        self.count += 1


def queries_for(app, client, url) -> int:
    with app.app_context(), QueryCounter(db.engine) as counter:
        assert client.get(url).status_code == 200
    return counter.count


def add_assignments(app, team_id, membership_id, how_many):
    with app.app_context():
        team = db.session.get(factories.Team, team_id)
        now = utcnow()
        job = factories.make_job(team, unit_count=how_many * 2)
        states = [
            "offered",
            "accepted",
            "in_progress",
            "submitted",
            "approved",
            "changes_requested",
        ]
        db.session.add_all(
            Assignment(team_id=team_id, job_id=job.id, membership_id=membership_id, units=1,
                       due_at=now + timedelta(days=i % 9), state=states[i % len(states)])
            for i in range(how_many)
        )  # fmt: skip
        db.session.commit()
        return job.id


@pytest.mark.parametrize("page", ["my-assignments", "board", "split", "jobs", "reviews"])
def test_list_pages_run_the_same_number_of_queries_for_10_or_500_rows(app, page):
    counts = []
    for size in (10, 500):
        with app.app_context():
            roles = factories.team_with_roles()
            db.session.commit()
        job_id = add_assignments(app, roles.team.id, roles.member_membership, size)
        url = {
            "my-assignments": f"/teams/{roles.team.slug}/my-assignments",
            "board": f"/teams/{roles.team.slug}/jobs/{job_id}",
            "split": f"/teams/{roles.team.slug}/jobs/{job_id}/split",
            "jobs": f"/teams/{roles.team.slug}/jobs",
            "reviews": f"/teams/{roles.team.slug}/reviews",
        }[page]
        who = roles.member.email if page == "my-assignments" else roles.director.email
        counts.append(queries_for(app, login_as(app, who), url))
    assert counts[0] == counts[1], counts
    assert counts[0] <= (10 if page == "split" else 12)


def test_the_job_board_shows_each_assignment_the_counts_and_each_members_load(app):
    with app.app_context():
        roles = factories.team_with_roles()
        team = db.session.get(factories.Team, roles.team.id)
        second = factories.add_member(team)
        job = factories.make_job(team, unit_count=20, kept_units=2)
        now = utcnow()

        def give(membership_id, units, state, due_in_days, **extra):
            assignment = Assignment(team_id=team.id, job_id=job.id, membership_id=membership_id,
                                    units=units, state=state,
                                    due_at=now + timedelta(days=due_in_days), **extra)  # fmt: skip
            db.session.add(assignment)
            db.session.flush()
            return assignment.id

        late = give(roles.member_membership, 5, "in_progress", -1)
        approved = give(roles.member_membership, 3, "approved", -2)
        declined = give(second.id, 4, "declined", 3)
        fixed = give(second.id, 6, "accepted", 5, pay_basis="fixed", fixed_yen=18_000)
        db.session.commit()
        slug, job_id, second_name = team.slug, job.id, second.person.display_name
        member_name = db.session.get(Membership, roles.member_membership).person.display_name
    director = login_as(app, roles.director.email)
    page = director.get(f"/teams/{slug}/jobs/{job_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200

    def row(assignment_id, html=html):
        return re.search(rf'<tr id="assignment-{assignment_id}">(.*?)</tr>', html, re.S).group(1)

    assert member_name in row(late) and "納期超過" in row(late) and "作業中" in row(late)
    assert "納期超過" not in row(approved) and "承認済み" in row(approved)
    assert second_name in row(declined) and "納期超過" not in row(declined)
    assert "¥18,000" in row(fixed)
    # Units approved 3 of 20; assigned 5 + 3 + 6 (the declined 4 do not count); unassigned
    # 20 - 14 - 2 kept by the director.
    assert '<dd id="approved-units">20件中3件</dd>' in html
    assert re.search(r"<dt>割り当て済み</dt><dd>14</dd>", html), html
    assert re.search(r"<dt>未割り当て</dt><dd>4</dd>", html)
    loads = re.findall(r'<li id="load-(\d+)">([^:]+):\s*([^<]+)</li>', html)
    assert [(int(m), name.strip()) for m, name, _text in loads] == [
        (roles.member_membership, member_name),
        (second.id, second_name),
    ]
    with app.app_context():
        db.session.get(Assignment, late).state = "approved"
        db.session.get(Membership, second.id).person.display_name = "改名したメンバー"
        db.session.commit()
    now_html = director.get(f"/teams/{slug}/jobs/{job_id}").get_data(as_text=True)
    assert "承認済み" in row(late, now_html) and "納期超過" not in row(late, now_html)
    assert "改名したメンバー" in row(fixed, now_html)
    assert '<dd id="approved-units">20件中8件</dd>' in now_html
    member_load = re.search(rf'<li id="load-{roles.member_membership}">(.*?)</li>', now_html, re.S)
    assert "8件中8件が承認済み" in member_load.group(1)
    counts = re.search(r'<p class="state-counts">(.*?)</p>', now_html).group(1)
    assert "作業中" not in counts and "承認済み 2" in counts
    with app.app_context():
        other = factories.team_with_roles()
        db.session.commit()
        other_slug, other_director = other.team.slug, other.director.email
    elsewhere = login_as(app, other_director).get(f"/teams/{other_slug}/jobs/{job_id}")
    assert elsewhere.status_code == 404


def test_a_rows_own_input_errors_are_in_the_directors_language(app, crew):
    """WTForms' own messages for a split row (a number out of range, not a number, not a date)
    come in Japanese on a Japanese page, not in English."""
    roles, writers = crew
    job_id = new_job(app, roles)
    director = login_as(app, roles.director.email)
    rows = [
        {"membership_id": writers[0][0], "units": -3, "pay_basis": "units"},
        {"membership_id": writers[1][0], "units": "たくさん", "pay_basis": "units"},
        {"membership_id": writers[2][0], "units": 2, "due_date": "来週", "pay_basis": "units"},
    ]
    response = director.post(f"/teams/{roles.team.slug}/jobs/{job_id}/split", data=split_form(rows))
    assert response.status_code == 422
    errors = re.findall(
        r'<p class="error" id="rows-(\d)-(\w+)-error">([^<]+)</p>', response.get_data(as_text=True)
    )
    assert {(row, name) for row, name, _message in errors} >= {
        ("0", "units"),
        ("1", "units"),
        ("2", "due_date"),
    }
    for _row, _name, message in errors:
        assert not re.search(r"[A-Za-z]{3,}", message), message
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Assignment.id))) == 0


def test_the_director_confirms_escrow_and_cancels_the_job_and_bad_input_stays(app, crew):
    """The board's escrow form and the job's cancel page (linked from the board): shown empty
    on a visit, sent back with the messages beside the field when refused, and they act when
    filled in."""
    roles, _writers = crew
    with app.app_context():
        team = db.session.get(factories.Team, roles.team.id)
        job_id = factories.make_job(team, roles.director).id
        db.session.commit()
    director = login_as(app, roles.director.email)
    board_url = f"/teams/{roles.team.slug}/jobs/{job_id}"
    board = director.get(board_url).get_data(as_text=True)
    assert "仮払い待ち：メンバーはまだ作業を開始できません" in board and "受取額を記録する" in board
    editors = login_as(app, roles.editor.email).get(board_url).get_data(as_text=True)
    assert "受取額を記録する" not in editors  # the money is the directors'
    today = utcnow().astimezone(JST).date().isoformat()
    assert (
        f'id="confirmed_date" max="2100-12-31" min="2000-01-01" name="confirmed_date" required '
        f'type="date" value="{today}"' in board
    )
    assert f'href="{board_url}/cancel"' in board and 'name="reason"' not in board
    cancel_page = director.get(f"{board_url}/cancel").get_data(as_text=True)
    assert 'id="reason" maxlength="300" name="reason" required type="text" value=""' in cancel_page

    refused = director.post(f"{board_url}/escrow", data={"confirmed_date": "12月1日"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert 'aria-invalid="true" id="confirmed_date"' in page and 'value="12月1日"' in page
    refused = director.post(f"{board_url}/cancel", data={"reason": "   "})
    assert refused.status_code == 422
    assert 'aria-invalid="true" id="reason"' in refused.get_data(as_text=True)
    with app.app_context():
        job = db.session.get(Job, job_id)
        assert job.escrow_confirmed_at is None and job.is_open

    # Yesterday in Japan: 09:30 today is still ahead between midnight and 09:30 JST.
    yesterday = (utcnow().astimezone(JST).date() - timedelta(days=1)).isoformat()
    confirmed = director.post(
        f"{board_url}/escrow", data={"confirmed_date": yesterday, "confirmed_time": "09:30"}
    )
    assert confirmed.status_code == 302
    board = director.get(board_url).get_data(as_text=True)
    assert "未確認" not in board and "に確認済み" in board
    cancelled = director.post(f"{board_url}/cancel", data={"reason": "クライアントの都合"})
    assert cancelled.status_code == 302
    board = director.get(board_url).get_data(as_text=True)
    assert "クライアントの都合" in board and f'href="{board_url}/cancel"' not in board
    with app.app_context():
        job = db.session.get(Job, job_id)
        assert job.escrow_confirmed_at is not None and not job.is_open


def test_names_and_texts_are_escaped_on_the_split_page_and_the_board(app, crew):
    roles, writers = crew
    with app.app_context():
        writer = db.session.get(Membership, writers[0][0])
        writer.person.display_name = "山田 & <b>花子</b>"
        job = factories.make_job(db.session.get(factories.Team, roles.team.id))
        db.session.add(
            Assignment(team_id=job.team_id, job_id=job.id, membership_id=writer.id, units=2,
                       state="offered", due_at=job.due_at, part_description='第1章 "<i>&')
        )  # fmt: skip
        db.session.commit()
        job_id = job.id
    director = login_as(app, roles.director.email)
    jobs = f"/teams/{roles.team.slug}/jobs/{job_id}"
    for url in (f"{jobs}/split", f"{jobs}/split?change=all", jobs):
        for _visit in range(2):  # escaped on a second visit too, whatever the pages keep
            html = director.get(url).get_data(as_text=True)
            assert "<b>花子" not in html and '"<i>' not in html
            assert "山田 &amp; &lt;b&gt;花子&lt;/b&gt;" in html
    split = director.get(f"{jobs}/split").get_data(as_text=True)
    assert "第1章 &#34;&lt;i&gt;&amp;" in split  # the offer's part, in the list of offers
    opened = director.get(f"{jobs}/split?change=all").get_data(as_text=True)
    assert 'value="第1章 &#34;&lt;i&gt;&amp;"' in opened  # the offer's part, as its input's value
    assert f'<option value="{writers[0][0]}">山田 &amp; &lt;b&gt;花子&lt;/b&gt;</option>' in split


def test_refused_escrow_and_edits_say_why_atop_their_forms(app, crew):
    """A confirmation time in the future is refused (422) above the escrow form; a job whose
    work a member accepted cannot be edited (409), the form kept as sent."""
    roles, writers = crew
    with app.app_context():
        job = factories.make_job(db.session.get(factories.Team, roles.team.id), roles.director)
        db.session.add(
            Assignment(team_id=job.team_id, job_id=job.id, membership_id=writers[0][0], units=2,
                       state="accepted", due_at=job.due_at)
        )  # fmt: skip
        db.session.commit()
        job_id = job.id
    director = login_as(app, roles.director.email)
    board = f"/teams/{roles.team.slug}/jobs/{job_id}"
    tomorrow = (utcnow().astimezone(JST).date() + timedelta(days=1)).isoformat()
    refused = director.post(
        f"{board}/escrow", data={"confirmed_date": tomorrow, "confirmed_time": "09:30"}
    )
    assert refused.status_code == 422
    assert "仮払いを確認した日時には、今までの日時を入力してください。" in refused.get_data(
        as_text=True
    )
    refused = director.post(f"{board}/edit", data=job_form(title="改題"))
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409 and 'value="改題"' in page
    assert "この案件は既にメンバーが作業を引き受けています。" in page
    with app.app_context():
        job = db.session.get(Job, job_id)
        assert job.escrow_confirmed_at is None and job.title != "改題"


def _visible_text(html: str) -> str:
    """The page's text as a reader sees it: no tags, attributes or scripts."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_count_of_units_and_the_dates_of_terms_read_one_way_on_every_page(app, crew):
    """A unit whose name starts with a number never runs into its count (「3,000字の記事 × 2」,
    never 「2 3,000字の記事」), and the terms notice's dates read 2026/12/05, never 2026-12-05."""
    from datetime import date

    from teamhub.assignments import lifecycle
    from teamhub.assignments.services import submit_work
    from teamhub.jobs.splitting import SplitLine, save_split

    roles, writers = crew
    with app.app_context():
        team = db.session.get(factories.Team, roles.team.id)
        job = factories.make_job(
            team, source="direct", unit_name="3,000字の記事", expected_payment_on=date(2027, 1, 20)
        )
        director = db.session.get(Membership, roles.director_membership)
        writer = db.session.get(Membership, writers[0][0])
        # A name without digits: 「山田 花子542 3,000字の記事」 reads like 「2 3,000字」.
        writer.person.display_name = "島の書き手"
        line = SplitLine(membership_id=writer.id, units=2, due_at=job.due_at)
        [offer] = save_split(job, director, [line], 0, 0).created
        lifecycle.accept(offer, writer)
        lifecycle.start(offer, writer)
        submit_work(offer, writer, text="本文です。")
        db.session.commit()
        offer_id, job_id = offer.id, job.id
    slug = roles.team.slug
    member = login_as(app, writers[0][1])
    lead = login_as(app, roles.director.email)
    pages = [
        member.get(f"/teams/{slug}/my-assignments"),
        member.get(f"/teams/{slug}/assignments/{offer_id}"),
        lead.get(f"/teams/{slug}/reviews"),
        lead.get(f"/teams/{slug}/jobs/{job_id}"),
    ]
    for response in pages:
        text = _visible_text(response.get_data(as_text=True))
        assert response.status_code == 200
        assert "3,000字の記事 × " in text, text
        assert not re.search(r"(?<!\w)2 3,000字", text), text  # not a name ending in 2
        assert not re.search(r"\b20\d\d-\d\d\b", text), text
    terms = _visible_text(pages[1].get_data(as_text=True))
    assert "3,000字の記事 × 2" in terms and "2027/01/20（水）" in terms
