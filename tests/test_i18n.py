"""Japanese first and complete; yen and Japan time on screen."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from babel.messages.pofile import read_po

from teamhub.clock import JST
from teamhub.i18n import (
    join_list,
    jst_date,
    jst_datetime,
    jst_month,
    jst_period,
    jst_year,
    work_units,
    yen,
)

CATALOG = (
    Path(__file__).parent.parent / "teamhub" / "translations" / "ja" / "LC_MESSAGES" / "messages.po"
)
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def test_japanese_catalog_is_complete_and_keeps_placeholders():
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    messages = [m for m in catalog if m.id]
    assert len(messages) > 150
    missing = [m.id for m in messages if not m.string or m.fuzzy]
    assert missing == []
    for message in messages:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), message.id
        for string in strings:  # Japanese has one plural form: it must carry every placeholder
            assert set(PLACEHOLDER.findall(" ".join(ids))) == set(PLACEHOLDER.findall(string)), (
                message.id
            )


def test_every_string_in_the_code_is_in_the_catalog():
    from babel.messages.extract import extract_from_dir

    def key(context, message):  # a plural by its singular, a context beside its text
        return context, message if isinstance(message, str) else message[0]

    with CATALOG.open("rb") as handle:
        known = {key(m.context, m.id) for m in read_po(handle) if m.id}
    root = Path(__file__).parent.parent
    method_map = [("teamhub/**.py", "python"), ("teamhub/templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None,
                "pgettext": ((1, "c"), 2), "npgettext": ((1, "c"), 2, 3)}  # fmt: skip
    found = {
        key(context, message)
        for _file, _line, message, _comments, context in extract_from_dir(
            str(root), method_map, keywords=keywords
        )
    }
    assert found - known == set(), "run `make messages` and translate the new strings"


def test_pages_are_japanese_by_default(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="ja">' in page
    assert "ログイン" in page and "新規登録" in page
    login = client.get("/login").get_data(as_text=True)
    assert "メールアドレス" in login and "パスワード" in login


def test_error_pages_are_japanese(client):
    page = client.get("/no/such/page").get_data(as_text=True)
    assert "ページが見つかりません" in page


def test_yen_is_whole_with_separators():
    assert yen(12345) == "¥12,345"
    assert yen(0) == "¥0"
    assert yen(-500) == "-¥500"
    assert yen(1_000_000) == "¥1,000,000"


def test_times_are_shown_in_japan(app):
    with app.test_request_context():
        late_utc = datetime(2026, 3, 31, 15, 30, tzinfo=UTC)
        assert jst_datetime(late_utc) == "2026/04/01 00:30"
        # Texts are kept per moment: the same moment in another zone, or naive UTC (SQLite),
        # gives the same text; the next minute its own.
        assert jst_datetime(late_utc.astimezone(JST)) == "2026/04/01 00:30"
        assert jst_datetime(late_utc.replace(tzinfo=None)) == "2026/04/01 00:30"
        assert jst_datetime(late_utc + timedelta(minutes=1)) == "2026/04/01 00:31"
        assert jst_date(late_utc).startswith("2026/04/01")
        assert jst_date(date(2026, 12, 1)).startswith("2026/12/01")


def test_days_months_and_units_read_one_way_in_each_language(app):
    """One formatter for each: days 2026/12/05, months 2026年11月, a count after its unit."""
    from flask_babel import force_locale

    with app.test_request_context():
        assert jst_date("2026-12-05") == "2026/12/05（土）"  # as frozen notices keep days
        assert jst_date("2026-11-30T15:30:00+00:00") == "2026/12/01（火）"
        assert jst_month(date(2026, 11, 30)) == "2026年11月"
        assert jst_month(datetime(2026, 11, 30, 15, 30, tzinfo=UTC)) == "2026年12月"
        assert jst_year(date(2026, 11, 1)) == "2026年"
        assert jst_month(None) == jst_date("") == "—"
        with force_locale("en"):
            assert (jst_month(date(2026, 11, 1)), jst_year(date(2026, 11, 1))) == (
                "Nov 2026",
                "2026",
            )
    assert work_units("記事（3,000字）", 40) == "記事（3,000字） × 40"
    assert work_units("件", 1200) == "件 × 1,200"


def test_days_periods_and_lists_are_written_as_the_reader_writes_them(app):
    """Japanese brackets its weekdays （水）, runs a period with 〜 and lists with 、; English
    keeps (Wed), – and commas."""
    from flask_babel import force_locale

    with app.test_request_context():
        assert jst_date(date(2026, 4, 1)) == "2026/04/01（水）"
        assert (
            jst_period(date(2026, 10, 1), date(2026, 10, 31))
            == "2026/10/01（木）〜2026/10/31（土）"
        )
        assert join_list(["pdf", "png", "txt"]) == "pdf、png、txt" and join_list([]) == ""
        with force_locale("en"):
            assert jst_date(date(2026, 4, 1)) == "2026/04/01 (Wed)"
            assert jst_period(date(2026, 10, 1), date(2026, 10, 31)) == (
                "2026/10/01 (Thu) – 2026/10/31 (Sat)"
            )
            assert join_list(["pdf", "png"]) == "pdf and png"


def test_english_counts_take_their_plural_and_japanese_its_counter(app):
    from flask import render_template_string
    from flask_babel import force_locale

    template = "{{ ngettext('%(n)d module', '%(n)d modules', n, n=n) }}"
    with app.test_request_context():
        assert render_template_string(template, n=1) == "全1単元"
        with force_locale("en"):
            assert render_template_string(template, n=1) == "1 module"
            assert render_template_string(template, n=3) == "3 modules"


def test_templates_follow_a_language_switch_within_one_request(app):
    """Forcing another language within a request (as emails do) and coming back switches the
    template strings each time."""
    from flask import render_template_string
    from flask_babel import force_locale, refresh

    template = (
        "{{ _('Log in') }}|"
        "{{ ngettext('%(num)d notification marked read.', '%(num)d notifications marked read.', 2) }}"
    )
    ja, en = "ログイン|2件のお知らせを既読にしました。", "Log in|2 notifications marked read."
    with app.test_request_context():
        assert render_template_string(template) == ja
        with force_locale("en"):
            assert render_template_string(template) == en
        assert render_template_string(template) == ja
        app.config["BABEL_DEFAULT_LOCALE"] = "en"
        refresh()
        try:
            assert render_template_string(template) == en
        finally:
            app.config["BABEL_DEFAULT_LOCALE"] = "ja"


def test_template_strings_escape_their_values_and_keep_literal_percent_signs(app):
    """Values put into a translated string are escaped in HTML, never in plain text, and
    ``%%`` shows as ``%``."""
    from flask import render_template_string

    from teamhub.labels import label

    with app.test_request_context():
        html = render_template_string("{{ _('due %(when)s', when=value) }}", value="<b>&")
        assert html == "納期：&lt;b&gt;&amp;"
        assert render_template_string("{{ _('100%%') }}") == "100%"
        text = app.jinja_env.from_string("{% autoescape false %}{{ _('due %(when)s', when=v) }}"
                                         "{% endautoescape %}").render(v="<b>&")  # fmt: skip
        assert text == "納期：<b>&"
        assert label("state", "approved") == "承認済み"
        from flask_babel import force_locale

        with force_locale("en"):
            assert label("state", "approved") == "Approved"
        assert label("state", "approved") == "承認済み"


def test_templates_label_codes_in_the_request_language(app):
    """``label(kind, code)`` in templates: the code's label in the language of the render
    (also under ``force_locale``), an unknown code as it is."""
    from flask import render_template_string
    from flask_babel import force_locale

    template = (
        "{{ label('state', 'approved') }}|{{ label('role', 'director') }}"
        "|{{ label('skill', 'seo') }}|{{ label('state', 'mystery') }}"
    )
    with app.test_request_context():
        assert render_template_string(template) == "承認済み|ディレクター|SEO|mystery"
        with force_locale("en"):
            assert render_template_string(template) == "Approved|Director|SEO|mystery"
        assert render_template_string(template) == "承認済み|ディレクター|SEO|mystery"
