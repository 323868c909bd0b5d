"""The shared form fields: ids, whole numbers, yen and days parsed and bounded in one place, NUL
refused in any field, and a refusal that forgets what the refused action changed."""

from __future__ import annotations

import inspect
import re
from datetime import date

import pytest
from flask_babel import force_locale
from werkzeug.datastructures import MultiDict
from wtforms import (
    DateField,
    DateTimeField,
    DecimalField,
    FieldList,
    FloatField,
    Form,
    FormField,
    IntegerField,
    StringField,
    TimeField,
)
from wtforms.fields.core import UnboundField
from wtforms.validators import Optional

from teamhub.auth.models import Person
from teamhub.errors import Invalid
from teamhub.extensions import db
from teamhub.forms import (
    MAX_ID,
    AppForm,
    DayField,
    IdField,
    IdSelectField,
    Refusal,
    SubForm,
    WholeNumberField,
    YenField,
    parse_day,
    parse_id,
    too_long,
)
from tests import factories


class Row(SubForm):
    note = StringField()


class Sample(AppForm):
    count = WholeNumberField(minimum=1, maximum=10, message="1〜10")
    spare = WholeNumberField(validators=[Optional()], maximum=10)
    yen = YenField(validators=[Optional()])
    day = DayField(validators=[Optional()])
    member = IdSelectField(validators=[Optional()], message="member?")
    text = StringField()
    rows = FieldList(FormField(Row), min_entries=1)


def _sent(app, **fields) -> Sample:
    data = {"count": "5", **fields}
    with app.test_request_context("/", method="POST"), force_locale("ja"):
        form = Sample(MultiDict(data), meta={"csrf": False})
        form.valid = form.validate()
        form.messages = {
            field.name: [str(message) for message in field.errors]
            for field in [*form, *form.rows[0].form]
            if field.errors
        }
        return form


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        ("12", 12),
        (" 7 ", 7),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        (str(2**31 - 1), 2**31 - 1),  # what PostgreSQL's INTEGER id columns hold
        (str(2**31), None),
        ("0", None),
        ("-3", None),
        ("²", None),  # a digit to str.isdigit(), not to int()
        ("፩", None),
        ("1e3", None),
        ("12\x00", None),
        ("", None),
        (5, 5),
        (True, None),
    ],
)
def test_an_id_is_1_to_2_31_minus_1_in_ascii_digits_or_none(sent, expected):
    assert parse_id(sent) == expected


def test_every_page_address_takes_only_ids_the_id_columns_hold(app):
    """A larger number in an address matches no page (404), never an overflow in a lookup."""
    ids = [
        (rule.rule, argument)
        for rule in app.url_map.iter_rules()
        for argument in re.findall(r"<([^>]*)>", rule.rule)
        if argument.endswith("_id")
    ]
    assert len(ids) > 40
    for rule, argument in ids:
        assert argument.startswith(("id:", f"int(max={MAX_ID}):")), rule


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        ("2026-12-05", date(2026, 12, 5)),
        ("2026/12/05", date(2026, 12, 5)),
        ("２０２６－１２－０５", date(2026, 12, 5)),
        ("2000-01-01", date(2000, 1, 1)),
        ("2100-12-31", date(2100, 12, 31)),
        ("1999-12-31", None),
        ("2101-01-01", None),
        ("0001-01-01", None),
        ("9999-12-31", None),
        ("2026-02-30", None),
        ("2026-12-05\x00", None),
        ("", None),
    ],
)
def test_a_day_is_between_2000_and_2100_or_none(sent, expected):
    assert parse_day(sent) == expected


def test_whole_numbers_out_of_range_or_not_numbers_are_refused_with_the_fields_message(app):
    for sent in ("0", "11", "-1", "9" * 400, "9" * 5000, "1e309", "NaN", "1.5", "abc", "፩"):
        form = _sent(app, count=sent)
        assert not form.valid and form.messages["count"] == ["1〜10"], sent
        assert form.count.data is None
    assert _sent(app, count="１０").count.data == 10
    assert _sent(app, count=" ").messages["count"] == ["この項目は必ず入力してください。"]
    blank = _sent(app, spare=" ")
    assert blank.valid and blank.spare.data is None


def test_yen_are_read_as_people_write_them_and_bounded_to_the_column(app):
    assert _sent(app, yen="１２，０００円").yen.data == 12_000
    assert _sent(app, yen="¥2,147,483,647").yen.data == 2**31 - 1
    refused = _sent(app, yen="2147483648")
    assert refused.messages["yen"] == ["金額は円単位で、数字だけを入力してください（例：120000）。"]


def test_a_day_out_of_range_is_refused_with_the_range_in_japanese(app):
    form = _sent(app, day="0001-01-01")
    assert form.messages["day"] == [
        "2000/01/01〜2100/12/31の日付を入力してください（例：2026/12/05）。"
    ]
    assert form.day.data is None


def test_a_choice_of_record_that_is_not_an_id_is_refused_and_blank_is_none(app):
    assert _sent(app, member=str(2**63)).messages["member"] == ["member?"]
    assert _sent(app, member="abc").messages["member"] == ["member?"]
    assert _sent(app, member="42").member.data == 42
    blank = _sent(app, member="")
    assert blank.valid and blank.member.data is None


def test_nul_is_refused_in_any_field_with_a_message_even_in_a_row(app):
    message = "入力に含まれる見えない制御文字（NUL）を取り除いてください。"
    form = _sent(app, text="a\x00b", **{"rows-0-note": "\x00"})
    assert not form.valid
    assert form.messages["text"] == [message]
    assert form.messages["rows-0-note"] == [message]
    assert _sent(app, text="a\tb\nc").valid


def _forms(cls=AppForm):
    for sub in cls.__subclasses__():
        yield sub
        yield from _forms(sub)


def _field_classes(form_class):
    """The classes of a form's fields, the fields of its rows included."""
    for _name, unbound in inspect.getmembers(form_class, lambda m: isinstance(m, UnboundField)):
        yield unbound.field_class
        inner = unbound.args[0] if unbound.args else None
        if isinstance(inner, UnboundField):  # FieldList(FormField(RowForm)) or FieldList(field)
            yield inner.field_class
            inner = inner.args[0] if inner.args else None
        if isinstance(inner, type) and issubclass(inner, Form):
            yield from _field_classes(inner)


def test_every_form_reads_numbers_and_dates_through_the_shared_bounded_fields(app):
    """WTForms' own number and date fields have no bounds a column or a datetime can hold."""
    unbounded = {DateField, IntegerField, DecimalField, FloatField, DateTimeField}
    shared = {WholeNumberField, YenField, IdField, DayField, TimeField}  # a time is 00:00-23:59
    forms = list(_forms())
    assert len(forms) >= 30
    for form_class in forms:
        for field_class in _field_classes(form_class):
            assert field_class in shared or not issubclass(field_class, tuple(unbounded)), (
                f"{form_class.__name__} uses {field_class.__name__}"
            )


def test_a_refusal_forgets_what_the_refused_action_changed(app):
    """The page shown with the refusal shows the records as they are stored."""
    with app.app_context():
        person_id = factories.make_person(display_name="山田").id
        db.session.commit()
    with app.test_request_context("/", method="POST"):
        person = db.session.get(Person, person_id)
        with Refusal() as refused:
            person.display_name = "変更後"
            raise Invalid("だめです")
        assert refused.status == 422 and refused.message == "だめです"
        assert person.display_name == "山田"


def test_a_text_too_long_is_refused_with_its_limit_written_as_people_write_numbers(app):
    """Every form and service says it the same way, thousands separated (2,000, not 2000)."""
    from teamhub.jobs.forms import SplitForm
    from teamhub.teams.forms import TeamForm

    with app.test_request_context("/", method="POST"), force_locale("ja"):
        assert too_long(20000) == "20,000文字以内で入力してください。"
        team = TeamForm(MultiDict({"description": "あ" * 2001}), meta={"csrf": False})
        team.validate()
        assert [str(m) for m in team.description.errors] == ["2,000文字以内で入力してください。"]
        split = SplitForm(MultiDict({"rows-0-part_description": "あ" * 201}), meta={"csrf": False})
        split.validate()
        errors = split.rows[0].form.part_description.errors
        assert [str(m) for m in errors] == ["200文字以内で入力してください。"]
        fits = TeamForm(MultiDict({"description": "あ" * 2000}), meta={"csrf": False})
        fits.validate()
        assert fits.description.errors == []
