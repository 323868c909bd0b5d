"""The job pages' forms read what people type: yen as they write it, the split's rows."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace

import pytest
from flask_babel import force_locale
from werkzeug.datastructures import MultiDict

from teamhub.clock import JST
from teamhub.errors import Invalid
from teamhub.jobs.forms import JobForm, SplitForm

DEADLINE = datetime(2026, 12, 1, 18, 0, tzinfo=JST)
JOB = SimpleNamespace(due_at=DEADLINE)


def _split_form(app, sent: dict) -> SplitForm:
    with app.test_request_context(method="POST", data=MultiDict(sent)):
        form = SplitForm(meta={"csrf": False})
        form.validate()
        return form


@pytest.mark.parametrize(
    ("typed", "yen"), [("120000", 120_000), ("１２０，０００円", 120_000), ("¥12,000", 12_000)]
)
def test_yen_are_read_as_people_write_them(app, typed, yen):
    with app.test_request_context(method="POST", data={"contract_yen": typed}):
        form = JobForm(meta={"csrf": False})
        form.validate()
        assert form.contract_yen.data == yen and not form.contract_yen.errors


def test_yen_in_words_are_refused_with_a_message_in_the_pages_language(app):
    with app.test_request_context(method="POST", data={"contract_yen": "十二万"}):
        form = JobForm(meta={"csrf": False})
        assert not form.validate()
        assert form.contract_yen.errors == [
            "金額は円単位で、数字だけを入力してください（例：120000）。"
        ]


def test_split_rows_become_lines_and_empty_spare_rows_are_left_out(app):
    form = _split_form(
        app,
        {
            "version": "3",
            "rows-0-assignment_id": "5",
            "rows-0-units": "３",
            "rows-0-pay_basis": "fixed",
            "rows-0-fixed_yen": "5,000円",
            "rows-1-membership_id": "",
            "rows-1-units": "0",
            "rows-1-pay_basis": "units",
            "rows-2-membership_id": "12",
            "rows-2-units": "8",
            "rows-2-due_date": "2026-11-28",
            "rows-2-pay_basis": "units",
            "rows-2-part_description": " 第1章 ",
        },
    )
    assert form.version.data == 3 and not form.errors
    existing, new = form.lines(JOB)
    assert (existing.assignment_id, existing.units, existing.fixed_yen) == (5, 3, 5000)
    assert existing.due_at == DEADLINE  # no date given: the job's deadline
    assert (new.assignment_id, new.membership_id, new.units) == (None, 12, 8)
    assert new.due_at.astimezone(JST).date() == date(2026, 11, 28)
    assert new.part_description == "第1章"


def test_a_saves_reasons_are_shown_beside_the_rows_they_concern(app):
    form = _split_form(
        app,
        {
            "version": "0",
            "rows-0-membership_id": "",
            "rows-0-pay_basis": "units",
            "rows-1-membership_id": "12",
            "rows-1-units": "30",
            "rows-1-pay_basis": "units",
        },
    )
    form.lines(JOB)
    refused = Invalid(
        "保存できませんでした。",
        {"rows.0.override_reason": "理由を", "rows.0.due_at": "納期を", "kept_units": "多すぎ"},
    )
    form.show_reasons(refused)
    assert form.rows[1].override_reason.errors == ["理由を"]  # line 0 is the second row
    assert form.rows[1].due_date.errors == ["納期を"]
    assert form.kept_units.errors == ["多すぎ"] and form.form_errors == ["保存できませんでした。"]
    assert not form.rows[0].errors


def test_a_split_without_a_version_this_page_wrote_asks_for_a_reload(app):
    form = _split_form(app, {"version": "abc"})
    assert form.form_errors == ["ページを再読み込みして、もう一度お試しください。"]


def test_wtforms_messages_are_in_the_pages_language(app):
    """WTForms' own messages of a page's form follow the request's language."""
    expected = {"ja": "無効な時間型です。", "en": "Not a valid time value."}
    for language in ("ja", "en", "ja", "en"):
        with app.test_request_context("/", method="POST"), force_locale(language):
            form = JobForm(MultiDict({"due_time": "25:00"}), meta={"csrf": False})
            assert not form.validate()
            assert form.due_time.errors == [expected[language]]
