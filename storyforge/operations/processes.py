"""Running the processes of the Procfile: the web server and the worker.

`ForegroundRunner` is what `make run` and `manage.py services run` use: every
process's output prefixed with its name, Ctrl-C or SIGTERM stops them all, and
when one dies on its own the others are stopped and the exit code says which.
`tree_stop` stops a process with everything it started; `storyforge.operations.background`
uses it for `services start/stop/status`, which run the same lines in the background.
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

PROCFILE = Path(__file__).resolve().parents[2] / "Procfile"  # beside manage.py
COLOURS = ("36", "33", "35", "32", "34", "31")
STOP_TIMEOUT = 10.0

# Exit codes of `services`; docs/operations.md lists them.
EXIT_STOPPED = 0  # `run`: stopped by Ctrl-C or SIGTERM; the other actions: done
EXIT_UNKNOWN_NAME = 2  # a name that is not in the Procfile
EXIT_CHECKS_FAILED = 3  # configuration checks failed; nothing started
EXIT_PERMISSION = 4  # a pidfile names another user's process (or var/run is not writable); nothing touched
EXIT_START_FAILED = 5  # `start`: a process exited at once, or processes of its last run are still alive
EXIT_NOT_RUNNING = 6  # `status`: a named process is not running, or web does not answer /healthz
EXIT_NOT_STOPPED = 7  # `stop`: a process was still alive after SIGKILL
EXIT_DIED_BASE = 10  # `run`: 10 + the position in the Procfile of the process that died first


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


def tree_stop(
    pids: list[int | psutil.Process], timeout: float = STOP_TIMEOUT, *, others: list[psutil.Process] = ()
) -> list[psutil.Process]:
    """Stop each process-group leader and everything below it, and return the
    processes that needed SIGKILL.

    `pids` are leaders of their own process group, as a PID or as a psutil.Process
    (which psutil checks against PID reuse before every signal); `others` are more
    processes to stop alongside them. The leaders get SIGTERM first; once they are
    gone (or `timeout` has passed) the rest of each process group and every
    descendant collected up front get SIGTERM, and whatever is still alive when the
    time is up gets SIGKILL. No orphan is left. A zombie counts as gone: it has
    exited and only waits for its parent to collect it.
    """
    deadline = time.monotonic() + timeout
    leaders: list[psutil.Process] = []
    procs: list[psutil.Process] = list(others)
    group_ids = [pid.pid if isinstance(pid, psutil.Process) else pid for pid in pids]
    for pid in pids:
        try:
            leader = pid if isinstance(pid, psutil.Process) else psutil.Process(pid)
            leaders.append(leader)
            procs.append(leader)
            procs.extend(leader.children(recursive=True))
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    _signal_all(leaders, signal.SIGTERM)
    processes_wait(leaders, max(0.0, deadline - time.monotonic()))
    _signal_groups(group_ids, signal.SIGTERM)
    _signal_all(procs, signal.SIGTERM)
    alive = processes_wait(procs, max(0.5, deadline - time.monotonic()))
    _signal_groups(group_ids, signal.SIGKILL)
    _signal_all(alive, signal.SIGKILL)
    processes_wait(alive, 5)
    return alive


def processes_wait(procs: list[psutil.Process], timeout: float) -> list[psutil.Process]:
    """Wait up to `timeout` seconds for `procs` to end; return those still alive.

    Our own children are reaped. A zombie counts as gone, because its parent (often
    PID 1 after the manager exited) collects it whenever it likes; psutil's own
    `wait_procs` would wait for that until the timeout."""
    deadline = time.monotonic() + timeout
    alive = list(procs)
    while True:
        _gone, alive = psutil.wait_procs(alive, timeout=0)
        alive = [proc for proc in alive if not process_is_zombie(proc)]
        remaining = deadline - time.monotonic()
        if not alive or remaining <= 0:
            return alive
        time.sleep(min(0.05, remaining))


def process_is_zombie(proc: psutil.Process) -> bool:
    try:
        return proc.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True
    except psutil.AccessDenied:
        return False


def _signal_all(procs: list[psutil.Process], signum: int) -> None:
    for proc in procs:
        # AccessDenied: not ours to signal; the caller finds it still alive afterwards.
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
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
