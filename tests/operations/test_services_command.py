"""`services start|stop|restart|status` with real processes: small `sleep` and
Python lines from a test Procfile, and once the real `web` line (gunicorn).
Stopping another user's process: test_services_command_other_user.py."""

import io
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import psutil
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from storyforge.operations import processes
from storyforge.operations.background import PidRecord
from tests.servers import free_port

STUBBORN = """\
import pathlib, signal, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
pathlib.Path(sys.argv[1]).touch()
time.sleep(60)
"""


def wait_until(condition, timeout=10.0, what="the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"{what} did not happen within {timeout} s")


def alive(pid: int) -> bool:
    """Running, not merely waiting for its parent to collect it."""
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


class Deployment:
    def __init__(self, root: Path):
        self.root = root
        self.var = root / "var"
        self.run_dir = self.var / "run"
        self.log_dir = self.var / "log"
        self.pids_file = root / "pids"
        self.ready = root / "stubborn.ready"
        (root / "forker.sh").write_text(
            f"sleep 60 &\necho $! >> {self.pids_file}\n"
            f"setsid sleep 60 &\necho $! >> {self.pids_file}\n"
            f"sh -c 'sleep 60 & echo $! >> {self.pids_file}; wait' &\necho $! >> {self.pids_file}\n"
            "wait\n"
        )
        (root / "stubborn.py").write_text(STUBBORN)
        self.procfile = root / "Procfile"
        self.procfile.write_text(
            "sleeper: sleep 60\n"
            f"forker: sh {root / 'forker.sh'}\n"
            f"stubborn: python {root / 'stubborn.py'} {self.ready}\n"
            "broken: no-such-program-storyforge\n"
        )
        self.strays: list[int] = []

    def services(self, *args, **options) -> str:
        out = io.StringIO()
        call_command("services", *args, procfile=self.procfile, stdout=out, stderr=io.StringIO(), **options)
        return out.getvalue()

    def fails(self, *args, **options) -> tuple[CommandError, str]:
        out = io.StringIO()
        with pytest.raises(CommandError) as error:
            call_command("services", *args, procfile=self.procfile, stdout=out, stderr=io.StringIO(), **options)
        return error.value, out.getvalue()

    def record(self, name: str) -> PidRecord:
        return PidRecord.from_json((self.run_dir / f"{name}.pid").read_text())

    def status(self, *names) -> dict:
        out = io.StringIO()
        try:
            call_command("services", "status", *names, "--json", procfile=self.procfile, stdout=out)
        except CommandError as error:
            assert error.returncode == processes.EXIT_NOT_RUNNING
        return {entry["name"]: entry for entry in json.loads(out.getvalue())["processes"]}


@pytest.fixture
def deployment(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    settings.LOG_DIR = tmp_path / "var" / "log"
    deployment = Deployment(tmp_path)
    yield deployment
    with pytest.raises(CommandError):  # broken is never running: exit code only
        call_command("services", "status", procfile=deployment.procfile, stdout=io.StringIO())
    call_command("services", "stop", "--timeout", "1", procfile=deployment.procfile, stdout=io.StringIO())
    recorded = deployment.pids_file.read_text().split() if deployment.pids_file.exists() else []
    for pid in [*map(int, recorded), *deployment.strays]:
        if alive(pid):
            os.kill(pid, signal.SIGKILL)


def test_start_runs_the_process_in_its_own_session_with_a_pidfile_and_a_log(deployment):
    out = deployment.services("start", "sleeper")
    record = deployment.record("sleeper")
    assert f"sleeper: started, pid {record.pid}" in out
    proc = psutil.Process(record.pid)
    assert record.cmdline == ("sleep", "60") == tuple(proc.cmdline())
    assert record.create_time == proc.create_time()
    assert record.command == "sleep 60"
    assert os.getsid(record.pid) == record.pid and os.getpgid(record.pid) == record.pid
    assert "services start sleeper: sleep 60" in (deployment.log_dir / "sleeper.log").read_text()


def test_starting_a_running_process_says_so_and_changes_nothing(deployment):
    deployment.services("start", "sleeper")
    before = (deployment.run_dir / "sleeper.pid").read_text()
    out = deployment.services("start", "sleeper")
    assert "sleeper: already running" in out and "nothing changed" in out
    assert (deployment.run_dir / "sleeper.pid").read_text() == before
    assert (
        len(
            [
                p
                for p in psutil.process_iter(["cmdline"])
                if p.info["cmdline"] == ["sleep", "60"]
                and os.getsid(p.pid) == p.pid
                and p.pid == deployment.record("sleeper").pid
            ]
        )
        == 1
    )


def test_status_reports_each_process_in_json(deployment):
    deployment.services("start", "sleeper", "forker")
    wait_until(lambda: deployment.pids_file.exists() and len(deployment.pids_file.read_text().split()) == 4)
    status = deployment.status()
    sleeper, forker = status["sleeper"], status["forker"]
    assert sleeper["state"] == "running" and sleeper["pid"] == deployment.record("sleeper").pid
    assert sleeper["uptime"] >= 0 and sleeper["cpu_percent"] >= 0 and sleeper["children"] == 0
    assert sleeper["memory_rss"] > 100_000
    assert sleeper["health"] is None  # only web answers /healthz
    assert sleeper["log"].endswith("sleeper.log") and sleeper["pidfile"].endswith("sleeper.pid")
    # sh, three sleeps and a nested sh: the memory of the whole tree.
    assert forker["children"] == 4 and forker["memory_rss"] > sleeper["memory_rss"]
    assert status["stubborn"]["state"] == "stopped" and status["stubborn"]["pid"] is None


def test_status_exits_non_zero_when_a_named_process_is_not_running(deployment):
    deployment.services("start", "sleeper")
    assert "sleeper  running" in deployment.services("status", "sleeper")
    error, out = deployment.fails("status", "sleeper", "stubborn")
    assert error.returncode == processes.EXIT_NOT_RUNNING
    assert "stubborn  stopped" in out


def test_status_watch_refreshes_until_its_count(deployment):
    deployment.services("start", "sleeper")
    out = deployment.services("status", "sleeper", "--watch", "--interval", "0.05", "--count", "3", "--json")
    frames = [json.loads(line) for line in out.splitlines()]
    assert len(frames) == 3
    assert all(frame["processes"][0]["state"] == "running" for frame in frames)


def test_stop_ends_the_process_and_removes_its_pidfile(deployment):
    deployment.services("start", "sleeper")
    pid = deployment.record("sleeper").pid
    out = deployment.services("stop", "sleeper")
    assert f"sleeper: stopped (pid {pid})" in out and "killed" not in out
    assert not alive(pid)
    assert not (deployment.run_dir / "sleeper.pid").exists()
    assert deployment.status("sleeper")["sleeper"]["state"] == "stopped"
    assert "sleeper: not running" in deployment.services("stop", "sleeper")


def test_stop_takes_children_and_grandchildren_along_even_those_in_another_session(deployment):
    deployment.services("start", "forker")
    wait_until(lambda: deployment.pids_file.exists() and len(deployment.pids_file.read_text().split()) == 4)
    leader = deployment.record("forker").pid
    tree = [leader, *(p.pid for p in psutil.Process(leader).children(recursive=True))]
    assert len(tree) == 5
    escaped = int(deployment.pids_file.read_text().split()[1])
    assert os.getsid(escaped) == escaped  # the setsid one left the process group
    deployment.services("stop", "forker")
    assert [pid for pid in tree if alive(pid)] == []


def test_a_process_that_ignores_sigterm_is_killed_after_the_timeout_and_reported(deployment):
    deployment.services("start", "stubborn")
    wait_until(deployment.ready.exists, what="the SIGTERM handler")
    pid = deployment.record("stubborn").pid
    started = time.monotonic()
    out = deployment.services("stop", "stubborn", "--timeout", "0.5")
    assert time.monotonic() - started < 5
    assert f"stubborn: pid {pid} (python" in out and "did not stop within 0.5 s and was killed" in out
    assert not alive(pid)


def test_restart_starts_a_new_process(deployment):
    deployment.services("start", "sleeper")
    first = deployment.record("sleeper").pid
    out = deployment.services("restart", "sleeper")
    second = deployment.record("sleeper").pid
    assert second != first and not alive(first) and alive(second)
    assert "sleeper: stopped" in out and f"sleeper: started, pid {second}" in out


def test_a_stale_pidfile_is_removed_and_the_program_now_holding_the_pid_is_left_alone(deployment):
    other = subprocess.Popen(["sleep", "60"])
    deployment.strays.append(other.pid)
    proc = psutil.Process(other.pid)
    deployment.run_dir.mkdir(parents=True)
    pidfile = deployment.run_dir / "sleeper.pid"
    # The right command line, the wrong start time: the PID was reused.
    reused = PidRecord("sleeper", other.pid, proc.create_time() - 3600, ("sleep", "60"), "sleep 60", "2026-01-01")
    pidfile.write_text(reused.to_json())
    status = deployment.status("sleeper")["sleeper"]
    assert status["state"] == "stale" and "now belongs to another program" in status["message"]
    assert "stale pidfile removed" in status["message"]
    assert not pidfile.exists() and alive(other.pid)

    # The right start time, another command line: not ours either.
    wrong_program = PidRecord("sleeper", other.pid, proc.create_time(), ("gunicorn", "x"), "gunicorn x", "2026-01-01")
    pidfile.write_text(wrong_program.to_json())
    out = deployment.services("stop", "sleeper")
    assert "stale pidfile removed" in out and "left alone" in out
    assert not pidfile.exists() and alive(other.pid)

    pidfile.write_text(reused.to_json())
    out = deployment.services("start", "sleeper")
    assert "stale pidfile removed" in out and alive(other.pid)
    assert deployment.record("sleeper").pid != other.pid
    other.kill()
    other.wait()


def test_a_process_that_died_shows_as_zombie_then_dead_and_its_pidfile_goes(deployment):
    deployment.services("start", "sleeper")
    pid = deployment.record("sleeper").pid
    os.kill(pid, signal.SIGKILL)
    wait_until(lambda: not alive(pid))
    # This test process started it, so until it collects the exit status it is a zombie.
    assert deployment.status("sleeper")["sleeper"]["state"] == "zombie"
    os.waitpid(pid, 0)
    status = deployment.status("sleeper")["sleeper"]
    assert status["state"] == "dead" and "exited without `services stop`" in status["message"]
    assert not (deployment.run_dir / "sleeper.pid").exists()


def test_children_outliving_a_killed_leader_block_a_start_and_are_stopped_by_stop(deployment):
    deployment.services("start", "forker")
    wait_until(lambda: deployment.pids_file.exists() and len(deployment.pids_file.read_text().split()) == 4)
    leader = deployment.record("forker").pid
    children = [p.pid for p in psutil.Process(leader).children(recursive=True)]
    os.kill(leader, signal.SIGKILL)  # as the OOM killer would
    os.waitpid(leader, 0)
    status = deployment.status("forker")["forker"]
    assert status["state"] == "dead" and "process(es) of that run are still alive" in status["message"]
    assert (deployment.run_dir / "forker.pid").exists()
    error, _ = deployment.fails("start", "forker")
    assert error.returncode == processes.EXIT_START_FAILED and "`services stop forker` stops them" in str(error)
    out = deployment.services("stop", "forker")
    assert "leftover process(es) of its last run stopped" in out
    assert [pid for pid in children if alive(pid)] == []
    assert not (deployment.run_dir / "forker.pid").exists()


def test_a_command_that_exits_at_once_is_reported_with_its_log(deployment):
    error, _ = deployment.fails("start", "broken")
    assert error.returncode == processes.EXIT_START_FAILED
    assert "exited at once with code 127" in str(error) and "no-such-program-storyforge" in str(error)
    assert not (deployment.run_dir / "broken.pid").exists()


def test_unknown_names_and_failing_checks_start_nothing(deployment, settings):
    error, _ = deployment.fails("start", "nginx")
    assert error.returncode == processes.EXIT_UNKNOWN_NAME
    settings.STORYFORGE_AI_PROVIDER = "gpt5"
    for action in ("start", "restart"):
        error, _ = deployment.fails(action, "sleeper")
        assert error.returncode == processes.EXIT_CHECKS_FAILED and "storyforge.E014" in str(error)
    assert not (deployment.run_dir / "sleeper.pid").exists()


@pytest.mark.slow
def test_the_real_web_process_starts_answers_healthz_and_stops(settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path / "var"
    settings.LOG_DIR = tmp_path / "var" / "log"
    port = str(free_port())
    for name, value in {
        "PORT": port,
        "WEB_CONCURRENCY": "2",
        "DJANGO_SETTINGS_MODULE": "storyforge.settings",
        "STORYFORGE_VAR_DIR": str(tmp_path / "var"),
        "STORYFORGE_READ_DOT_ENV": "0",
    }.items():
        monkeypatch.setenv(name, value)
    out = io.StringIO()
    call_command("services", "start", "web", stdout=out, stderr=io.StringIO())
    try:
        record = PidRecord.from_json((tmp_path / "var" / "run" / "web.pid").read_text())
        assert "gunicorn" in " ".join(record.cmdline) and record.port == port

        def web_status():
            text = io.StringIO()
            try:
                call_command("services", "status", "web", "--json", stdout=text)
            except CommandError as error:  # not answering /healthz yet
                assert error.returncode == processes.EXIT_NOT_RUNNING
            return json.loads(text.getvalue())["processes"][0]

        wait_until(lambda: web_status()["health"] == "ok", timeout=30, what="/healthz answering")
        status = web_status()
        assert status["state"] == "running" and status["children"] == 2  # gunicorn's two workers
        tree = [record.pid, *(p.pid for p in psutil.Process(record.pid).children(recursive=True))]
    finally:
        stopped = io.StringIO()
        call_command("services", "stop", "web", stdout=stopped)
    assert f"web: stopped (pid {record.pid})" in stopped.getvalue()
    assert [pid for pid in tree if alive(pid)] == []
