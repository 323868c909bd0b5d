"""Run a piece of Python in a process of its own (for what holds one state per process, such as
the rate limiter), with the instance folder of the test."""

from __future__ import annotations

import os
import subprocess
import sys


def run_python(code: str, *args: str, instance_path, env: dict | None = None) -> str:
    """Run ``code`` with ``args`` in a new interpreter; return what it printed, stripped."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        env={**os.environ, "TEAMHUB_INSTANCE_PATH": str(instance_path), **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()
