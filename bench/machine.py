"""What the benchmark ran on: CPU, cores, memory, Python, PostgreSQL, SQLite, date."""

from __future__ import annotations

import os
import platform
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import psycopg

from bench.sink import plain_url


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def _postgres_version(url: str) -> str:
    """The server's version and the settings that matter here (left at Debian's defaults)."""
    with psycopg.connect(plain_url(url)) as connection:
        shown = {
            name: connection.execute(f"SHOW {name}").fetchone()[0]
            for name in ("server_version", "shared_buffers", "work_mem")
        }
    return (
        f"{shown['server_version']} (shared_buffers {shown['shared_buffers']}, "
        f"work_mem {shown['work_mem']})"
    )


def describe(pg_url: str) -> dict[str, str]:
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": _cpu_model(),
        "cores": str(os.cpu_count()),
        "memory": _memory_gib(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "postgresql": _postgres_version(pg_url),
        "sqlite": sqlite3.sqlite_version,
    }
