"""bench.chain counts the CPU of the PostgreSQL backends serving the benchmark's database only."""

from __future__ import annotations

from bench.chain import TICKS, backend_seconds


def _process(proc, pid: int, command: bytes, user: int, system: int) -> None:
    folder = proc / str(pid)
    folder.mkdir()
    (folder / "cmdline").write_bytes(command)
    # pid (comm) state, then fields 4 to 13; utime and stime are the 14th and 15th of the line.
    (folder / "stat").write_text(f"{pid} (postgres) S 1 1 1 0 -1 0 0 0 0 0 {user} {system} 0 0")


def test_only_the_backends_of_the_database_are_counted(tmp_path):
    _process(tmp_path, 10, b"postgres: 15/main: postgres bench_db 127.0.0.1(5) idle", 30, 10)
    _process(tmp_path, 11, b"postgres: 15/main: postgres bench_db 127.0.0.1(6) idle", 5, 5)
    _process(tmp_path, 12, b"postgres: 15/main: postgres test 127.0.0.1(7) idle", 500, 500)
    _process(tmp_path, 13, b"/usr/lib/postgresql/15/bin/postgres -D bench_db", 700, 700)
    assert backend_seconds("bench_db", tmp_path) == 50 / TICKS
