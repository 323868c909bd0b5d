"""Query helpers on their way out (issue 25): nothing new should use them."""

from __future__ import annotations

import collections
import functools
import operator
from collections.abc import Sequence

import sqlalchemy as sa


def sql_constant(value: int | str) -> sa.ColumnElement:
    """A constant of the code (a state, a flag's 1 or 0) written into a statement's SQL instead
    of being sent as a bound parameter: the statements pages run on every visit are built once,
    and each parameter costs its conversion on every execution (My assignments had 41)."""
    if isinstance(value, bool) or not isinstance(value, int | str) or "%" in str(value):
        raise TypeError(f"not a constant for SQL: {value!r}")
    if isinstance(value, int):
        return sa.literal_column(str(value), sa.Integer())
    return sa.literal_column("'" + value.replace("'", "''") + "'", sa.String())


class RowKinds:
    """Several kinds of rows read in one statement, a union of one select per kind: one round
    trip instead of several (each query costs a page ~0.2 ms of the app's CPU besides the
    database's).

    Each kind is given as its values (name: SQL expression). The kinds share the union's
    columns: a value takes a column of its type that its kind has not taken yet, so the rows
    are as narrow as the widest kind (each column of each row costs its reading). Every row
    also carries its kind and a ``position``, which orders the rows of each kind: they are
    sorted here, not by the database (whose sort of the whole union's wide rows cost more)."""

    def __init__(self, **kinds: dict[str, sa.ColumnElement]):
        self._values = kinds
        self._types: list[sa.types.TypeEngine] = []
        self._columns_of: dict[str, dict[str, int]] = {}
        for kind, values in kinds.items():
            self._columns_of[kind] = columns = {}
            for name, value in values.items():
                columns[name] = self._free_column(value.type, set(columns.values()))
        self._records = {
            kind: _record_maker(tuple(columns), [2 + index for index in columns.values()])
            for kind, columns in self._columns_of.items()
        }

    def _free_column(self, type_: sa.types.TypeEngine, taken: set[int]) -> int:
        for index, existing in enumerate(self._types):
            if index not in taken and type(existing) is type(type_):
                return index
        if isinstance(type_, sa.types.NullType):
            raise TypeError("give each value of a kind of row a type")
        self._types.append(type_)
        return len(self._types) - 1

    def select_list(self, kind: str, position: sa.ColumnElement) -> list[sa.ColumnElement]:
        """The select list of ``kind``'s select: its values, typed nulls in the other columns."""
        value_at = {
            index: self._values[kind][name] for name, index in self._columns_of[kind].items()
        }
        return [
            sql_constant(kind).label("kind"),
            position.label("position"),
            *(
                value_at.get(index, sa.cast(sa.null(), type_)).label(f"c{index}")
                for index, type_ in enumerate(self._types)
            ),
        ]

    def sorted_out(self, rows: Sequence[sa.Row]) -> dict[str, list]:
        """The union's rows by kind, each a named tuple of its kind's values, in the order of
        their positions."""
        found: dict[str, list] = {kind: [] for kind in self._records}
        for row in sorted(rows, key=_POSITION):
            found[row[0]].append(self._records[row[0]](row))
        return found


_POSITION = operator.itemgetter(1)


def _record_maker(fields: tuple[str, ...], indices: list[int]):
    """A function making a named tuple of ``fields`` from a row's values at ``indices``."""
    make, values = _record_class(fields)._make, operator.itemgetter(*indices)
    if len(indices) == 1:
        return lambda row: make((values(row),))
    return lambda row: make(values(row))


@functools.lru_cache(maxsize=256)
def _record_class(fields: tuple[str, ...]) -> type:
    return collections.namedtuple("Record", fields, rename=True)


def as_records(rows: Sequence[sa.Row], first: int = 0) -> list:
    """Rows as named tuples, for lists whose fields are read again and again (a page's
    template reads each row's fields several times): a Row's field by name costs ~0.3 µs, a
    named tuple's ~0.03 µs, making it ~0.35 µs a row. My assignments: 4% of its CPU.
    ``first``: the records leave out the columns before it (an entity read beside the list)."""
    if not rows:
        return []
    make = _record_class(tuple(rows[0]._fields[first:]))._make
    if first:
        return [make(row[first:]) for row in rows]
    return [make(row) for row in rows]


def read_records(statement: sa.Executable, parameters: dict | None = None) -> list:
    """:func:`read_rows` as named tuples (:func:`as_records`)."""
    return as_records(read_rows(statement, parameters))


def read_rows(statement: sa.Executable, parameters: dict | None = None) -> list[sa.Row]:
    """The rows of a statement that selects columns (not ORM entities), run on the session's
    connection: the same transaction, after the same autoflush, without the ORM session's work
    around each execution (~0.1 ms a query on the pages every member opens)."""
    from teamhub.extensions import db

    db.session.flush()
    return db.session.connection().execute(statement, parameters or {}).all()
