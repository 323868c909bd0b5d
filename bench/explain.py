"""EXPLAIN (ANALYZE) the statements a page ran, with the parameters it ran them with."""

from __future__ import annotations

import re
from dataclasses import dataclass

import psycopg

from bench.sink import plain_url

# Tables that grow with the number of teams, people or assignments: a sequential scan of one of
# them on a page is a missing index.
BIG_TABLES = frozenset({
    "person", "team", "membership", "job", "assignment", "terms_notice", "assignment_event",
    "person_skill", "login_session", "enrolment", "attendance", "module_completion",
    "payout_close", "closed_job", "ledger_entry",
})  # fmt: skip
SEQ_SCAN = re.compile(r"Seq Scan on (\w+)")


@dataclass(frozen=True)
class Plan:
    sql: str
    text: str
    ms: float

    @property
    def seq_scans(self) -> list[str]:
        return sorted({t for t in SEQ_SCAN.findall(self.text) if t in BIG_TABLES})


def explain(url: str, statements: list[tuple[str, object]]) -> list[Plan]:
    plans = []
    with psycopg.connect(plain_url(url)) as connection:
        for sql, params in statements:
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            with connection.cursor() as cur:
                cur.execute("EXPLAIN (ANALYZE, COSTS OFF) " + sql, params or None)
                lines = [row[0] for row in cur.fetchall()]
            ms = _execution_ms(lines)
            plans.append(Plan(sql, "\n".join(lines), ms))
        connection.rollback()
    return plans


def _execution_ms(lines: list[str]) -> float:
    for line in reversed(lines):
        if line.startswith("Execution Time:"):
            return float(line.split()[2])
    return 0.0
