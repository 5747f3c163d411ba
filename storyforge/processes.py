"""Running the processes of the Procfile: the web server and the worker.

`run_foreground` is what `make run` and `manage.py services run` use: every
process's output prefixed with its name, Ctrl-C or SIGTERM stops them all, and
when one dies on its own the others are stopped and the exit code says which.
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

PROCFILE = Path(__file__).resolve().parent.parent / "Procfile"
COLOURS = ("36", "33", "35", "32", "34", "31")
STOP_TIMEOUT = 10.0

# Exit codes of `services run`; docs/operations.md lists them.
EXIT_STOPPED = 0  # stopped by Ctrl-C or SIGTERM
EXIT_UNKNOWN_NAME = 2  # a name that is not in the Procfile
EXIT_CHECKS_FAILED = 3  # configuration checks failed; nothing started
EXIT_DIED_BASE = 10  # 10 + the position in the Procfile of the process that died first


@dataclass(frozen=True)
class ProcessSpec:
    name: str
    command: str


def procfile_read(path: Path = PROCFILE) -> list[ProcessSpec]:
    """The `name: command` lines of a Procfile, in order; comments and blank lines skipped."""
    specs = []
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#") or ":" not in line:
            continue
        name, command = line.split(":", 1)
        specs.append(ProcessSpec(name.strip(), command.strip()))
    return specs


def environment_for_children() -> dict[str, str]:
    """This environment, with the running Python's bin folder first on PATH so that
    `gunicorn` and `celery` come from the same virtualenv as this process."""
    env = dict(os.environ)
    bin_dir = os.path.dirname(sys.executable)
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def shell_line(command: str) -> str:
    """The line for `/bin/sh -c`. A single command is exec'd so that the program itself
    leads its process group and gets the stop signal first (gunicorn and celery then
    shut their own workers down in order); a compound line keeps its shell."""
    if any(mark in command for mark in (";", "&", "|", "\n", "`", "(")):
        return command
    return "exec " + command


def tree_stop(pids: list[int], timeout: float = STOP_TIMEOUT) -> list[psutil.Process]:
    """Stop each process-group leader and everything below it, and return the
    processes that needed SIGKILL.

    The leaders get SIGTERM first; once they are gone (or `timeout` has passed) the
    rest of each process group and every descendant collected up front get SIGTERM,
    and whatever is still alive when the time is up gets SIGKILL. No orphan is left.
    """
    deadline = time.monotonic() + timeout
    leaders: list[psutil.Process] = []
    procs: list[psutil.Process] = []
    for pid in pids:
        try:
            leader = psutil.Process(pid)
            leaders.append(leader)
            procs.append(leader)
            procs.extend(leader.children(recursive=True))
        except psutil.NoSuchProcess:
            continue
    _signal_all(leaders, signal.SIGTERM)
    psutil.wait_procs(leaders, timeout=max(0.0, deadline - time.monotonic()))
    _signal_groups(pids, signal.SIGTERM)
    _signal_all(procs, signal.SIGTERM)
    _gone, alive = psutil.wait_procs(procs, timeout=max(0.5, deadline - time.monotonic()))
    _signal_groups(pids, signal.SIGKILL)
    _signal_all(alive, signal.SIGKILL)
    psutil.wait_procs(alive, timeout=5)
    return alive


def _signal_all(procs: list[psutil.Process], signum: int) -> None:
    for proc in procs:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.send_signal(signum)


def _signal_groups(pids: list[int], signum: int) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signum)


class ForegroundRunner:
    def __init__(self, specs: list[ProcessSpec], *, out=None, colour: bool | None = None, env=None):
        self.specs = specs
        self.out = out or sys.stdout
        self.colour = self.out.isatty() if colour is None else colour
        self.env = env or environment_for_children()
        self.width = max(len(spec.name) for spec in specs)
        self.lines: queue.Queue = queue.Queue()
        self.stop_requested = threading.Event()
        self.children: dict[str, subprocess.Popen] = {}

    def say(self, name: str, text: str, index: int | None = None) -> None:
        stamp = time.strftime("%H:%M:%S")
        prefix = f"{stamp} {name.ljust(self.width)} |"
        if self.colour and index is not None:
            prefix = f"\033[{COLOURS[index % len(COLOURS)]}m{prefix}\033[0m"
        self.out.write(f"{prefix} {text}\n")
        self.out.flush()

    def _pump(self, name: str, index: int, stream) -> None:
        for raw in iter(stream.readline, b""):
            self.lines.put((name, index, raw.decode(errors="replace").rstrip("\n")))
        stream.close()

    def _on_signal(self, signum, frame) -> None:
        self.stop_requested.set()

    def run(self) -> int:
        previous = {sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            return self._run()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _run(self) -> int:
        for index, spec in enumerate(self.specs):
            # Each process leads its own session, so Ctrl-C reaches only this runner,
            # which then stops every process group in order.
            child = subprocess.Popen(
                ["/bin/sh", "-c", shell_line(spec.command)],
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                env=self.env,
            )
            self.children[spec.name] = child
            threading.Thread(target=self._pump, args=(spec.name, index, child.stdout), daemon=True).start()
            self.say("system", f"{spec.name} started with pid {child.pid}")
        died: tuple[int, str, int] | None = None
        while not self.stop_requested.is_set() and died is None:
            self._drain(timeout=0.2)
            for index, spec in enumerate(self.specs):
                code = self.children[spec.name].poll()
                if code is not None:
                    died = (index, spec.name, code)
                    break
        if died:
            self.say("system", f"{died[1]} exited with code {died[2]}; stopping the others")
        else:
            self.say("system", "stopping all processes")
        killed = tree_stop([child.pid for child in self.children.values()])
        for proc in killed:
            self.say("system", f"pid {proc.pid} did not stop in time and was killed")
        for child in self.children.values():
            child.wait()
        self._drain(timeout=0.2)
        if died:
            return EXIT_DIED_BASE + died[0]
        return EXIT_STOPPED

    def _drain(self, timeout: float) -> None:
        try:
            name, index, text = self.lines.get(timeout=timeout)
        except queue.Empty:
            return
        self.say(name, text, index)
        while True:
            try:
                name, index, text = self.lines.get_nowait()
            except queue.Empty:
                return
            self.say(name, text, index)
