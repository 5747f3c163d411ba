"""The Procfile's processes in the background: `services start`, `stop` and `restart`.

Each process leads its own session and process group, writes its output to
`LOG_DIR/NAME.log`, and is remembered by `VAR_DIR/run/NAME.pid`: the PID, the
process's start time and its command line. A PID is reused once its process is
gone, so nothing is signalled unless all three still match; a pidfile that does
not match is stale and removed, and the program now holding that PID is left alone.
Another user's process is never signalled either: the kernel is asked first
(signal 0), and a refusal stops the command before anything has changed.

Kept apart from `storyforge.operations.processes` (the foreground runner and `tree_stop`,
which both use) because it is a different way of running the same lines;
`storyforge.operations.process_status` reads what `services status` shows.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import subprocess
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import psutil

from storyforge.operations.pidfiles import (
    Inspection,
    LeftoversRunning,
    PidRecord,
    ProcessPermissionError,
    StartResult,
    StopResult,
    describe,
    owner_name,
    user_name,
)
from storyforge.operations.processes import ProcessSpec, processes_wait, shell_line, tree_stop

RUNNING, STOPPED, DEAD, STALE, ZOMBIE = "running", "stopped", "dead", "stale", "zombie"
# Start times are read from /proc in clock ticks; the same process always gives the same value.
CREATE_TIME_TOLERANCE = 0.05
EXEC_SETTLE = 2.0  # seconds to wait for `sh -c "exec ..."` to become the program itself
START_GRACE = 0.5  # seconds a new process must stay up to count as started
# Set in each started process's environment, which its descendants inherit: how a
# process that left the process group (setsid) is still recognised as part of the run.
RUN_ID_VARIABLE = "SERVICES_RUN_ID"


class DetachedProcesses:
    """The background processes of one deployment: pidfiles under `run_dir`, logs under `log_dir`."""

    def __init__(self, *, run_dir: Path, log_dir: Path, cwd: Path | None = None, env: dict[str, str] | None = None):
        self.run_dir = Path(run_dir)
        self.log_dir = Path(log_dir)
        self.cwd = cwd
        self.env = env if env is not None else dict(os.environ)

    def pidfile(self, name: str) -> Path:
        return self.run_dir / f"{name}.pid"

    def log_path(self, name: str) -> Path:
        return self.log_dir / f"{name}.log"

    # Recognising a pidfile's process

    def inspect(self, name: str) -> Inspection:
        path = self.pidfile(name)
        try:
            text = path.read_text()
        except FileNotFoundError:
            return Inspection(name, STOPPED)
        except PermissionError as error:
            raise ProcessPermissionError(f"Cannot read {path} ({error.strerror}); nothing was changed.") from None
        try:
            record = PidRecord.from_json(text)
        except ValueError as error:
            return Inspection(name, STALE, reason=f"the pidfile cannot be read: {error}")
        return self._identify(name, record)

    def _identify(self, name: str, record: PidRecord) -> Inspection:
        try:
            proc = psutil.Process(record.pid)
            created = proc.create_time()
        except psutil.NoSuchProcess:
            return Inspection(name, DEAD, record, reason=f"pid {record.pid} is gone")
        except psutil.AccessDenied:
            raise ProcessPermissionError(
                f"{name}: cannot read the start time of pid {record.pid} (access denied), so it cannot be "
                "recognised; nothing was changed."
            ) from None
        if abs(created - record.create_time) > CREATE_TIME_TOLERANCE:
            started = datetime.fromtimestamp(created, UTC).isoformat(timespec="seconds")
            return Inspection(
                name,
                STALE,
                record,
                reason=f"pid {record.pid} now belongs to another program, {describe(proc)}, started {started}",
            )
        try:
            if proc.status() == psutil.STATUS_ZOMBIE:
                return Inspection(
                    name,
                    ZOMBIE,
                    record,
                    proc,
                    reason=f"pid {record.pid} has exited; its parent has not collected it yet",
                )
            cmdline = tuple(proc.cmdline())
        except psutil.ZombieProcess:
            return Inspection(name, ZOMBIE, record, proc, reason=f"pid {record.pid} has exited")
        except psutil.NoSuchProcess:
            return Inspection(name, DEAD, record, reason=f"pid {record.pid} is gone")
        except psutil.AccessDenied:
            cmdline = None  # the start time matched, which is what PID reuse cannot fake
        if cmdline is not None and cmdline != record.cmdline and not _recorded_before_exec(record):
            return Inspection(
                name, STALE, record, reason=f"pid {record.pid} now runs another command, {describe(proc)}"
            )
        return Inspection(name, RUNNING, record, proc)

    def leftovers(self, record: PidRecord) -> list[psutil.Process]:
        """Processes of a run other than its leader that are no longer (or never
        were) below it: gunicorn workers after their master was killed, say, or a
        child that started a session of its own.

        Two marks, each enough: membership of the run's process group (while any
        member is alive the kernel keeps the group's number from being reused), and
        the run id in the environment. Both only for processes started after the leader."""
        found = []
        marker = f"{record.name}:{record.run_id}"
        for proc in psutil.process_iter(["create_time", "status"]):
            if proc.pid == record.pid or proc.info["status"] == psutil.STATUS_ZOMBIE:
                continue
            if (proc.info["create_time"] or 0) < record.create_time - CREATE_TIME_TOLERANCE:
                continue
            try:
                in_group = os.getpgid(proc.pid) == record.pid
            except OSError:
                continue
            if in_group or (record.run_id and _environment_mark(proc) == marker):
                found.append(proc)
        return found

    def forget(self, inspection: Inspection) -> bool:
        """Remove a dead or stale pidfile, unless another command is changing it
        right now or it has been rewritten since `inspection`. True when removed."""
        with self._lock(inspection.name, blocking=False) as acquired:
            if not acquired:
                return False
            again = self.inspect(inspection.name)
            if again.state not in (DEAD, STALE) or again.record != inspection.record:
                return False
            with contextlib.suppress(FileNotFoundError):
                self.pidfile(inspection.name).unlink()
            return True

    # Start and stop

    def start(self, spec: ProcessSpec) -> StartResult:
        with self._lock(spec.name):
            inspection = self.inspect(spec.name)
            if inspection.state == RUNNING:
                return StartResult(spec.name, "already running", inspection.record.pid)
            notes = []
            if inspection.state in (DEAD, ZOMBIE):
                left = self.leftovers(inspection.record)
                if left:
                    raise LeftoversRunning(
                        f"{spec.name} is not running, but {len(left)} process(es) of its last run still are: "
                        f"{', '.join(describe(proc) for proc in left)}. `services stop {spec.name}` stops them."
                    )
            if inspection.state != STOPPED:
                self.pidfile(spec.name).unlink(missing_ok=True)
                notes.append(f"{_label(inspection.state)} pidfile removed: {inspection.reason}")
            return self._launch(spec, notes)

    def _launch(self, spec: ProcessSpec, notes: list[str]) -> StartResult:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log_path = self.log_path(spec.name)
        line = shell_line(spec.command)
        now = datetime.now(UTC)
        run_id = uuid.uuid4().hex
        with open(log_path, "ab") as log:
            log.write(f"--- {now.isoformat(timespec='seconds')} services start {spec.name}: {spec.command}\n".encode())
            log.flush()
            # Its own session: no terminal signal reaches it, and its process group
            # is what `stop` signals.
            child = subprocess.Popen(
                ["/bin/sh", "-c", line],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                env={**self.env, RUN_ID_VARIABLE: f"{spec.name}:{run_id}"},
                cwd=self.cwd,
            )
        proc = psutil.Process(child.pid)
        record = PidRecord(
            name=spec.name,
            pid=child.pid,
            create_time=proc.create_time(),
            cmdline=_settled_cmdline(proc, line),
            command=spec.command,
            started_at=now.isoformat(timespec="seconds"),
            port=self.env.get("PORT", ""),
            run_id=run_id,
        )
        _write_atomically(self.pidfile(spec.name), record.to_json())
        # A command that cannot run (not found, a bad option, a port in use) exits at once.
        try:
            code = child.wait(timeout=START_GRACE)
        except subprocess.TimeoutExpired:
            return StartResult(spec.name, "started", child.pid, notes=notes)
        self.pidfile(spec.name).unlink(missing_ok=True)
        tree_stop([], timeout=1.0, others=self.leftovers(record))
        return StartResult(
            spec.name,
            "failed",
            child.pid,
            detail=f"exited at once with code {code}. Last lines of {log_path}:\n{_tail(log_path)}",
            notes=notes,
        )

    def stop(self, name: str, timeout: float) -> StopResult:
        inspection = self.inspect(name)
        if inspection.state == STOPPED:
            return StopResult(name, "not running")
        if inspection.state == STALE:
            self.forget(inspection)
            return StopResult(
                name, "not running", notes=[f"stale pidfile removed ({inspection.reason}); that process was left alone"]
            )
        record = inspection.record
        leader = inspection.process if inspection.state == RUNNING else None
        others = self.leftovers(record)
        tree = ([leader, *process_children(leader)] if leader else []) + others
        self._permission_check(name, tree)
        with self._lock(name):
            names = {proc.pid: describe(proc) for proc in tree}
            killed = tree_stop([leader] if leader else [], timeout=timeout, others=others)
            survivors = processes_wait(killed, 0)
            if not survivors:
                self.pidfile(name).unlink(missing_ok=True)
        result = StopResult(
            name,
            "stopped" if leader else "not running",
            record.pid,
            killed=[names.get(proc.pid, f"pid {proc.pid}") for proc in killed],
            survivors=[names.get(proc.pid, f"pid {proc.pid}") for proc in survivors],
        )
        if not leader:
            result.notes.append(f"{_label(inspection.state)} pidfile removed: {inspection.reason}")
            if others:
                result.notes.append(f"{len(others)} leftover process(es) of its last run stopped")
        return result

    def _permission_check(self, name: str, procs: list[psutil.Process]) -> None:
        """Ask the kernel (signal 0 sends nothing) whether every process may be
        signalled, before any of them is."""
        for proc in procs:
            try:
                os.kill(proc.pid, 0)
            except ProcessLookupError:
                continue
            except PermissionError:
                me = user_name(os.geteuid())
                raise ProcessPermissionError(
                    f"{name}: {describe(proc)} belongs to {owner_name(proc)}, and this command runs as {me}, "
                    f"which may not signal it. Run `services` as that user (or root). Nothing was changed."
                ) from None

    @contextlib.contextmanager
    def _lock(self, name: str, *, blocking: bool = True) -> Iterator[bool]:
        """One command at a time changes a process's pidfile."""
        try:
            self.run_dir.mkdir(parents=True, exist_ok=True)
            handle = open(self.run_dir / f".{name}.lock", "a")  # noqa: SIM115 - closed below
        except PermissionError as error:
            raise ProcessPermissionError(
                f"Cannot write to {self.run_dir} ({error.strerror}); nothing was changed."
            ) from None
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _label(state: str) -> str:
    return {DEAD: "dead process's", ZOMBIE: "exited process's", STALE: "stale"}.get(state, state)


def _recorded_before_exec(record: PidRecord) -> bool:
    """The pidfile caught `sh -c "exec ..."` before the exec, so the command line
    it holds is the shell's; only the start time can be compared."""
    line = shell_line(record.command)
    return line.startswith("exec ") and record.cmdline == ("/bin/sh", "-c", line)


def _settled_cmdline(proc: psutil.Process, line: str) -> tuple[str, ...]:
    """The command line once `sh -c "exec prog"` has become `prog`."""
    wrapper = ("/bin/sh", "-c", line)
    deadline = time.monotonic() + EXEC_SETTLE
    while True:
        try:
            cmdline = tuple(proc.cmdline())
        except psutil.Error:
            return wrapper  # it has already exited; the start reports that
        if cmdline and (cmdline != wrapper or not line.startswith("exec ")):
            return cmdline
        if time.monotonic() > deadline:
            return cmdline or wrapper
        time.sleep(0.01)


def _environment_mark(proc: psutil.Process) -> str | None:
    try:
        return proc.environ().get(RUN_ID_VARIABLE)
    except psutil.Error:  # gone, a zombie, or another user's
        return None


def process_children(proc: psutil.Process) -> list[psutil.Process]:
    try:
        return proc.children(recursive=True)
    except psutil.Error:
        return []


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text)
    os.replace(temporary, path)


def _tail(path: Path, lines: int = 10) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:]) or "(empty log)"
