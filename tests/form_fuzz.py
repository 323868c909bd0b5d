"""The form fuzz's tools: find the forms a page shows, fill them in as a browser would, and the
hostile values (Hypothesis strategies) sent into one field at a time."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import sqlalchemy as sa
from hypothesis import strategies as st

from teamhub.extensions import db

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_NUMBER = re.compile(r"[0-9][0-9.,]*")
# Inputs a browser does not send as typed text.
_NOT_SENT = {"submit", "reset", "image", "button", "file"}


@dataclass
class Form:
    """One <form> as a page shows it: where it goes and what a browser would send."""

    action: str
    method: str
    multipart: bool
    fields: list[tuple[str, str]] = field(default_factory=list)
    # Every field a person can change, with its kind (text, number, date, select …).
    kinds: dict[str, str] = field(default_factory=dict)
    # The most characters a field takes (its maxlength): that much must be stored whole.
    longest: dict[str, int] = field(default_factory=dict)

    @property
    def key(self) -> tuple:
        """One form, whichever page or record shows it: the same route (ids and questions left
        out) and the same fields (rows of a list counted once)."""
        route = re.sub(r"/\d+(?=/|$)", "/N", self.action.split("?")[0])
        names = {re.sub(r"-\d+-", "-N-", name) for name in self.kinds}
        return (self.method, route, tuple(sorted(names)))

    def fuzzed_fields(self) -> dict[str, str]:
        """The fields to fuzz: of a list of rows, the first row's only."""
        return {
            name: kind for name, kind in self.kinds.items() if not re.search(r"-(?!0-)\d+-", name)
        }

    def sent_with(self, name: str, value: str) -> list[tuple[str, str]]:
        """The form as filled in, with ``name`` (every one of its values) replaced by ``value``."""
        kept = [(key, old) for key, old in self.fields if key != name]
        return [*kept, (name, value)]


def _kind(kind: str, value: str, inputmode: str) -> str:
    """What a field holds: a day or a number shown as text is fuzzed as one."""
    if _ISO_DAY.fullmatch(value):
        return "date"
    if kind == "text" and (inputmode in ("numeric", "decimal") or _NUMBER.fullmatch(value)):
        return "number"
    return kind


class PageForms(HTMLParser):
    """Collect the forms of a page and the same-site links it offers."""

    def __init__(self, url: str):
        super().__init__(convert_charrefs=True)
        self.url = url
        self.forms: list[Form] = []
        self.links: set[str] = set()
        self._form: Form | None = None
        self._select: tuple[str, list[str], list[str]] | None = None
        self._textarea: tuple[str, list[str]] | None = None
        self._radios: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.add(urljoin(self.url, a["href"]))
        elif tag == "form":
            action = urljoin(self.url, a.get("action") or self.url)
            multipart = a.get("enctype", "") == "multipart/form-data"
            self._form = Form(action, a.get("method", "get").upper(), multipart)
            self._radios = {}
        elif tag == "option" and self._select is not None:
            self._option(a)
        elif self._form is None or "name" not in a:
            return
        if a.get("maxlength", "").isdigit():
            self._form.longest[a["name"]] = int(a["maxlength"])
        if tag == "input":
            self._input(a)
        elif tag == "select":
            self._select = (a["name"], [], [])
        elif tag == "textarea":
            self._textarea = (a["name"], [])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def _input(self, a: dict) -> None:
        kind, name, value = a.get("type", "text").lower(), a["name"], a.get("value", "")
        if kind in _NOT_SENT:
            return
        if name != "csrf_token":
            self._form.kinds[name] = _kind(kind, value, a.get("inputmode", ""))
        if kind in ("checkbox", "radio"):
            if "checked" in a:
                self._form.fields.append((name, value or "on"))
            elif kind == "radio":
                self._radios.setdefault(name, value)
            return
        self._form.fields.append((name, value))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "option" or self._form is None:
            return
        if tag == "select" and self._select is not None:
            self._end_select()
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self._form.kinds[name] = "textarea"
            self._form.fields.append((name, "".join(text)))
            self._textarea = None
        elif tag == "form":
            self._end_form()

    def _option(self, a: dict) -> None:
        _name, values, chosen = self._select
        values.append(a.get("value", ""))
        if "selected" in a:
            chosen.append(a.get("value", ""))

    def _end_select(self) -> None:
        name, values, chosen = self._select
        self._form.kinds[name] = "select"
        picked = chosen or values[:1]
        self._form.fields.extend((name, value) for value in picked)
        self._select = None

    def _end_form(self) -> None:
        sent = {name for name, _ in self._form.fields}
        # A radio group with nothing checked: a person would pick one.
        self._form.fields.extend((n, v) for n, v in self._radios.items() if n not in sent)
        self.forms.append(self._form)
        self._form = None


def read_page(url: str, html: str) -> tuple[list[Form], set[str]]:
    """The forms of a page that change something (POST), and the paths of its same-site links."""
    parser = PageForms(url)
    parser.feed(html)
    local = {urlsplit(link) for link in parser.links}
    paths = {
        link.path + (f"?{link.query}" if link.query else "")
        for link in local
        if link.netloc in ("", "localhost") and link.path.startswith("/")
    }
    for form in parser.forms:
        parts = urlsplit(form.action)
        form.action = parts.path + (f"?{parts.query}" if parts.query else "")
    # A form that asks for a page (GET) leads to it as a link does, filled in as shown.
    paths |= {
        f"{f.action.split('?')[0]}?{urlencode(f.fields)}"
        for f in parser.forms
        if f.method == "GET" and f.fields
    }
    return [f for f in parser.forms if f.method == "POST"], paths


# Hostile values, by the kind of mistake or attack ---------------------------------------------

_DIGITS = st.integers(min_value=0, max_value=9).map(str)
_ISO = "{:04d}-{:02d}-{:02d}"

MUTATIONS = {
    "empty": st.sampled_from(["", " ", "\u3000", "\t\n"]),
    "huge": st.tuples(st.integers(1_000, 120_000), st.sampled_from(["9", "あ", "a "])).map(
        lambda t: t[1] * t[0]
    ),
    "negative": st.one_of(
        st.just("-1"), st.integers(max_value=-1).map(str), st.just("-0"), st.just("－５")
    ),
    "non_numeric": st.one_of(
        st.sampled_from(["abc", "1,2,3", "--1", "0x1F", "1_000", "፩", "²", "１２a", "1.5"]),
        st.text(st.characters(categories=["L", "P", "S"]), min_size=1, max_size=20),
    ),
    "nan": st.sampled_from(["NaN", "nan", "inf", "-Infinity"]),
    # What traps Decimal: a signalling NaN, an exponent past any context.
    "decimal_trap": st.sampled_from(
        ["sNaN", "1e999999999", "-1E+999999999999999999", "1e-999999999"]
    ),
    "exponent": st.one_of(
        st.sampled_from(["1e309", "-1e309", "1e-309", "1e999999999999"]),
        st.integers(min_value=309).map(lambda n: f"1e{n}"),
    ),
    "too_big": st.one_of(
        st.sampled_from([str(2**63), str(2**64), str(2**31), "9" * 40]),
        st.integers(min_value=2**31).map(str),
    ),
    "bad_date": st.one_of(
        st.sampled_from(
            ["2026-02-30", "2026-13-01", "2026-00-10", "20261205", "2026/12/5", "0000-00-00"]
        ),
        st.tuples(st.integers(0, 99999), st.integers(0, 99), st.integers(0, 99)).map(
            lambda t: f"{t[0]}-{t[1]}-{t[2]}"
        ),
    ),
    "extreme_date": st.one_of(
        st.sampled_from(["0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01"]),
        st.dates(max_value=date(1999, 12, 31)).map(lambda d: _ISO.format(d.year, d.month, d.day)),
        st.dates(min_value=date(2101, 1, 1)).map(lambda d: _ISO.format(d.year, d.month, d.day)),
    ),
    "bad_time": st.sampled_from(["25:00", "23:60", "-1:00", "12", "12:00:99", "noon"]),
    "nul": st.one_of(
        st.just("\x00"),
        st.text(max_size=10).map(lambda s: f"a\x00{s}"),
        _DIGITS.map(lambda d: d + "\x00"),
    ),
    "markup": st.sampled_from(
        [
            "<script>alert(1)</script>",
            '"><img src=x onerror=alert(1)>',
            "javascript:alert(1)",
            "{{ 7*7 }}{% raw %}",
            "'; DROP TABLE person; --",
            "%s%n%x",
            "\u202etxt.exe",
            "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
        ]
    ),
}


def longest(characters: int) -> st.SearchStrategy[str]:
    """Text as long as a field allows, in letters of one, two or four bytes."""
    return st.sampled_from(["a", "あ", "😀"]).map(lambda letter: letter * characters)


def mutations_for(kind: str) -> list[str]:
    """The classes of hostile value worth sending into a field of this kind."""
    if kind in ("text", "textarea", "email", "password", "url", "search", "tel"):
        return ["empty", "huge", "nul", "markup"]
    if kind == "date":
        return ["empty", "huge", "nul", "bad_date", "extreme_date"]
    if kind == "time":
        return ["empty", "nul", "bad_time"]
    if kind == "checkbox":
        return ["nul", "non_numeric"]
    # Numbers, hidden ids, selects and radios: what a page never offers.
    return [
        *["empty", "huge", "nul", "negative", "non_numeric"],
        *["nan", "exponent", "decimal_trap", "too_big"],
    ]


# What a refused request must leave as it was ----------------------------------------------------


def snapshot(connection) -> dict:
    """Every row of every table, as the connection sees it."""
    return {
        table.name: sorted(map(repr, connection.execute(sa.select(table)).all()))
        for table in db.metadata.sorted_tables
    }


def digest_query(dialect) -> sa.TextClause:
    """One statement that reads every row of every table as one text per table (a digest on
    PostgreSQL): comparing two answers tells whether any row changed, in one round trip."""
    # Table and column names come from the metadata, quoted by the dialect.
    quote = dialect.identifier_preparer.quote
    postgresql = "(SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {} t)"
    sqlite = "(SELECT group_concat(r, '|') FROM (SELECT {} AS r FROM {} ORDER BY 1))"
    parts = []
    for table in db.metadata.sorted_tables:
        if dialect.name == "postgresql":
            parts.append(postgresql.format(quote(table.name)))
        else:
            row = " || ',' || ".join(f"quote({quote(c.name)})" for c in table.columns)
            parts.append(sqlite.format(row, quote(table.name)))
    return sa.text("SELECT " + ", ".join(parts))


def changed_tables(before: dict, after: dict) -> dict:
    """For each table that differs: the rows added and the rows gone."""
    out = {}
    for name, rows in after.items():
        if rows != before[name]:
            added = sorted(set(rows) - set(before[name]))[:3]
            gone = sorted(set(before[name]) - set(rows))[:3]
            out[name] = {"added": added, "gone": gone}
    return out


def private_engine(url: str) -> sa.Engine:
    """An engine whose transactions can hold savepoints on SQLite too (pysqlite begins and
    commits by itself unless told not to; SQLAlchemy's documented work-around)."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    if engine.dialect.name == "sqlite":

        @sa.event.listens_for(engine, "connect")
        def _connect(dbapi_connection, _record):
            dbapi_connection.isolation_level = None
            with contextlib.closing(dbapi_connection.cursor()) as cursor:
                cursor.execute("PRAGMA foreign_keys=ON")

        @sa.event.listens_for(engine, "begin")
        def _begin(connection):
            connection.exec_driver_sql("BEGIN")

    return engine
