"""What `services status` shows for each process of the Procfile: its state, and
while it runs its PID, uptime, CPU %, memory and children (the whole tree), plus
for `web` whether it answers /healthz. Reading the status also removes the
pidfiles `storyforge.operations.background` recognises as dead or stale."""

from __future__ import annotations

import contextlib
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass

import psutil

from storyforge.operations.background import (
    DEAD,
    RUNNING,
    STALE,
    ZOMBIE,
    DetachedProcesses,
    Inspection,
    process_children,
)
from storyforge.operations.processes import ProcessSpec

CPU_SAMPLE = 0.2  # seconds between the two readings a first CPU % needs
HEALTH_PROBE_TIMEOUT = 2.0
HEALTH_CHECKED = "web"  # the process that answers /healthz


@dataclass
class ProcessStatus:
    name: str
    state: str
    pid: int | None = None
    uptime: float | None = None  # seconds
    cpu_percent: float | None = None  # the process and its children; 100 = one core
    memory_rss: int | None = None  # bytes, the process and its children
    children: int | None = None
    health: str | None = None  # web only: "ok" or "failing (...)"
    message: str = ""
    log: str = ""
    pidfile: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


class StatusReader:
    """Reads `ProcessStatus` for each process; kept across `--watch` refreshes so
    that CPU % covers the time since the previous one."""

    def __init__(
        self,
        manager: DetachedProcesses,
        specs: list[ProcessSpec],
        *,
        health_probe: Callable[[str], str] | None = None,
        default_port: str = "8000",
    ):
        self.manager = manager
        self.specs = specs
        self.health_probe = health_probe or web_health
        self.default_port = default_port
        self._sampled: dict[tuple[int, float], psutil.Process] = {}

    def read(self) -> list[ProcessStatus]:
        inspections = [self.manager.inspect(spec.name) for spec in self.specs]
        trees = {i.name: self._tree(i.process) for i in inspections if i.state == RUNNING}
        fresh = [proc for tree in trees.values() for proc in tree if (proc.pid, _created(proc)) not in self._sampled]
        for proc in fresh:
            with contextlib.suppress(psutil.Error):
                proc.cpu_percent(None)  # the first reading only starts the clock
            self._sampled[(proc.pid, _created(proc))] = proc
        if fresh:
            time.sleep(CPU_SAMPLE)
        return [self._status(inspection, trees.get(inspection.name)) for inspection in inspections]

    def _tree(self, leader: psutil.Process) -> list[psutil.Process]:
        tree = [leader, *process_children(leader)]
        # The same objects as last time, or CPU % starts from zero again.
        return [self._sampled.get((proc.pid, _created(proc)), proc) for proc in tree]

    def _status(self, inspection: Inspection, tree: list[psutil.Process] | None) -> ProcessStatus:
        name, record = inspection.name, inspection.record
        status = ProcessStatus(
            name,
            inspection.state,
            record.pid if record else None,
            log=str(self.manager.log_path(name)),
            pidfile=str(self.manager.pidfile(name)),
        )
        if inspection.state == RUNNING:
            status.uptime = round(max(0.0, time.time() - record.create_time), 1)
            status.children = len(tree) - 1
            status.cpu_percent = round(sum(_read(proc.cpu_percent, None) or 0.0 for proc in tree), 1)
            status.memory_rss = sum(getattr(_read(proc.memory_info), "rss", 0) for proc in tree)
            if name == HEALTH_CHECKED:
                status.health = self.health_probe(record.port or self.default_port)
            return status
        if inspection.state in (DEAD, ZOMBIE):
            left = self.manager.leftovers(record)
            status.message = inspection.reason
            if left:
                status.message += f"; {len(left)} process(es) of that run are still alive: `services stop {name}`"
            elif inspection.state == DEAD:
                removed = self.manager.forget(inspection)
                status.message += f"; it exited without `services stop` (see {status.log})"
                status.message += "; stale pidfile removed" if removed else ""
        elif inspection.state == STALE:
            removed = self.manager.forget(inspection)
            status.message = inspection.reason + ("; stale pidfile removed, that process left alone" if removed else "")
        return status


def web_health(port: str, timeout: float = HEALTH_PROBE_TIMEOUT) -> str:
    """GET http://127.0.0.1:PORT/healthz: "ok", or "failing (why)"."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through an HTTP proxy
    try:
        with opener.open(f"http://127.0.0.1:{port}/healthz", timeout=timeout) as response:
            body = json.loads(response.read() or b"{}")
            if response.status == 200 and body.get("status") == "ok":
                return "ok"
            return f"failing (HTTP {response.status})"
    except urllib.error.HTTPError as error:
        return f"failing (HTTP {error.code})"
    except urllib.error.URLError as error:
        return f"failing ({getattr(error.reason, 'strerror', None) or error.reason})"
    except (OSError, ValueError) as error:
        return f"failing ({error.__class__.__name__})"


def _created(proc: psutil.Process) -> float:
    try:
        return proc.create_time()
    except psutil.Error:
        return 0.0


def _read(method, *args):
    try:
        return method(*args)
    except psutil.Error:
        return None
