"""A throw-away server process for the test suite: the life every server in
tests/servers.py shares (start on a free port in its own temporary folder, wait
until it answers, stop, halt and resume), and the rule that a missing binary skips
a test locally and fails it in CI.

When the test process dies without stopping a server, Linux stops the server too.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import pwd
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import NoReturn, TypeVar

import pytest

START_TIMEOUT = 30.0  # seconds a server may take to accept connections
STOP_TIMEOUT = 10.0  # seconds a server may take to shut down before it is killed
POLL_INTERVAL = 0.05


ServerT = TypeVar("ServerT", bound="ServerProcess")


class ServerUnavailable(RuntimeError):
    """A binary the server needs is not installed."""


class ServerStartError(RuntimeError):
    """The server is installed but did not start."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listened on a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def skip_or_fail(error: ServerUnavailable) -> NoReturn:
    """Skip the test for a missing server, or fail it when CI requires every service."""
    if os.environ.get("STORYFORGE_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{error} (STORYFORGE_REQUIRE_SERVICES=1 makes this a failure)", pytrace=False)
    pytest.skip(str(error))


def start_or_skip(server: ServerT) -> ServerT:
    """Start `server` inside a test or fixture, applying the skip-or-fail rule to a missing binary."""
    try:
        server.start()
    except ServerUnavailable as error:
        skip_or_fail(error)
    return server


def die_with_parent(sig: int):
    """A preexec_fn asking Linux to send `sig` to the child when the test process dies.

    atexit does not run when the test process is killed; without this the
    server would outlive it. Linux ties the signal to the thread that started
    the child, so it is only set from the main thread.
    """
    if threading.current_thread() is not threading.main_thread():
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):  # not Linux
        return None
    pr_set_pdeathsig = 1

    def set_parent_death_signal():
        prctl(pr_set_pdeathsig, sig, 0, 0, 0)

    return set_parent_death_signal


def _log_tail(path: Path, lines: int = 20) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:]) or "(empty log)"


class ServerProcess:
    """A server process with its own temporary folder, started and stopped on demand."""

    name = "server"
    stop_signal = signal.SIGTERM
    parent_death_signal = signal.SIGTERM

    def __init__(self, *, port: int | None = None):
        self.port = port
        self.directory: Path | None = None
        self.process: subprocess.Popen | None = None
        self._run_as: pwd.struct_passwd | None = None

    # Subclasses fill these in.
    def _find_binaries(self) -> None:
        raise NotImplementedError

    def _prepare(self) -> None:
        """Create whatever the server needs in self.directory before it starts."""

    def _command(self) -> list[str]:
        raise NotImplementedError

    def _accepts_connections(self) -> bool:
        raise NotImplementedError

    def _after_start(self) -> None:
        """Runs once the server accepts connections."""

    @property
    def log_path(self) -> Path:
        assert self.directory is not None
        return self.directory / f"{self.name}.log"

    def is_running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> None:
        """Start the server and wait until it accepts connections.

        The first start picks a free port (and another one if that was taken in
        the meantime); a later start after `stop()` reuses the same port.
        """
        if self.is_running():
            return
        self.stop()  # the process may have died on its own: clean up after it first
        self._find_binaries()
        self.directory = self._make_directory()
        try:
            self._prepare()
            # Another process may take a free port before the server binds it.
            attempts = 3 if self.port is None else 1
            for attempt in range(attempts):
                if self.port is None or attempt:
                    self.port = free_port()
                if self._launch():
                    break
            else:
                raise ServerStartError(
                    f"{self.name} exited before accepting connections on 127.0.0.1:{self.port}. "
                    f"Log ({self.log_path}):\n{_log_tail(self.log_path)}"
                )
            self._after_start()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Shut the server down (killing it if it takes too long) and remove its files."""
        if self.process is not None:
            self._end_process(self.process)
            self.process = None
        if self.directory is not None:
            shutil.rmtree(self.directory, ignore_errors=True)
            self.directory = None

    def halt(self) -> None:
        """End the server process but keep its files and port, for `resume()`: an
        outage to test against, not a teardown (`stop()` removes the files)."""
        if self.process is not None:
            self._end_process(self.process)
            self.process = None

    def resume(self) -> None:
        """Start the server again after `halt()`, on the same port with the same files."""
        if self.is_running():
            return
        if self.directory is None or self.port is None:
            raise ServerStartError(f"{self.name} was never started, or was stopped: start() it instead.")
        if not self._launch():
            raise ServerStartError(
                f"{self.name} exited before accepting connections again on 127.0.0.1:{self.port}. "
                f"Log ({self.log_path}):\n{_log_tail(self.log_path)}"
            )

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def _make_directory(self) -> Path:
        directory = Path(tempfile.mkdtemp(prefix=f"storyforge-{self.name}-"))
        if self._run_as is not None:
            _check_traversable(directory.parent, self._run_as.pw_name)
            os.chown(directory, self._run_as.pw_uid, self._run_as.pw_gid)
        return directory

    def _environment(self) -> dict[str, str]:
        return dict(os.environ)

    def _credentials(self) -> dict:
        """subprocess options that drop root for servers that refuse to run as root."""
        if self._run_as is None:
            return {}
        return {"user": self._run_as.pw_uid, "group": self._run_as.pw_gid, "extra_groups": []}

    def _launch(self) -> bool:
        """Start the process; True once it accepts connections, False if it exited first."""
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                self._command(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.directory,
                env=self._environment(),
                # Its own session: a Ctrl-C in the terminal reaches pytest, which
                # then stops the server in order, instead of reaching both.
                start_new_session=True,
                preexec_fn=die_with_parent(self.parent_death_signal),
                **self._credentials(),
            )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.process = None
                return False
            if self._accepts_connections():
                return True
            time.sleep(POLL_INTERVAL)
        raise ServerStartError(
            f"{self.name} did not accept connections on 127.0.0.1:{self.port} within {START_TIMEOUT:.0f} s. "
            f"Log ({self.log_path}):\n{_log_tail(self.log_path)}"
        )

    def _end_process(self, process: subprocess.Popen) -> None:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(self.stop_signal)
            try:
                process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                # The whole process group: PostgreSQL's backends would outlive their postmaster.
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _check_traversable(directory: Path, user: str) -> None:
    for folder in (directory, *directory.parents):
        if not folder.stat().st_mode & stat.S_IXOTH:
            raise ServerStartError(
                f"{folder} is not searchable by other users, so {user!r} cannot reach the server's "
                f"temporary folder under {directory}. Set TMPDIR to a folder such as /tmp."
            )
