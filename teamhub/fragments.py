"""Fragments of pages written once and reused: the team and organisation navigation.

Every team page shows the same navigation for the same team, role and language; writing it
(a dozen links and labels) cost ~0.1 ms a page. A fragment's template gets only the plain
values it is cached by, so what it writes cannot depend on anything else of the request.
"""

from __future__ import annotations

import functools

from flask import render_template, request
from flask_babel import get_locale
from markupsafe import Markup


def cached_fragment(template: str, **values) -> Markup:
    """``template`` written with ``values`` (plain, hashable), once per values, language and
    mount point in each worker."""
    return _written(template, request.script_root, str(get_locale()), tuple(sorted(values.items())))


@functools.lru_cache(maxsize=4096)
def _written(template: str, _script_root: str, _language: str, values: tuple) -> Markup:
    return Markup(render_template(template, **dict(values)))  # noqa: S704 - Jinja escaped it
