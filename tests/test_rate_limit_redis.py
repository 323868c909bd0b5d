"""With TEAMHUB_REDIS_URL set, login attempts are counted in Redis, shared by every web process."""

from __future__ import annotations

import textwrap
import uuid

import pytest

from tests.processes import run_python

REDIS_URL = "redis://127.0.0.1:6379/15"

SCRIPT = textwrap.dedent(
    """
    import redis
    from teamhub import create_app
    import sys
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x",
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_KEY_PREFIX": sys.argv[2]})
    with app.app_context():
        from teamhub.extensions import db
        db.create_all()
    client = app.test_client()
    codes = [client.post("/login", data={"email": "a@example.jp", "password": "wrong-pass"}).status_code
             for _ in range(int(sys.argv[1]))]
    keys = redis.Redis.from_url(app.config["RATELIMIT_STORAGE_URI"]).keys(f"*{sys.argv[2]}*")
    print(codes[-1], len(keys) > 0)
    """
)


def run_process(tmp_path, attempts: int, prefix: str) -> str:
    return run_python(
        SCRIPT, str(attempts), prefix, instance_path=tmp_path, env={"TEAMHUB_REDIS_URL": REDIS_URL}
    )


def test_two_processes_share_one_login_limit(tmp_path):
    redis = pytest.importorskip("redis")
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    prefix = f"teamhub-test-{uuid.uuid4().hex}"  # other runs on this Redis keep their own counters
    try:
        assert run_process(tmp_path, 6, prefix) == "422 True"
        assert run_process(tmp_path, 5, prefix) == "429 True", (
            "the second process must see the first one's attempts"
        )
    finally:
        for key in connection.scan_iter(f"*{prefix}*"):
            connection.delete(key)
