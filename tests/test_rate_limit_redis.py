"""With TEAMHUB_REDIS_URL set, login attempts are counted in Redis, shared by every web process."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

REDIS_URL = "redis://127.0.0.1:6379/15"

SCRIPT = textwrap.dedent(
    """
    import redis
    from teamhub import create_app
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x",
                      "WTF_CSRF_ENABLED": False})
    with app.app_context():
        from teamhub.extensions import db
        db.create_all()
    client = app.test_client()
    codes = [client.post("/login", data={"email": "a@example.jp", "password": "wrong-pass"}).status_code
             for _ in range(int(__import__("sys").argv[1]))]
    print(codes[-1], len(redis.Redis.from_url(app.config["RATELIMIT_STORAGE_URI"]).keys("LIMITS*")) > 0)
    """
)


def run_process(tmp_path, attempts: int) -> str:
    env = {**os.environ, "TEAMHUB_REDIS_URL": REDIS_URL, "TEAMHUB_INSTANCE_PATH": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(attempts)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


def test_two_processes_share_one_login_limit(tmp_path):
    redis = pytest.importorskip("redis")
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    connection.flushdb()
    try:
        assert run_process(tmp_path, 6) == "422 True"
        assert run_process(tmp_path, 5) == "429 True", (
            "the second process must see the first one's attempts"
        )
    finally:
        connection.flushdb()
