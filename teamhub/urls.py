"""``url_for`` for templates, remembered per process.

A page builds 20 to 60 links (the header, the team's navigation, one per row); Flask's
``url_for`` matches the endpoint's rule and quotes its values again each time (~10 µs). A link
depends only on the endpoint, its values and where the app is mounted, none of which changes
while the process runs, so each one is built once and then looked up.
"""

from __future__ import annotations

import functools

from flask import current_app, request, url_for

# Links of rows (an assignment, a cohort) are many; the least used are dropped past this.
CACHED_LINKS = 8192


def template_url_for(endpoint: str, **values) -> str:
    """Flask's ``url_for`` for a relative link, remembered; anything else (``_external``,
    ``_anchor``, a blueprint-relative endpoint, URL default functions) goes to Flask's."""
    app = current_app._get_current_object()
    if endpoint[0] == "." or app.url_default_functions or any(k[0] == "_" for k in values):
        return url_for(endpoint, **values)
    # Each value's type is part of the key: 1 and True are equal keys but different links.
    key = tuple(sorted((name, type(value), value) for name, value in values.items()))
    try:
        return _built(_place(app), endpoint, key)
    except TypeError:  # a value that cannot be a key (a list for a repeated query argument)
        return url_for(endpoint, **values)


def _place(app) -> tuple:
    """What a relative link depends on besides its endpoint and values: the app's routes, the
    mount point and the host, read once per request (a page builds dozens of links)."""
    current = request._get_current_object()
    place = current.__dict__.get("_teamhub_link_place")
    if place is None:
        place = current._teamhub_link_place = (id(app.url_map), current.script_root, current.host)
    return place


@functools.lru_cache(maxsize=CACHED_LINKS)
def _built(_place: tuple, endpoint: str, values: tuple) -> str:
    # The map, root and host are in the key: the app's routes and what the request adds.
    return url_for(endpoint, **{name: value for name, _type, value in values})
