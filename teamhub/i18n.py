"""Language, time zone and the filters that show yen and Japan time."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from functools import lru_cache

from babel.dates import format_date as babel_format_date
from babel.dates import format_skeleton
from babel.lists import format_list
from flask import Flask, current_app, request, session
from flask_babel import format_datetime, get_locale, gettext
from flask_login import current_user

from teamhub import labels
from teamhub.clock import JST
from teamhub.money import bp_to_percent

LANGUAGE_NAMES = {"ja": "日本語", "en": "English"}


# Requests under this path (the JSON API) get the language they ask for (Accept-Language),
# else Japanese: never a cookie's or a session's.
API_PATH = "/api/"


def select_locale() -> str:
    """The signed-in person's language, else the one chosen in this browser, else Japanese;
    on the API, the request's language (Accept-Language), else Japanese."""
    languages = current_app.config["LANGUAGES"]
    if request and request.path.startswith(API_PATH):
        default = current_app.config["BABEL_DEFAULT_LOCALE"]
        return request.accept_languages.best_match(languages, default=default)
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("lang") if request else None
    return chosen if chosen in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def yen(amount: int | None) -> str:
    """Format whole yen: 12345 → '¥12,345', -500 → '-¥500'."""
    if amount is None:
        return "—"
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(int(amount)):,}"


def in_japan(value: datetime) -> datetime:
    """A stored moment (UTC; naive from SQLite) in Japan time, where teamhub's people are."""
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(JST)


def jst_datetime(value: datetime | None) -> str:
    """A stored moment (UTC; naive from SQLite) as Japan time: '2026/04/01 00:30' (digits
    only, the same in every language)."""
    if value is None:
        return "—"
    return in_japan(value).strftime("%Y/%m/%d %H:%M")


def _day_pattern(time: str = "", locale: str | None = None) -> str:
    """A day with its weekday bracketed as the reader writes it, （水） in Japanese, then ``time``."""
    if (locale or str(get_locale())) == "ja":
        return "yyyy/MM/dd（EEE）" + time
    return "yyyy/MM/dd (EEE)" + (f" {time}" if time else "")


def jst_weekday_datetime(value: datetime) -> str:
    """A moment as Japan time with its weekday in the reader's language: '2026/04/01（水）00:30'."""
    return format_datetime(value, _day_pattern("HH:mm"))


def _japan_day(value: date | datetime | str) -> date:
    """The day in Japan of a moment, a day, or a day written ``2026-12-05`` (as frozen notices
    and notifications keep them)."""
    if isinstance(value, str):
        value = (
            date.fromisoformat(value[:10]) if len(value) <= 10 else datetime.fromisoformat(value)
        )
    if isinstance(value, datetime):
        return in_japan(value).date()
    return value


# How a day is written: with its weekday (the pattern), as a month or a year (Babel skeletons).
DAY, MONTH, YEAR = "day", "yMMM", "y"


@lru_cache(maxsize=4096)
def _day_text(day: date, locale: str, form: str) -> str:
    """A day written in ``form`` in ``locale``. A day's text never changes and pages list the
    same days again and again (periods, due dates), so Babel writes each one once per language."""
    if form == DAY:
        return babel_format_date(day, _day_pattern(locale=locale), locale=locale)
    return format_skeleton(form, day, locale=locale)


def _shown_day(value: date | datetime | str | None, form: str) -> str:
    if value is None or value == "":
        return "—"
    return _day_text(_japan_day(value), str(get_locale()), form)


def jst_date(value: date | datetime | str | None) -> str:
    """A day as Japan's calendar has it, with the weekday: '2026/04/01（水）'."""
    return _shown_day(value, DAY)


def jst_month(value: date | datetime | str | None) -> str:
    """A calendar month in the reader's language: '2026年11月' (English 'Nov 2026')."""
    return _shown_day(value, MONTH)


def jst_year(value: date | datetime | str | None) -> str:
    """A calendar year in the reader's language: '2026年' (English '2026')."""
    return _shown_day(value, YEAR)


def work_units(unit_name: str, count: int) -> str:
    """A count of units of work, the unit's name first so a name that starts with a number
    never runs into the count: '記事（3,000字） × 40'."""
    return f"{unit_name} × {count:,}"


def jst_period(start: date | datetime | None, end: date | datetime | None) -> str:
    """From one day to another, written one way: '2026/10/01（木）〜2026/10/31（土）'."""
    return gettext("%(start)s – %(end)s", start=jst_date(start), end=jst_date(end))


def join_list(items: Iterable[object]) -> str:
    """Items as the reader lists them: 'a、b、c' in Japanese, 'a, b, and c' in English."""
    shown = [str(item) for item in items]
    return format_list(shown, locale=get_locale() or "ja") if shown else ""


def register_filters(app: Flask) -> None:
    app.jinja_env.filters["yen"] = yen
    app.jinja_env.filters["jst"] = jst_datetime
    app.jinja_env.filters["jst_date"] = jst_date
    app.jinja_env.filters["jst_month"] = jst_month
    app.jinja_env.filters["jst_year"] = jst_year
    app.jinja_env.filters["join_list"] = join_list
    app.jinja_env.globals["jst_period"] = jst_period
    app.jinja_env.globals.update(
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        get_locale=get_locale,
        label=labels.label,
        percent=bp_to_percent,
        work_units=work_units,
        parse_iso=datetime.fromisoformat,
    )
