"""What the benchmark ran on: CPU, cores, memory, Python, PostgreSQL, SQLite, date, and how
much of the cores' time the host took for other guests while it ran (steal)."""

from __future__ import annotations

import os
import platform
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import psycopg


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
    from bench.sink import plain_url  # needs the bench extra (tqdm); the tests run without it

    with psycopg.connect(plain_url(url)) as connection:
        shown = {
            name: connection.execute(f"SHOW {name}").fetchone()[0]
            for name in ("server_version", "shared_buffers", "work_mem")
        }
    return (
        f"{shown['server_version']} (shared_buffers {shown['shared_buffers']}, "
        f"work_mem {shown['work_mem']})"
    )


# /proc/stat's first line: "cpu  user nice system idle iowait irq softirq steal guest guest_nice"
# (in clock ticks since boot; guest time is already counted in user and nice).
STEAL_FIELD = 7
COUNTED_FIELDS = 8


def cpu_times(stat_text: str | None = None) -> tuple[int, int]:
    """(ticks stolen by the host, all ticks) of every core since boot, from ``/proc/stat``."""
    if stat_text is None:
        try:
            stat_text = Path("/proc/stat").read_text()
        except OSError:
            return 0, 0
    fields = [int(v) for v in stat_text.splitlines()[0].split()[1 : 1 + COUNTED_FIELDS]]
    steal = fields[STEAL_FIELD] if len(fields) > STEAL_FIELD else 0
    return steal, sum(fields)


def steal_share(before: tuple[int, int], after: tuple[int, int]) -> float | None:
    """The share of the cores' time the host gave to other guests between two readings."""
    total = after[1] - before[1]
    return None if total <= 0 else (after[0] - before[0]) / total


def describe(pg_url: str, steal: float | None = None) -> dict[str, str]:
    return {
        "steal": "unknown" if steal is None else f"{steal:.0%}",
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": _cpu_model(),
        "cores": str(os.cpu_count()),
        "memory": _memory_gib(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "postgresql": _postgres_version(pg_url),
        "sqlite": sqlite3.sqlite_version,
    }
