"""What `services` remembers of a background process (its pidfile record) and what
it reports about it: the records, the outcomes of start and stop, and how a
process is named in messages. storyforge/operations/background.py does the work.
"""

from __future__ import annotations

import json
import pwd
from dataclasses import asdict, dataclass, field

import psutil


class ProcessPermissionError(Exception):
    """A process (or the run folder) belongs to another user; nothing was changed."""


class LeftoversRunning(Exception):
    """Processes of a previous run are still alive; starting again would double them."""


@dataclass(frozen=True)
class PidRecord:
    """What a pidfile holds: enough to recognise the process later."""

    name: str
    pid: int
    create_time: float
    cmdline: tuple[str, ...]
    command: str  # the Procfile line
    started_at: str  # ISO 8601, UTC
    port: str = ""  # the PORT the process was given, for the /healthz probe
    run_id: str = ""  # RUN_ID_VARIABLE's value in the process's environment

    def to_json(self) -> str:
        return json.dumps({**asdict(self), "cmdline": list(self.cmdline)}, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> PidRecord:
        """Raises ValueError for anything that is not a pidfile written by `to_json`."""
        try:
            data = json.loads(text)
            return cls(
                name=str(data["name"]),
                pid=int(data["pid"]),
                create_time=float(data["create_time"]),
                cmdline=tuple(str(part) for part in data["cmdline"]),
                command=str(data.get("command", "")),
                started_at=str(data.get("started_at", "")),
                port=str(data.get("port") or ""),
                run_id=str(data.get("run_id") or ""),
            )
        except (TypeError, KeyError, AttributeError, json.JSONDecodeError) as error:
            raise ValueError(f"not a StoryForge pidfile ({error.__class__.__name__})") from None


@dataclass
class Inspection:
    """What a pidfile's process is now. `process` is set only when it is ours."""

    name: str
    state: str
    record: PidRecord | None = None
    process: psutil.Process | None = None
    reason: str = ""


@dataclass
class StartResult:
    name: str
    outcome: str  # "started", "already running" or "failed"
    pid: int | None = None
    detail: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass
class StopResult:
    name: str
    outcome: str  # "stopped" or "not running"
    pid: int | None = None
    killed: list[str] = field(default_factory=list)  # processes that needed SIGKILL
    survivors: list[str] = field(default_factory=list)  # still alive even after SIGKILL
    notes: list[str] = field(default_factory=list)


def describe(proc: psutil.Process) -> str:
    """`pid 123 (gunicorn: python gunicorn storyforge.wsgi...)`, whatever can still be read."""
    try:
        what = " ".join(proc.cmdline()) or proc.name()
    except psutil.Error:
        what = "exited"
    if len(what) > 80:
        what = what[:77] + "..."
    return f"pid {proc.pid} ({what})"


def user_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def owner_name(proc: psutil.Process) -> str:
    try:
        return proc.username()
    except (psutil.Error, KeyError):
        return "another user"
