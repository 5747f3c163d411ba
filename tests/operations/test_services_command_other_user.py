"""`services stop` run as another user than the one a process belongs to: it says
so and changes nothing. The command runs as `nobody`, from this checkout, which
only works where nobody may enter the checkout; elsewhere the test is skipped,
naming the folder in the way."""

import os
import pwd
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

import psutil
import pytest

from storyforge.operations import processes
from storyforge.operations.background import PidRecord

ROOT = Path(__file__).resolve().parents[2]
OTHER_USER = "nobody"
# Run as OTHER_USER: prints the first path of its arguments it may not use ("x:" a
# folder to enter, "r:" something to read), or nothing.
ACCESS_SCRIPT = """
for step; do
  case $step in
    x:*) [ -x "${step#x:}" ] || { echo "${step#x:}"; exit 0; } ;;
    r:*) [ -r "${step#r:}" ] || { echo "${step#r:}"; exit 0; } ;;
  esac
done
"""


def closed_to_other_user(*paths: Path) -> Path | None:
    """The first folder on the way to one of `paths`, or one of them, that OTHER_USER
    may not enter or read; None when it can reach them all. The kernel answers
    (`test` run as that user), so groups and ACLs count as they will for the command."""
    steps = []
    for path in paths:
        steps += [f"x:{folder}" for folder in reversed(path.parents)]
        steps += [f"x:{path}", f"r:{path}"] if path.is_dir() else [f"r:{path}"]
    answer = subprocess.run(
        ["sh", "-c", ACCESS_SCRIPT, "sh", *steps],
        user=OTHER_USER,
        cwd="/",
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return Path(answer.stdout.strip()) if answer.stdout.strip() else None


def owner_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def python_for_other_user() -> list[str]:
    """This virtualenv's Python as OTHER_USER can run it. When the interpreter itself
    sits in a folder closed to other users (pyenv under /root), the system's
    interpreter of the same version, with the virtualenv's packages added."""
    try:
        subprocess.run([sys.executable, "-c", "pass"], user=OTHER_USER, check=True, capture_output=True, timeout=30)
        return [sys.executable]
    except (PermissionError, subprocess.CalledProcessError):
        pass
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    system = Path(f"/usr/bin/python{version}")
    if not system.exists():
        pytest.skip(f"no Python {version} that the user {OTHER_USER} may run")
    packages = sysconfig.get_paths()["purelib"]
    loader = (
        f"import runpy, site, sys; site.addsitedir({packages!r}); sys.argv = sys.argv[1:]; "
        "runpy.run_path(sys.argv[0], run_name='__main__')"
    )
    return [str(system), "-c", loader]


def manage_py_for_other_user(folder: Path) -> list[str]:
    """The command line that runs this checkout's manage.py as OTHER_USER, with the
    Procfile and var/ in `folder`. Skips the test, saying which folder is closed,
    when OTHER_USER cannot reach the checkout (a clone in a private home folder,
    mode 0700), the virtualenv's packages or `folder` (a private TMPDIR)."""
    python = python_for_other_user()
    needed = [ROOT, ROOT / "manage.py", folder / "Procfile"]
    if python[0] != sys.executable:
        needed.append(Path(sysconfig.get_paths()["purelib"]))
    closed = closed_to_other_user(*needed)
    if closed is not None:
        status = closed.stat()
        pytest.skip(
            f"the user {OTHER_USER} may not use {closed} (mode {status.st_mode & 0o7777:04o}, "
            f"owner {owner_name(status.st_uid)}), "
            f"which running this checkout's manage.py as {OTHER_USER} needs: run the test from a checkout, "
            f"virtualenv and TMPDIR that other users may enter, such as under /srv or /tmp"
        )
    return [*python, str(ROOT / "manage.py")]


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run a command as another user")
def test_stopping_another_users_process_says_so_and_touches_nothing():
    folder = Path(tempfile.mkdtemp(prefix="storyforge-services-"))  # /tmp: reachable by nobody
    victim = subprocess.Popen(["sleep", "60"])  # root's
    try:
        folder.chmod(0o755)
        (folder / "Procfile").write_text("victim: sleep 60\n")
        run_dir = folder / "var" / "run"
        run_dir.mkdir(parents=True)
        proc = psutil.Process(victim.pid)
        record = PidRecord("victim", victim.pid, proc.create_time(), tuple(proc.cmdline()), "sleep 60", "2026-01-01")
        (run_dir / "victim.pid").write_text(record.to_json())
        for path in (folder / "var", run_dir):
            path.chmod(0o755)
        env = {
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "storyforge.settings",
            "STORYFORGE_VAR_DIR": str(folder / "var"),
            "LOG_DIR": str(folder / "var" / "log"),
            "STORYFORGE_READ_DOT_ENV": "0",
            "SECRET_KEY": "a-test-secret-key-" + "x" * 40 + "0123456789",
            "HOME": str(folder),
        }
        stop = ["services", "stop", "victim", "--procfile", str(folder / "Procfile")]
        answer = subprocess.run(
            manage_py_for_other_user(folder) + stop,
            user=OTHER_USER,
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert answer.returncode == processes.EXIT_PERMISSION, answer.stderr
        assert "belongs to root" in answer.stderr and f"runs as {OTHER_USER}" in answer.stderr
        assert "Nothing was changed" in answer.stderr
        assert victim.poll() is None  # still running
        assert (run_dir / "victim.pid").read_text() == record.to_json()
    finally:
        victim.kill()
        victim.wait()
        shutil.rmtree(folder, ignore_errors=True)
