"""bench.decompose adds up each kind of process's CPU time per request served."""

from __future__ import annotations

from bench.decompose import kind_of, per_request, processes


def test_processes_are_told_apart_by_their_command_lines():
    assert kind_of(b"postgres: 15/main: postgres test 127.0.0.1(5) idle ") == "postgres"
    assert kind_of(b"/usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql ") == "postgres"
    assert kind_of(b"/work/.venv/bin/python /work/.venv/bin/gunicorn --workers 2 x ") == "gunicorn"
    assert kind_of(b"wrk -t2 -c16 -d3s http://127.0.0.1:5 ") == "wrk"
    assert kind_of(b"/usr/bin/python3 -m something ") == "other"


def test_cpu_per_request_counts_what_each_process_spent_between_two_readings():
    before = {1: ("gunicorn", 1000), 2: ("postgres", 500), 3: ("other", 50)}
    after = {
        1: ("gunicorn", 1140),  # 140 ticks
        2: ("postgres", 580),  # 80 ticks
        4: ("wrk", 10),  # started meanwhile: all of it
        3: ("other", 52),
    }
    per = per_request(before, after, requests=1000, ticks=100)
    assert per == {
        "gunicorn": 1400.0,
        "postgres": 800.0,
        "wrk": 100.0,
        "other": 20.0,
        "total": 2320.0,
    }


def test_this_process_is_found_among_the_running_ones():
    import os

    kind, used = processes()[os.getpid()]
    assert kind == "other" and used >= 0
