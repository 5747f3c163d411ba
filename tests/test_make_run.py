"""`make run` on an empty var/ folder: migrates, seeds the demo user, serves the
home page and a working login, and Ctrl-C stops everything it started."""

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import httpx
import psutil
import pytest

from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def wait_for(url: str, deadline: float) -> httpx.Response:
    while time.monotonic() < deadline:
        try:
            return httpx.get(url, timeout=2)
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError(f"nothing answered on {url} in time")


def test_make_run_serves_the_app_with_a_working_demo_login_and_ctrl_c_stops_it(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STORYFORGE", "DJANGO_SETTINGS", "MAKE"))}
    env.update({"PORT": str(port), "STORYFORGE_VAR_DIR": str(tmp_path / "var"), "STORYFORGE_READ_DOT_ENV": "0"})
    with open(tmp_path / "run.log", "wb") as log_file:
        make = subprocess.Popen(
            ["make", "run"], cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
        )
    base = f"http://127.0.0.1:{port}"
    try:
        home = wait_for(base + "/", time.monotonic() + 120)
        assert home.status_code == 200
        assert "Picture books starring" in home.text

        with httpx.Client(base_url=base, timeout=10) as browser:
            form = browser.get("/accounts/login/")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
            answer = browser.post(
                "/accounts/login/",
                data={"csrfmiddlewaretoken": token, "username": "demo", "password": "storyforge-demo"},
                headers={"Referer": base + "/accounts/login/"},
            )
            assert answer.status_code == 302, answer.text
            dashboard = browser.get("/")
            assert "Hello, Demo" in dashboard.text
            assert "Mia" in dashboard.text and "Pip" in dashboard.text

        started = psutil.Process(make.pid).children(recursive=True)
        names = " ".join(" ".join(p.cmdline()) for p in started)
        assert "gunicorn" in names and "celery" in names
    finally:
        os.killpg(make.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
        make.wait(timeout=30)
    _gone, alive = psutil.wait_procs(started, timeout=30)
    assert alive == [], f"still running after Ctrl-C: {alive}"
    log = (tmp_path / "run.log").read_text()
    assert "seed_demo: user 'demo' created" in log
    assert "stopping all processes" in log
