"""Write bench/results.md: machine, data, figures against the targets, query plans."""

from __future__ import annotations

from pathlib import Path

from bench.load import SLICES

RATIO_TARGET = 0.5
P99_TARGET_MS = 100
MAX_QUERIES = 10
NOTES = Path(__file__).resolve().parent / "notes.md"


def _ok(flag: bool) -> str:
    return "yes" if flag else "**no**"


def _machine(m: dict) -> list[str]:
    return [
        "## Machine",
        "",
        f"- date: {m['date']}",
        f"- CPU: {m['cpu']}, {m['cores']} cores; memory {m['memory']}",
        f"- {m['os']}; Python {m['python']}; PostgreSQL {m['postgresql']}; SQLite {m['sqlite']}",
        "- gunicorn: 2 sync workers on 127.0.0.1; wrk: 2 threads, 16 connections, same machine",
        f"- CPU time taken by the host for other guests during the run (steal): {m['steal']}; "
        "absolute times and latencies grow with it, ratios to the reference much less",
        "",
    ]


def _data(dbs) -> list[str]:
    lines = ["## Data", "", "| database | teams | people | assignments | cohorts | trainees |",
             "|---|---:|---:|---:|---:|---:|"]  # fmt: skip
    for db in dbs:
        s = db.scale
        lines.append(
            f"| {db.label} ({s.name}) | {s.teams:,} | {s.people:,} | {s.assignments:,} | "
            f"{s.cohorts:,} | {s.trainees:,} |"
        )
    lines += [
        "",
        "Regular teams hold two years of 40-unit jobs split between 4 to 10 members, with "
        "assignments in every state and a terms notice each; the first team holds one month of "
        "approved work (a tenth of all assignments) for the close timing. One member in eight "
        "is away for a few days around now. One organisation runs every cohort (10 sessions "
        "each, attendance, module completions).",
        "",
    ]
    return lines


def _load(loads: dict, pages, seconds: int) -> list[str]:
    if not loads:
        return ["## Load", "", "Skipped (--skip-load).", ""]
    each = max(1, round(seconds / SLICES))
    lines = [
        "## Load on PostgreSQL (1,000,000 assignments)",
        "",
        f"After a warm-up, each page and the reference are driven in turn, {SLICES} slices of "
        f"{each} s each ({SLICES * each} s per side), at 16 connections; each page is opened "
        "in turn by 8 signed-in people. The reference is 50 joined rows through a Jinja "
        "template; a page's ratio is to the reference measured in the slices between its own, "
        "so both see the machine in the same state. p50 and p99 are over every request of "
        "the slices (wrk's latency histograms added up).",
        "",
        f"| page | req/s | p50 ms | p99 ms | reference req/s | ratio | ≥ {RATIO_TARGET} | "
        f"p99 ≤ {P99_TARGET_MS} ms | errors |",
        "|---|---:|---:|---:|---:|---:|:-:|:-:|---:|",
    ]
    for page in pages:
        got = loads[page.name]
        r, ref = got.page, got.reference
        lines.append(
            f"| {page.title} | {r.rps:.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | {ref.rps:.0f} | "
            f"{got.ratio:.2f} | {_ok(got.ratio >= RATIO_TARGET)} | "
            f"{_ok(r.p99_ms <= P99_TARGET_MS)} | {r.non_2xx + r.socket_errors + ref.non_2xx} |"
        )
    return [*lines, ""]


def _queries(queries: dict, pages) -> list[str]:
    scales = list(queries)
    lines = [
        "## SQL queries per page",
        "",
        "Counted with a `before_cursor_execute` listener, one warm request per visit; the figure "
        "is the largest over the 8 visits (login-session lookup included).",
        "",
        "| page | " + " | ".join(scales) + f" | same everywhere | ≤ {MAX_QUERIES} |",
        "|---|" + "---:|" * len(scales) + ":-:|:-:|",
    ]
    for page in pages:
        per_scale = [max(queries[s][page.name].counts) for s in scales]
        all_counts = {c for s in scales for c in queries[s][page.name].counts}
        lines.append(
            f"| {page.title} | " + " | ".join(str(c) for c in per_scale) + " | "
            f"{_ok(len(all_counts) == 1)} | {_ok(max(per_scale) <= MAX_QUERIES)} |"
        )
    return [*lines, ""]


def _page_times(times: dict, dbs, pages) -> list[str]:
    scales = [db.scale.name for db in dbs]
    labels = {db.scale.name: f"{db.label} {db.scale.assignments:,}" for db in dbs}
    lines = [
        "## Page time in process",
        "",
        "One request at a time through Flask's test client (no HTTP, no concurrency): the "
        "median over the 8 visits of each visit's median of 5 warm requests, in ms.",
        "",
        "| page | " + " | ".join(labels[s] for s in scales) + " |",
        "|---|" + "---:|" * len(scales),
    ]
    for page in pages:
        cells = " | ".join(f"{times[s][page.name]:.1f}" for s in scales)
        lines.append(f"| {page.title} | {cells} |")
    return [*lines, ""]


def _timed(timed) -> list[str]:
    lines = ["## Timed operations (PostgreSQL)", "", "| operation | ms | target | met | how |",
             "|---|---:|---:|:-:|---|"]  # fmt: skip
    for t in timed:
        lines.append(
            f"| {t.title} | {t.ms:.0f} | < {t.target_ms:.0f} | {_ok(t.met)} | {t.detail} |"
        )
    return [*lines, ""]


def _plans(plans: dict, pages) -> list[str]:
    lines = [
        "## Query plans (PostgreSQL, 1,000,000 assignments)",
        "",
        "`EXPLAIN (ANALYZE, COSTS OFF)` of every SELECT each page ran, with the parameters it "
        "ran them with. A sequential scan of a table that grows with the data would be listed "
        "here:",
        "",
    ]
    scans = {
        page.name: sorted({t for p in plans[page.name] for t in p.seq_scans}) for page in pages
    }
    for page in pages:
        found = ", ".join(scans[page.name]) or "none"
        lines.append(f"- {page.title}: sequential scans of large tables: {found}")
    lines.append("")
    for page in pages:
        lines += [f"### {page.title}", ""]
        for number, plan in enumerate(plans[page.name], start=1):
            sql = " ".join(plan.sql.split())
            lines += [
                f"{number}. `{sql[:300]}{'…' if len(sql) > 300 else ''}`",
                "",
                "```",
                plan.text,
                "```",
                "",
            ]
    return lines


def render(*, machine, dbs, pages, queries, page_times, plans, timed, loads, seconds) -> str:
    lines = [
        "# teamhub benchmark results",
        "",
        "Written by `make bench` (bench/run.py). The floor from issue 25: every page at ≥ 0.5 of "
        "the reference's requests/s with p99 ≤ 100 ms at 16 connections on PostgreSQL with "
        "1,000,000 assignments; the same number of queries per page at 1,000 and 1,000,000 "
        "assignments, at most 10; a close of 100,000 approved assignments under 10 s with plain "
        "foreign keys, of a realistic month (5,000) under 1 s; the 10,000-trainee outcome report "
        "under 300 ms.",
        "",
    ]
    lines += _machine(machine) + _data(dbs) + _load(loads, pages, seconds)
    lines += _queries(queries, pages) + _page_times(page_times, dbs, pages) + _timed(timed)
    if NOTES.exists():
        lines += [NOTES.read_text().rstrip(), ""]
    lines += _plans(plans, pages)
    return "\n".join(lines) + "\n"


def summary(queries, timed, loads) -> str:
    out = []
    for name, got in loads.items():
        r = got.page
        out.append(
            f"{name:<18} {r.rps:7.0f} req/s  p50 {r.p50_ms:6.1f} ms  p99 {r.p99_ms:6.1f} ms"
            f"  reference {got.reference.rps:5.0f} req/s  ratio {got.ratio:4.2f}"
            f"  errors {r.non_2xx + r.socket_errors}"
        )
    for scale, pages in queries.items():
        out.append(
            f"queries ({scale}): " + ", ".join(f"{n} {max(q.counts)}" for n, q in pages.items())
        )
    for t in timed:
        out.append(f"{t.name}: {t.ms:.0f} ms (target < {t.target_ms:.0f})")
    return "\n".join(out)
