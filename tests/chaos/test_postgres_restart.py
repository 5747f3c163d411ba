"""PostgreSQL restarts under a running web process (the Procfile's gunicorn line,
production settings, its own cluster): while it is down every request is answered
at once with 503 SERVICE_UNAVAILABLE, never a hang or a 500, and once it is back the
same process answers 200 again without a restart (CONN_HEALTH_CHECKS)."""

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.server_process import die_with_parent
from tests.servers import PostgresServer, free_port, start_or_skip

pytestmark = [pytest.mark.services, pytest.mark.slow, pytest.mark.chaos]

ROOT = Path(__file__).resolve().parents[2]
OUTAGE = 3.0
ANSWER_BUDGET = 2.0  # seconds any request may take while the database is away

MAKE_USER = """
from accounts.models import User
from accounts.services import api_token_create
user = User.objects.create_user("chaos", "chaos@example.com", "a-long-passphrase-1")
print("KEY=" + api_token_create(user=user, name="chaos")[1])
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print("SESSION=" + session.session_key)
"""


@pytest.fixture
def postgres():
    server = start_or_skip(PostgresServer())
    yield server
    server.stop()


def web_environment(postgres: PostgresServer, var_dir: Path, port: int) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STORYFORGE", "DJANGO_SETTINGS"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "storyforge.settings",
            "STORYFORGE_READ_DOT_ENV": "0",
            "STORYFORGE_VAR_DIR": str(var_dir),
            "DATABASE_URL": f"postgres://{postgres.user}@127.0.0.1:{postgres.port}/{postgres.database}",
            "SECRET_KEY": "chaos-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "PORT": str(port),
            "WEB_CONCURRENCY": "1",  # one process: the same connection goes away and comes back
            "PYTHONUNBUFFERED": "1",
            "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""),
        }
    )
    return env


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_requests_fail_fast_during_a_postgres_restart_and_recover_after_it(postgres, tmp_path):
    from storyforge.operations.processes import procfile_read, tree_stop

    port = free_port()
    env = web_environment(postgres, tmp_path / "var", port)
    manage(env, "migrate", "--no-input", "-v", "0")
    made = dict(line.split("=", 1) for line in manage(env, "shell", "-c", MAKE_USER).split() if "=" in line)
    key, session = made["KEY"], made["SESSION"]
    command = next(spec.command for spec in procfile_read() if spec.name == "web")
    log_path = tmp_path / "web.log"
    with open(log_path, "ab") as log:
        web = subprocess.Popen(
            ["/bin/sh", "-c", "exec " + command],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=die_with_parent(15),
        )
    base = f"http://127.0.0.1:{port}"
    client = httpx.Client(base_url=base, headers={"Authorization": f"Token {key}"}, timeout=10)
    client.cookies.set("sessionid", session)  # the signed-in grown-up's dashboard
    addresses = ["/api/v1/stories/", "/api/v1/characters/", "/", "/stories/"]
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if client.get("/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.1)
        for address in addresses:
            assert client.get(address).status_code == 200, address

        postgres.halt()
        began = time.monotonic()
        answers = []
        while time.monotonic() - began < OUTAGE:
            for address in addresses:
                started = time.monotonic()
                response = client.get(address)
                assert time.monotonic() - started < ANSWER_BUDGET, address
                answers.append((address, response.status_code))
                assert response.status_code == 503, (address, response.text[:500])
                if address.startswith("/api/"):
                    error = response.json()["error"]
                    assert error["code"] == "SERVICE_UNAVAILABLE"
                    assert error["request_id"]
                else:
                    assert "database" in response.text
                assert response.headers["Retry-After"]
            time.sleep(0.2)
        assert len(answers) >= 8
        # The landing page needs no database: someone not signed in still sees it.
        assert httpx.get(base + "/", timeout=ANSWER_BUDGET).status_code == 200

        postgres.resume()
        for address in addresses:  # the same web process, not restarted
            assert client.get(address).status_code == 200, address
        assert web.poll() is None
    finally:
        client.close()
        tree_stop([web.pid], timeout=10)
        web.wait(timeout=10)
    log = log_path.read_text()
    assert "SERVICE_UNAVAILABLE" in log
    assert "INTERNAL_ERROR" not in log  # no request was answered as our bug
