"""A throw-away Redis for tests: Debian's redis-server on a free port in a temporary directory.

Started and stopped through ``scripts/redis.sh`` (so the script is exercised too),
with no persistence. Test modules import the fixtures they use::

    from tests.redis_server import redis_server, redis_url  # noqa: F401 - pytest fixtures
"""
import os
import shutil
import subprocess

import pytest

from tests.conftest import PROJECT_ROOT
from tests.served import free_port

SCRIPT = PROJECT_ROOT / "scripts" / "redis.sh"
MISSING = "redis-server is not installed (make test installs it: apt-get install -y redis-server)"


def redis_script(action: str, port: int, directory) -> subprocess.CompletedProcess:
    """Run ``scripts/redis.sh ACTION PORT DIR`` without persistence."""
    env = {**os.environ, "REDIS_APPENDONLY": "no"}
    return subprocess.run(["bash", str(SCRIPT), action, str(port), str(directory)], env=env, capture_output=True,
                          text=True, timeout=60)


_SHARED: dict = {"users": 0}  # one server for the session, however many modules import the fixture


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """The URL of a Redis started for this test session; skipped only when redis-server is not installed.

    Each importing module gets its own session fixture; they share one server, stopped by the last one.
    """
    if shutil.which("redis-server") is None:
        pytest.skip(MISSING)
    if not _SHARED["users"]:
        port, directory = free_port(), tmp_path_factory.mktemp("redis")
        started = redis_script("start", port, directory)
        assert started.returncode == 0, started.stdout + started.stderr
        _SHARED.update(port=port, directory=directory)
    _SHARED["users"] += 1
    yield f"redis://127.0.0.1:{_SHARED['port']}/0"
    _SHARED["users"] -= 1
    if not _SHARED["users"]:
        stopped = redis_script("stop", _SHARED["port"], _SHARED["directory"])
        assert stopped.returncode == 0, stopped.stdout + stopped.stderr


@pytest.fixture()
def redis_url(redis_server):
    """The session's Redis, emptied before each test."""
    import redis

    client = redis.Redis.from_url(redis_server)
    client.flushdb()
    client.close()
    return redis_server
