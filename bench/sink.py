"""Bulk writers: PostgreSQL COPY through psycopg 3, or batched executemany on SQLite."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from tqdm import tqdm

BATCH = 20_000


def plain_url(url: str) -> str:
    """The libpq URL of a SQLAlchemy ``postgresql+psycopg://`` URL."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def sqlite_path(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def _progress(rows: Iterable, table: str, total: int | None):
    return tqdm(rows, desc=f"{table:<20}", total=total, unit=" rows", unit_scale=True, leave=True)


class PostgresSink:
    dialect = "postgresql"

    def __init__(self, url: str):
        self.conn = psycopg.connect(plain_url(url), autocommit=False)

    def copy(self, table: str, columns: Sequence[str], rows: Iterable[tuple], total=None) -> None:
        names = ", ".join(f'"{c}"' for c in columns)
        with self.conn.cursor() as cur, cur.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
            for row in _progress(rows, table, total):
                copy.write_row(row)

    def execute(self, sql: str, params=None) -> None:
        with self.conn.cursor() as cur:
            cur.execute(sql, params)

    def scalar(self, sql: str, params=None):
        with self.conn.cursor() as cur:
            cur.execute(sql, params)
            row = cur.fetchone()
            return row[0] if row else None

    def reset_sequences(self, tables: Iterable[str]) -> None:
        for table in tables:
            self.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                f'COALESCE((SELECT max(id) FROM "{table}"), 0) + 1, false)'
            )

    def commit(self) -> None:
        self.conn.commit()

    def analyze(self) -> None:
        self.conn.commit()
        self.conn.autocommit = True
        self.execute("VACUUM ANALYZE")
        self.conn.autocommit = False

    def close(self) -> None:
        self.conn.close()


def _sqlite_value(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


class SqliteSink:
    dialect = "sqlite"

    def __init__(self, url: str):
        self.conn = sqlite3.connect(sqlite_path(url))
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=OFF")

    def copy(self, table: str, columns: Sequence[str], rows: Iterable[tuple], total=None) -> None:
        names = ", ".join(f'"{c}"' for c in columns)
        sql = f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns))})'
        batch = []
        for row in _progress(rows, table, total):
            batch.append(tuple(_sqlite_value(v) for v in row))
            if len(batch) >= BATCH:
                self.conn.executemany(sql, batch)
                batch.clear()
        if batch:
            self.conn.executemany(sql, batch)

    def execute(self, sql: str, params=None) -> None:
        self.conn.execute(sql, params or ())

    def scalar(self, sql: str, params=None):
        row = self.conn.execute(sql, params or ()).fetchone()
        return row[0] if row else None

    def reset_sequences(self, tables: Iterable[str]) -> None:
        """SQLite's rowids continue from the largest id by themselves."""

    def commit(self) -> None:
        self.conn.commit()

    def analyze(self) -> None:
        self.conn.commit()
        self.conn.execute("ANALYZE")
        self.conn.commit()

    def close(self) -> None:
        self.conn.close()


def open_sink(url: str):
    return PostgresSink(url) if url.startswith("postgresql") else SqliteSink(url)
