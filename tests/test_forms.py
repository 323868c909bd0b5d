"""The lean form macros (pages with many inputs) write what the field macro writes."""

from __future__ import annotations

import re
from datetime import date

import pytest
from flask_babel import force_locale

from teamhub.jobs.forms import SplitForm

MACRO = '{% from "_macros/forms.html" import field, lean_field, lean_select %}'


def _render(app, macro: str, field, **options) -> str:
    html = app.jinja_env.from_string(MACRO + "{{ " + macro + "(f, **o) }}").render(
        f=field, o=options
    )
    return re.sub(r"\s+", " ", html).replace("> <", "><").strip()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_lean_macros_write_the_same_html_as_the_field_macro(app, language):
    with app.test_request_context(), force_locale(language):
        form = SplitForm(formdata=None)
        form.rows.append_entry({
            "assignment_id": "5", "membership_id": "2", "units": 3, "due_date": date(2026, 12, 1),
            "pay_basis": "fixed", "fixed_yen": "5000", "part_description": '第1章 "<b>&',
        })  # fmt: skip
        form.rows.append_entry({"units": 0})
        for row in form.rows:
            row.membership_id.choices = [("", "—"), ("1", "山田 & <花子>"), ("2", "佐藤")]
            numeric = {"inputmode": "numeric", "class_": "short"}
            for field, options in (
                (row.units, numeric),
                (row.fixed_yen, numeric),
                (row.due_date, {}),
                (row.part_description, {}),
                (row.override_reason, {}),
                (row.remove, {}),
            ):
                assert _render(app, "lean_field", field, **options) == _render(
                    app, "field", field, **options
                )
            for field in (row.membership_id, row.pay_basis):
                assert _render(app, "lean_select", field) == _render(app, "field", field)
        assert 'selected value="2">佐藤' in _render(app, "lean_select", form.rows[0].membership_id)
