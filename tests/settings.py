"""Settings for the test suite.

Tests must not depend on the developer's own environment, so every variable
StoryForge reads is removed and the `.env` file is ignored before the real
settings load; tests then set what they need. Data goes to a throw-away folder.

`STORYFORGE_TEST_DATABASE=postgres` runs the suite on a throw-away PostgreSQL
cluster started here (see tests/servers.py and docs/testing.md).
"""

import atexit
import os
import shutil
import tempfile

from storyforge import variables

for _name in list(os.environ):
    if _name in variables.INTERNAL_NAMES:
        continue
    if _name.upper() in variables.KNOWN_NAMES or _name.upper().startswith("STORYFORGE"):
        del os.environ[_name]
os.environ["STORYFORGE_READ_DOT_ENV"] = "0"
TEST_VAR_DIR = tempfile.mkdtemp(prefix="storyforge-test-")
atexit.register(shutil.rmtree, TEST_VAR_DIR, ignore_errors=True)
os.environ["STORYFORGE_VAR_DIR"] = TEST_VAR_DIR

from storyforge.settings import *  # noqa: E402,F403

SECRET_KEY = "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ"
SECRET_KEY_SOURCE = "environment"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "storyforge-tests"}}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 - WhiteNoise warns when it is missing
CELERY_BROKER_URL = "memory://"
CELERY_BROKER_TRANSPORT_OPTIONS = {}

# A file, not memory, so that a real Celery worker started by a test sees the data.
DATABASES["default"]["TEST"] = {"NAME": os.path.join(TEST_VAR_DIR, "test.sqlite3")}  # noqa: F405

if os.environ.get("STORYFORGE_TEST_DATABASE") == "postgres":
    from tests.servers import postgres_for_settings

    DATABASES = {"default": postgres_for_settings()}
