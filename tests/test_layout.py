"""The shape docs/architecture.md describes stays true as the code grows."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIMIT = 400  # lines; a module past it is split along a seam a reader would expect
OWN_SOURCES = (".py", ".html", ".js", ".css")


def tracked_sources() -> list[Path]:
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [
        ROOT / name
        for name in listed.splitlines()
        if name.endswith(OWN_SOURCES) and "/migrations/" not in name and "/vendor/" not in name
    ]


def test_no_source_file_is_longer_than_400_lines():
    sources = tracked_sources()
    assert len(sources) > 100  # the listing found the project
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in sources
        if path.exists() and (lines := len(path.read_text().splitlines())) > LIMIT
    }
    assert too_long == {}


def test_the_project_package_keeps_only_the_project():
    """Settings (with its variables and their parsing), checks, URLs, the Celery app and WSGI/ASGI; everything else lives in a layer."""
    modules = {path.name for path in (ROOT / "storyforge").glob("*.py")}
    assert modules == {
        "__init__.py",
        "apps.py",
        "settings.py",
        "config.py",
        "variables.py",
        "checks.py",
        "access_checks.py",
        "urls.py",
        "api_urls.py",
        "celery.py",
        "wsgi.py",
        "asgi.py",
    }
    assert {path.name for path in (ROOT / "storyforge").iterdir() if path.is_dir() and path.name != "__pycache__"} == {
        "core",
        "generation",
        "operations",
    }
