"""The foreground runner behind `make run` and `services run`, with real processes."""

import io
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from storyforge.operations import processes
from storyforge.operations.processes import ForegroundRunner, ProcessSpec


def test_the_procfile_names_web_both_workers_and_beat_in_order():
    specs = processes.procfile_read()
    assert [spec.name for spec in specs] == ["web", "worker", "cpu", "beat"]
    assert specs[0].command.startswith("gunicorn ") and " celery " in specs[1].command
    assert " beat " in specs[3].command


def test_ai_calls_wait_in_threads_and_computing_gets_a_process_per_core():
    worker, cpu = (spec.command for spec in processes.procfile_read() if spec.name in ("worker", "cpu"))
    assert "--pool threads" in worker and "--concurrency ${WORKER_CONCURRENCY:-100}" in worker
    assert "--queues ai " in worker
    assert "--pool prefork" in cpu and "--concurrency ${CPU_WORKER_CONCURRENCY:-auto}" in cpu
    assert "--queues cpu " in cpu


def test_procfile_comments_and_blank_lines_are_skipped(tmp_path):
    procfile = tmp_path / "Procfile"
    procfile.write_text("# a comment\n\nweb: echo web\nnot a process line\nclock:  echo tick  \n")
    assert processes.procfile_read(procfile) == [ProcessSpec("web", "echo web"), ProcessSpec("clock", "echo tick")]


def test_output_is_prefixed_and_a_process_that_exits_stops_the_others_with_its_exit_code(tmp_path):
    out = io.StringIO()
    marker = tmp_path / "sleeper.pid"
    specs = [
        ProcessSpec("sleeper", f"echo $$ > {marker}; echo sleeping; sleep 60"),
        ProcessSpec("quitter", "echo bye; sleep 0.5; exit 4"),
    ]
    started = time.monotonic()
    code = ForegroundRunner(specs, out=out, colour=False).run()
    assert code == processes.EXIT_DIED_BASE + 1  # the second process died first
    assert time.monotonic() - started < 10
    text = out.getvalue()
    assert "sleeper | sleeping" in text and "quitter | bye" in text
    assert "quitter exited with code 4; stopping the others" in text
    assert not psutil.pid_exists(int(marker.read_text()))


def test_sigterm_stops_every_process_and_their_children(tmp_path):
    out = io.StringIO()
    pids = tmp_path / "pids"
    # A parent that forks a grandchild, as gunicorn and celery do.
    specs = [ProcessSpec("forker", f"sleep 60 & echo $! >> {pids}; echo $$ >> {pids}; wait")]
    runner = ForegroundRunner(specs, out=out, colour=False)
    threading.Timer(1.0, runner.stop_requested.set).start()
    assert runner.run() == processes.EXIT_STOPPED
    recorded = [int(line) for line in pids.read_text().split()]
    assert len(recorded) == 2
    assert not any(psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE for pid in recorded)
    assert "stopping all processes" in out.getvalue()


def test_a_process_that_ignores_sigterm_is_killed_after_the_timeout(tmp_path):
    ready = tmp_path / "ready"
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import signal,time,pathlib; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
            f"pathlib.Path({str(ready)!r}).touch(); time.sleep(60)",
        ],
        start_new_session=True,
    )
    deadline = time.monotonic() + 10
    while not ready.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    killed = processes.tree_stop([child.pid], timeout=0.5)
    assert [proc.pid for proc in killed] == [child.pid]
    child.wait(timeout=5)  # already reaped by psutil; this only closes the handle
    assert not psutil.pid_exists(child.pid)


def test_children_find_the_virtualenvs_commands_first():
    env = processes.environment_for_children()
    assert env["PATH"].split(os.pathsep)[0] == str(Path(sys.executable).parent)


def test_services_run_refuses_an_unknown_process_name():
    with pytest.raises(CommandError, match="No process named nginx") as error:
        call_command("services", "run", "nginx")
    assert error.value.returncode == processes.EXIT_UNKNOWN_NAME


def test_services_run_starts_nothing_when_a_configuration_check_fails(settings):
    settings.STORYFORGE_AI_PROVIDER = "gpt5"
    with pytest.raises(CommandError, match="storyforge.E014") as error:
        call_command("services", "run", "web")
    assert error.value.returncode == processes.EXIT_CHECKS_FAILED
