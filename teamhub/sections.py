"""Sections of pages kept by Flask-Caching (``{% cache %}``), each under a key of what it shows.

A section's key is a digest of every value it shows, beside the language and the page's place:
any change of them is another key, never a stale section (``shown_key``).
"""

from __future__ import annotations

import hashlib


def shown_key(*shown) -> str:
    """A digest of every value a section shows, for its ``{% cache %}`` key."""
    return hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()
