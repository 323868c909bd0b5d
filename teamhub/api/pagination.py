"""Lists paginated by an opaque cursor: a keyset on the list's order, never an offset.

A cursor is the sort key of the last item shown, base64url-encoded JSON; the next page starts
after it, so rows added or removed meanwhile never shift a page or show an item twice."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask import request, url_for
from flask_babel import gettext as _
from pydantic import BaseModel, Field

from teamhub.errors import Invalid
from teamhub.extensions import db

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


class PageQuery(BaseModel):
    cursor: str | None = Field(None, description="From `next` of the page before.")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page.")


LINK_HEADER = {
    "Link": {
        "description": 'The next page, as `<url>; rel="next"`, when there is one.',
        "required": False,
        "schema": {"type": "string"},
    }
}

_DECODERS: dict[str, Callable[[Any], Any]] = {
    "int": int,
    "datetime": datetime.fromisoformat,
    "date": date.fromisoformat,
}


def _encode(values: Sequence[Any]) -> str:
    plain = [v.isoformat() if isinstance(v, date | datetime) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode().rstrip("=")


def _decode(cursor: str, kinds: Sequence[str]) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(values, list) or len(values) != len(kinds):
            raise ValueError(cursor)
        return [_DECODERS[kind](value) for kind, value in zip(kinds, values, strict=True)]
    except (ValueError, TypeError, KeyError, UnicodeDecodeError) as error:
        message = _("This cursor is not valid. Start again from the first page.")
        raise Invalid(message, {"cursor": message}) from error


class Keyset:
    """A list's order: columns all ascending or all descending, the last one unique (the id).
    ``kinds`` says how each column's value is written in the cursor (int, datetime, date)."""

    def __init__(self, columns: Sequence[Any], kinds: Sequence[str], descending: bool = False):
        self.columns, self.kinds, self.descending = list(columns), list(kinds), descending

    def page(self, query: sa.Select, paging: PageQuery) -> tuple[list[Any], str | None]:
        """One page of ``query``'s rows (as ``db.session.execute`` gives them) and the
        cursor of the next, or None on the last page. ``query`` selects the order's columns
        last, in order, after what the caller reads."""
        order = [c.desc() if self.descending else c.asc() for c in self.columns]
        query = query.order_by(*order)
        if paging.cursor:
            after = _decode(paging.cursor, self.kinds)
            key = sa.tuple_(*self.columns)
            last = sa.tuple_(
                *(sa.literal(v, c.type) for c, v in zip(self.columns, after, strict=True))
            )
            query = query.where(key < last if self.descending else key > last)
        rows = list(db.session.execute(query.limit(paging.limit + 1)))
        more = len(rows) > paging.limit
        rows = rows[: paging.limit]
        if not more:
            return rows, None
        width = len(self.columns)
        return rows, _encode(list(rows[-1])[-width:])


def next_url(cursor: str | None, limit: int) -> str | None:
    """The address of the next page: this request's, with the cursor."""
    if cursor is None:
        return None
    return url_for(
        request.endpoint, **request.view_args, cursor=cursor, limit=limit, _external=True
    )


def link_header(url: str | None) -> dict[str, str]:
    return {"Link": f'<{url}>; rel="next"'} if url else {}


def requested() -> PageQuery:
    """The page the request asks for (its query string, as the schema validated it)."""
    return request.context.query
