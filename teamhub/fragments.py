"""Fragments of pages written once and reused, keyed by everything they show.

Every team page shows the same navigation for the same team, role and language; writing it
(a dozen links and labels) cost ~0.1 ms a page. A fragment's template gets only the plain
values it is cached by, so what it writes cannot depend on anything else of the request, and
a fragment is never stale: other values are another fragment.

Two sizes: small fragments (navigation, a few hundred bytes) are kept by the thousand; page
sections (the split page's team table and form rows, tens of KB) by the hundred, so each
worker holds at most a few MB of them.
"""

from __future__ import annotations

import functools

from flask import render_template, request
from flask_babel import get_locale
from markupsafe import Markup


def cached_fragment(template: str, **values) -> Markup:
    """``template`` written with ``values`` (plain, hashable), once per values, language and
    mount point in each worker."""
    return _small(template, *_place(), tuple(sorted(values.items())))


def cached_section(template: str, **values) -> Markup:
    """:func:`cached_fragment` for a large part of a page: fewer are kept."""
    return _large(template, *_place(), tuple(sorted(values.items())))


def _place() -> tuple[str, str]:
    return request.script_root, str(get_locale())


def _written(template: str, _script_root: str, _language: str, values: tuple) -> Markup:
    return Markup(render_template(template, **dict(values)))  # noqa: S704 - Jinja escaped it


_small = functools.lru_cache(maxsize=4096)(_written)
_large = functools.lru_cache(maxsize=256)(_written)
