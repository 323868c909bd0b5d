"""Language, time zone and the filters that show yen and Japan time."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import Flask, current_app, request, session
from flask_babel import format_date, format_datetime, get_locale
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


def jst_weekday_datetime(value: datetime) -> str:
    """A moment as Japan time with its weekday in the reader's language: '2026/04/01 (水) 00:30'."""
    return format_datetime(value, "yyyy/MM/dd (EEE) HH:mm")


def jst_date(value: date | datetime | None) -> str:
    """A day as Japan's calendar has it, with the weekday: '2026/04/01 (水)'."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = in_japan(value).date()
    return format_date(value, "yyyy/MM/dd (EEE)")


def register_filters(app: Flask) -> None:
    app.jinja_env.filters["yen"] = yen
    app.jinja_env.filters["jst"] = jst_datetime
    app.jinja_env.filters["jst_date"] = jst_date
    app.jinja_env.globals.update(
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        get_locale=get_locale,
        label=labels.label,
        percent=bp_to_percent,
        parse_iso=datetime.fromisoformat,
    )
