"""DATABASE_POOL_MAX_SIZE gives each process a psycopg pool instead of persistent connections."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOW = (
    "import json; from django.conf import settings; d = settings.DATABASES['default'];"
    "print(json.dumps({'age': d['CONN_MAX_AGE'], 'pool': d.get('OPTIONS', {}).get('pool')}))"
)


def database_settings(tmp_path, **env) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE", "STORYFORGE", "DJANGO"))}
    clean.update(
        {
            "STORYFORGE_READ_DOT_ENV": "0",
            "STORYFORGE_VAR_DIR": str(tmp_path / "var"),
            "DJANGO_SETTINGS_MODULE": "storyforge.settings",
            "DATABASE_URL": "postgres://storyforge@127.0.0.1:5432/storyforge",
            **env,
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {SHOW}"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_without_a_pool_connections_persist(tmp_path):
    assert database_settings(tmp_path) == {"age": 60, "pool": None}


def test_a_pool_size_gives_a_pool_and_no_persistent_connections(tmp_path):
    found = database_settings(tmp_path, DATABASE_POOL_MAX_SIZE="4")
    assert found["age"] == 0
    assert found["pool"]["max_size"] == 4 and found["pool"]["min_size"] == 1


@pytest.mark.parametrize("value", ["lots", "-3"])
def test_a_malformed_pool_size_means_no_pool(tmp_path, value):
    assert database_settings(tmp_path, DATABASE_POOL_MAX_SIZE=value)["pool"] is None
