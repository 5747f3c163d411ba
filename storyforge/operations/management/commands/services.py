"""`services run|start|stop|restart|status`: the Procfile's processes, in the
foreground or in the background. Exit codes: storyforge.operations.processes, docs/operations.md."""

import argparse
import json
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, SystemCheckError

from storyforge.operations import background as detached
from storyforge.operations import process_status, processes


def _seconds(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{raw}' is not a number of seconds") from None
    if value < 0:
        raise argparse.ArgumentTypeError("seconds cannot be negative")
    return value


def _positive(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{raw}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("it must be at least 1")
    return value


class Command(BaseCommand):
    help = "Run StoryForge's processes (the Procfile's web, worker and beat lines), in the foreground or background."
    requires_system_checks = []  # checked explicitly below, so a failure stops with its exit code

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        actions = {
            "run": "Run in the foreground; Ctrl-C stops everything.",
            "start": "Start in the background: output to LOG_DIR/NAME.log, pidfile in VAR_DIR/run/NAME.pid.",
            "stop": "Stop background processes: SIGTERM to each process group, SIGKILL after the timeout.",
            "restart": "Stop, then start again (the configuration checks run before anything is stopped).",
            "status": "State, PID, uptime, CPU, memory and children of each process; web's /healthz.",
        }
        for action, text in actions.items():
            command = sub.add_parser(action, help=text, description=text)
            command.add_argument("names", nargs="*", help="Process names from the Procfile (default: all).")
            command.add_argument(
                "--procfile", type=Path, default=processes.PROCFILE, help="Another Procfile (default: the project's)."
            )
            if action in ("stop", "restart"):
                command.add_argument(
                    "--timeout",
                    type=_seconds,
                    default=processes.STOP_TIMEOUT,
                    help=f"Seconds between SIGTERM and SIGKILL (default {processes.STOP_TIMEOUT:g}).",
                )
            if action == "status":
                command.add_argument(
                    "--json", action="store_true", dest="as_json", help="One JSON document (a line per refresh)."
                )
                command.add_argument("--watch", action="store_true", help="Refresh until Ctrl-C.")
                command.add_argument("--interval", type=_seconds, default=2.0, help="Seconds between refreshes.")
                command.add_argument("--count", type=_positive, help="With --watch: stop after this many refreshes.")

    def handle(self, *args, action, names=(), procfile=processes.PROCFILE, **options):
        try:
            specs = processes.procfile_read(procfile)
        except OSError as error:
            raise CommandError(f"Cannot read the Procfile {procfile}: {error.strerror}.") from None
        known = {spec.name for spec in specs}
        unknown = sorted(set(names) - known)
        if unknown:
            raise CommandError(
                f"No process named {', '.join(unknown)} in the Procfile (it has {', '.join(sorted(known))}).",
                returncode=processes.EXIT_UNKNOWN_NAME,
            )
        if names:
            specs = [spec for spec in specs if spec.name in names]
        if action in ("run", "start", "restart"):
            self._check_configuration()
        if action == "run":
            code = processes.ForegroundRunner(specs, out=self.stdout._out).run()
            if code:
                raise SystemExit(code)
            return
        manager = detached.DetachedProcesses(
            run_dir=Path(settings.VAR_DIR) / "run",
            log_dir=Path(settings.LOG_DIR),
            cwd=Path(settings.BASE_DIR),
            env=processes.environment_for_children(),
        )
        try:
            if action == "start":
                self._start(manager, specs)
            elif action == "stop":
                self._stop(manager, specs, options["timeout"])
            elif action == "restart":
                self._stop(manager, specs, options["timeout"])
                self._start(manager, specs)
            else:
                self._status(manager, specs, **options)
        except detached.ProcessPermissionError as error:
            raise CommandError(str(error), returncode=processes.EXIT_PERMISSION) from None

    def _check_configuration(self):
        try:
            call_command("check", fail_level="ERROR", stdout=self.stdout, stderr=self.stderr)
        except SystemCheckError as exc:
            raise CommandError(
                f"Configuration checks failed; nothing was started.\n{exc}", returncode=processes.EXIT_CHECKS_FAILED
            ) from None

    def _start(self, manager, specs):
        failed = []
        for spec in specs:
            try:
                result = manager.start(spec)
            except detached.LeftoversRunning as error:
                failed.append(str(error))
                continue
            for note in result.notes:
                self.stdout.write(f"{spec.name}: {note}")
            if result.outcome == "started":
                self.stdout.write(f"{spec.name}: started, pid {result.pid}; log {manager.log_path(spec.name)}")
            elif result.outcome == "already running":
                self.stdout.write(f"{spec.name}: already running, pid {result.pid}; nothing changed")
            else:
                failed.append(f"{spec.name} (pid {result.pid}) {result.detail}")
        if failed:
            raise CommandError("Not started: " + "\n".join(failed), returncode=processes.EXIT_START_FAILED)

    def _stop(self, manager, specs, timeout):
        survivors = []
        # In reverse Procfile order: beat stops sending work before the worker stops.
        for spec in reversed(specs):
            result = manager.stop(spec.name, timeout)
            for note in result.notes:
                self.stdout.write(f"{spec.name}: {note}")
            if result.outcome == "stopped":
                self.stdout.write(f"{spec.name}: stopped (pid {result.pid})")
            elif not result.notes:
                self.stdout.write(f"{spec.name}: not running")
            for description in result.killed:
                self.stdout.write(f"{spec.name}: {description} did not stop within {timeout:g} s and was killed")
            survivors += [f"{spec.name}: {description}" for description in result.survivors]
        if survivors:
            raise CommandError(
                "Still running after SIGKILL (stuck in the kernel, or not ours to signal): " + "; ".join(survivors),
                returncode=processes.EXIT_NOT_STOPPED,
            )

    def _status(self, manager, specs, *, as_json=False, watch=False, interval=2.0, count=None, **options):
        reader = process_status.StatusReader(manager, specs, default_port=str(settings.PORT))
        if not watch:
            statuses = reader.read()
            self._status_show(statuses, as_json=as_json, indent=2)
            not_running = [s.name for s in statuses if s.state != detached.RUNNING or s.health not in (None, "ok")]
            if not_running:
                raise CommandError(
                    f"Not running or not healthy: {', '.join(not_running)}.", returncode=processes.EXIT_NOT_RUNNING
                )
            return
        refreshes = 0
        try:
            while count is None or refreshes < count:
                if refreshes:
                    time.sleep(interval)
                statuses = reader.read()
                if not as_json and self.stdout.isatty():
                    self.stdout.write("\033[H\033[2J", ending="")
                self._status_show(statuses, as_json=as_json, indent=None)
                refreshes += 1
        except KeyboardInterrupt:
            pass

    def _status_show(self, statuses, *, as_json, indent):
        if as_json:
            document = {
                "time": round(time.time(), 3),
                "processes": [status.as_dict() for status in statuses],
            }
            self.stdout.write(json.dumps(document, indent=indent))
            return
        self.stdout.write(time.strftime("%Y-%m-%d %H:%M:%S"))
        header = ("NAME", "STATE", "PID", "UPTIME", "CPU%", "MEMORY", "CHILDREN", "HEALTH")
        rows = [header] + [
            (
                s.name,
                "stale pidfile" if s.state == detached.STALE else s.state,
                _dash(s.pid),
                _duration(s.uptime),
                _dash(s.cpu_percent),
                _size(s.memory_rss),
                _dash(s.children),
                s.health or "-",
            )
            for s in statuses
        ]
        widths = [max(len(str(row[i])) for row in rows) for i in range(len(header))]
        for row in rows:
            self.stdout.write(
                "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
            )
        for s in statuses:
            if s.message:
                self.stdout.write(f"{s.name}: {s.message}")
        self.stdout.flush()


def _dash(value) -> str:
    return "-" if value is None else str(value)


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    seconds = int(seconds)
    days, seconds = divmod(seconds, 86400)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    if days:
        return f"{days}d{hours:02d}h"
    if hours:
        return f"{hours}h{minutes:02d}m"
    return f"{minutes}m{seconds:02d}s"


def _size(value: int | None) -> str:
    if value is None:
        return "-"
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return str(value)
