"""The words for the codes features store (states, roles, skills…), in the reader's language.

Each feature registers its labels (lazy strings, keyed by code) under a kind, beside the models
that store the codes; pages show them with ``label(kind, code)``. This module imports no feature.
"""

from __future__ import annotations

from collections.abc import Mapping

_REGISTERED: dict[str, Mapping[str, object]] = {}


def register(kind: str, labels: Mapping[str, object]) -> Mapping[str, object]:
    """Make ``labels`` (code → lazy text) the words of ``kind``; return them."""
    _REGISTERED[kind] = labels
    return labels


def label(kind: str, code: str | None) -> str:
    """The word for ``code`` in the current language; an unknown code as it is."""
    text = _REGISTERED[kind].get(code)
    return str(code) if text is None else str(text)
