"""Language, time zone and the filters that show yen and Japan time."""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime

from babel.dates import format_date as babel_format_date
from flask import Flask, current_app, g, request, session
from flask_babel import format_datetime, get_locale, get_translations
from flask_login import current_user
from jinja2 import pass_eval_context
from markupsafe import Markup

from teamhub.clock import JST

LANGUAGE_NAMES = {"ja": "日本語", "en": "English"}


def select_locale() -> str:
    """The signed-in person's language, else the one chosen in this browser, else Japanese."""
    languages = current_app.config["LANGUAGES"]
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


def jst_datetime(value: datetime | None, fmt: str = "medium") -> str:
    if value is None:
        return "—"
    if fmt == "medium":
        return _medium_text(value if value.tzinfo else value.replace(tzinfo=UTC))
    return format_datetime(value, fmt)


@functools.lru_cache(maxsize=4096)
def _medium_text(aware: datetime) -> str:
    """The same text Babel's "yyyy/MM/dd HH:mm" gives, once per moment: a member's list shows
    the same due times on every visit (equal moments in any zone are one key, one text)."""
    return aware.astimezone(JST).strftime("%Y/%m/%d %H:%M")


def jst_date(value: date | datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        value = aware.astimezone(JST).date()
    return _date_text(value, _request_locale())


def _request_locale() -> str:
    """The language Flask-Babel chose for this request, as text (kept with the catalog)."""
    return _request_catalog()[2]


@functools.lru_cache(maxsize=4096)
def _date_text(day: date, locale: str) -> str:
    """Babel's "yyyy/MM/dd (EEE)" for a day, once per day and language: pages list many dates."""
    return babel_format_date(day, "yyyy/MM/dd (EEE)", locale=locale)


def _label(labels: dict):
    return lambda code: label_text(labels[code]) if code in labels else code


def _bound_label(labels: dict, texts: dict):
    """:func:`_label` for one render: the request's translated labels found once (``texts``),
    not again for each row of a list."""

    def label(code):
        lazy = labels.get(code)
        if lazy is None:
            return code
        kept = texts.get(id(lazy))
        if kept is None:
            kept = texts[id(lazy)] = (lazy, str(lazy))
        return kept[1]

    return label


def request_translations():
    """Flask-Babel's catalog for the current language, remembered for the rest of the request.

    Templates translate dozens of strings per page; Flask-Babel looks the language and catalog
    up again for each (~10 µs). The catalog is kept beside Flask-Babel's own per-request locale
    and used while that locale object stays the same, so ``force_locale`` (emails in the
    recipient's language) and ``refresh`` still switch it.
    """
    return _request_catalog()[0]


def label_text(label) -> str:
    """A lazily translated label (``lazy_gettext``) as text in this request's language.

    Lists show the same few labels on every row (an assignment's state, a member's role);
    each is translated once per request and language.
    """
    texts = _request_catalog()[1]
    # Keyed by identity: a LazyString's own hash translates it. The label is kept with its
    # text, so its id cannot be reused by another object during the request.
    kept = texts.get(id(label))
    if kept is None:
        kept = texts[id(label)] = (label, str(label))
    return kept[1]


def _request_catalog() -> tuple:
    """(catalog, labels translated so far, language code) of this request's language."""
    locale = get_locale()  # Flask-Babel's, chosen once per request and kept in its state
    babel_state = g.get("_flask_babel") if locale is not None else None
    if babel_state is None:  # outside a request
        return get_translations(), {}, str(locale)
    kept = getattr(babel_state, "teamhub_catalog", None)
    if kept is not None and kept[0] is locale:
        return kept[1]
    catalog = (get_translations(), {}, str(locale))
    babel_state.teamhub_catalog = (locale, catalog)
    return catalog


def install_template_gettext(app: Flask) -> None:
    """Templates' ``_``/``ngettext`` through :func:`request_translations` (Flask-Babel's
    installation, with the catalog found once per request)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
    )


def bound_template_gettext() -> dict:
    """Context processor: ``_`` and the label functions (``state_label``…) bound to this
    render's catalog.

    Jinja's own ``_`` finds the catalog and goes through two context calls for every string
    (~11 µs; a page translates about 40). This one looks the catalog up once per render and
    does what Jinja's newstyle gettext does: escape-safe text, ``%`` formatting with the
    keyword arguments. Templates imported without context (macros) keep Jinja's ``_``.
    """
    catalog, texts, _language = _request_catalog()
    lookup = catalog.ugettext

    @pass_eval_context
    def gettext(eval_ctx, string: str, **variables):
        text = lookup(string)
        if eval_ctx.autoescape:
            text = Markup(text)  # noqa: S704 (our own catalog, as Jinja's newstyle gettext)
        return text % variables if variables or "%" in text else text

    return {"_": gettext, **{name: _bound_label(labels, texts) for name, labels in _LABELS.items()}}


# Templates' label functions (``state_label(code)``…): name → the codes' lazy labels.
_LABELS: dict[str, dict] = {}


def register_filters(app: Flask) -> None:
    from teamhub.assignments.models import STATE_LABELS
    from teamhub.skills import SKILL_LABELS
    from teamhub.teams.models import PAYER_TYPE_LABELS, PLATFORM_LABELS, ROLE_LABELS
    from teamhub.teams.rules import bp_to_percent

    _LABELS.update(
        role_label=ROLE_LABELS,
        payer_type_label=PAYER_TYPE_LABELS,
        platform_label=PLATFORM_LABELS,
        skill_label=SKILL_LABELS,
        state_label=STATE_LABELS,
    )
    install_template_gettext(app)
    app.context_processor(bound_template_gettext)
    app.jinja_env.filters["yen"] = yen
    app.jinja_env.filters["jst"] = jst_datetime
    app.jinja_env.filters["jst_date"] = jst_date
    app.jinja_env.globals.update(
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        get_locale=get_locale,
        role_label=_label(ROLE_LABELS),
        payer_type_label=_label(PAYER_TYPE_LABELS),
        platform_label=_label(PLATFORM_LABELS),
        skill_label=_label(SKILL_LABELS),
        percent=bp_to_percent,
        state_label=_label(STATE_LABELS),
        parse_iso=datetime.fromisoformat,
    )
