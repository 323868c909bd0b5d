"""The split form's rows, written without WTForms fields, are what WTForms' fields write."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from flask_babel import force_locale
from werkzeug.datastructures import MultiDict

from teamhub.jobs.forms import SplitForm, SplitRow, split_row_texts, split_rows_sent

MEMBERS = [("1", "山田 & <花子>"), ("2", "佐藤")]

# The rows as the page wrote them before: each input through WTForms and the field macro.
WTFORMS_ROWS = """{% from "_macros/forms.html" import field %}
<div class="split-rows">
{% for row in form.rows %}
<fieldset class="split-row {% if row.errors %}has-error{% endif %}" id="row-{{ loop.index0 }}">
  {{ row.assignment_id() }}
  <legend>{{ _('Row %(n)d', n=loop.index) }}{% if row.assignment_id.data %} · {{ _('existing offer') }}{% endif %}</legend>
  <div class="row">
    {% if row.assignment_id.data %}
      <input type="hidden" name="{{ row.membership_id.name }}" value="{{ row.membership_id.data }}">
      <p class="field"><strong>{% for value, label in row.membership_id.choices if value == row.membership_id.data|string %}{{ label }}{% endfor %}</strong></p>
    {% else %}{{ field(row.membership_id) }}{% endif %}
    {{ field(row.units, inputmode='numeric', class_='short') }}
    {{ field(row.due_date) }}
  </div>
  <div class="row">
    {{ field(row.pay_basis) }}
    {{ field(row.fixed_yen, inputmode='numeric', class_='short') }}
    {{ field(row.part_description) }}
  </div>
  {{ field(row.override_reason) }}
  {% if row.assignment_id.data %}{{ field(row.remove) }}{% endif %}
</fieldset>
{% endfor %}
</div>"""

SPLIT_ROWS = (
    '{% from "jobs/_split_rows.html" import split_rows %}{{ split_rows(rows, members, texts) }}'
)


def _tidy(html: str) -> str:
    return re.sub(r"\s+", " ", html).replace("> <", "><").strip()


def _both(app, form: SplitForm) -> tuple[str, str]:
    for row in form.rows:
        row.membership_id.choices = [("", "—"), *MEMBERS]
    expected = app.jinja_env.from_string(WTFORMS_ROWS).render(form=form)
    written = app.jinja_env.from_string(SPLIT_ROWS).render(
        rows=split_rows_sent(form), members=MEMBERS, texts=split_row_texts()
    )
    return _tidy(written), _tidy(expected)


SENT = MultiDict(
    {
        "rows-0-assignment_id": "5",
        "rows-0-membership_id": "2",
        "rows-0-units": "３",
        "rows-0-due_date": "2026-12-01",
        "rows-0-pay_basis": "fixed",
        "rows-0-fixed_yen": "5,000円",
        "rows-0-part_description": '第1章 "<b>&',
        "rows-0-remove": "y",
        "rows-1-membership_id": "1",
        "rows-1-units": "-4",
        "rows-1-due_date": "12月1日",
        "rows-1-pay_basis": "barter",
        "rows-1-override_reason": "x" * 301,
        "rows-2-units": "0",
    }
)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_rows_sent_back_with_errors_are_written_as_wtforms_writes_them(app, language):
    with app.test_request_context(method="POST", data=SENT), force_locale(language):
        form = SplitForm(meta={"csrf": False})
        assert not form.validate()
        assert set(form.rows[1].errors) == {"units", "due_date", "pay_basis", "override_reason"}
        form.rows[2].membership_id.errors = ["Choose a member of this team."]
        form.rows[0].fixed_yen.errors = ["Fixed pay needs an amount."]
        form.rows[2].part_description.errors = ["Too long.", "Twice."]
        written, expected = _both(app, form)
        assert written == expected
        assert 'aria-invalid="true" id="rows-1-units"' in written
        assert 'selected value="1">山田 &amp; &lt;花子&gt;' in written


@pytest.mark.parametrize("language", ["ja", "en"])
def test_rows_of_a_first_visit_are_written_as_wtforms_writes_them(app, language):
    with app.test_request_context(), force_locale(language):
        form = SplitForm(formdata=None)
        form.rows.append_entry({
            "assignment_id": "5", "membership_id": "2", "units": 3, "due_date": date(2026, 12, 1),
            "pay_basis": "fixed", "fixed_yen": "5000", "part_description": '第1章 "<b>&',
        })  # fmt: skip
        form.rows.append_entry({"membership_id": "1", "units": 8, "due_date": date(2026, 12, 1)})
        form.rows.append_entry({"units": 0, "due_date": date(2026, 12, 1)})
        written, expected = _both(app, form)
        assert written == expected
        # What the page builds for a first visit, without a form: the same rows.
        rows = [
            SplitRow("5", "2", "3", "2026-12-01", "fixed", "5000", '第1章 "<b>&'),
            SplitRow(membership_id="1", units="8", due_date="2026-12-01"),
            SplitRow(due_date="2026-12-01"),
        ]
        assert rows == [r._replace(errors=None) for r in split_rows_sent(form)]


def test_wtforms_messages_are_in_the_pages_language(app):
    """WTForms' own messages of a page's form follow the request's language."""
    expected = {
        "ja": "数値は 0 以上, 10000 以下でなければいけません。",
        "en": "Number must be between 0 and 10000.",
    }
    for language in ("ja", "en", "ja", "en"):
        with app.test_request_context("/", method="POST"), force_locale(language):
            form = SplitForm(MultiDict({"kept_units": "-1"}), meta={"csrf": False})
            assert not form.validate()
            assert form.kept_units.errors == [expected[language]]


# The job board's escrow and cancel forms as WTForms and the field macro write them.
WTFORMS_BLANK_FORMS = """{% from "_macros/forms.html" import field %}
<escrow>{{ escrow.hidden_tag() }}<div class="row">{{ field(escrow.confirmed_date) }}{{ field(escrow.confirmed_time) }}</div></escrow>
<cancel>{{ cancel.hidden_tag() }}{{ field(cancel.reason) }}</cancel>
<split>{{ split.hidden_tag() }}{{ field(split.kept_units, inputmode='numeric', class_='short') }}</split>"""

BLANK_FORMS = """{% from "jobs/_blank_forms.html" import escrow_fields, cancel_fields,
  split_hidden, kept_units_field with context %}
<escrow>{{ escrow_fields(confirmed) }}</escrow>
<cancel>{{ cancel_fields(limits) }}</cancel>
<split>{{ split_hidden(version) }}{{ kept_units_field(kept, kept_limits) }}</split>"""


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_job_pages_blank_forms_are_written_as_wtforms_writes_them(app, language):
    from flask import render_template_string

    from teamhub.clock import JST
    from teamhub.jobs.forms import (
        CancelForm,
        EscrowForm,
        cancel_reason_limits,
        kept_units_limits,
    )

    confirmed = datetime(2026, 12, 1, 9, 5, 41, tzinfo=JST)
    with app.test_request_context(), force_locale(language):
        with_token = {"csrf": True}  # as in the app (the tests turn CSRF off)
        escrow = EscrowForm(formdata=None, meta=with_token)
        cancel = CancelForm(formdata=None, meta=with_token)
        split = SplitForm(formdata=None, meta=with_token)
        escrow.confirmed_date.data, escrow.confirmed_time.data = confirmed.date(), confirmed.time()
        split.version.data, split.kept_units.data = "7", 3
        expected = render_template_string(
            WTFORMS_BLANK_FORMS, escrow=escrow, cancel=cancel, split=split
        )
        written = render_template_string(
            BLANK_FORMS,
            confirmed=confirmed,
            limits=cancel_reason_limits(),
            version=7,
            kept=3,
            kept_limits=kept_units_limits(),
        )
    assert _tidy(written) == _tidy(expected)
    assert 'value="2026-12-01"' in written and 'value="09:05"' in written
    assert 'maxlength="300"' in written and written.count('name="csrf_token"') == 3
    assert 'max="10000" min="0" name="kept_units" type="number" value="3"' in written
