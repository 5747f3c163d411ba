"""What STORYFORGE_MEDIA_STORAGE=s3 and the AWS_* variables make of the settings: the
storage, signed addresses by default, and the bucket's origin in the
Content-Security-Policy, without which browsers refuse every redirected picture."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from storyforge import access_checks, config

ROOT = Path(__file__).resolve().parents[2]

SHOW_SETTINGS = """
import json
from django.conf import settings
policy = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
print(json.dumps({
    "backend": settings.STORAGES["default"]["BACKEND"],
    "sendfile": settings.MEDIA_SENDFILE,
    "expire": settings.AWS_QUERYSTRING_EXPIRE,
    "policy": {name: policy[name] for name in ("img-src", "media-src", "connect-src")},
}))
"""


def settings_with(**variables) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STORYFORGE", "DJANGO", "AWS_", "MEDIA"))}
    env.update(DJANGO_SETTINGS_MODULE="storyforge.settings", STORYFORGE_READ_DOT_ENV="0", **variables)
    result = subprocess.run(
        [sys.executable, "-c", SHOW_SETTINGS], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_object_storage_settings_sign_addresses_and_let_the_bucket_through_the_policy(tmp_path):
    minio = "https://minio.example.org:9000"
    variables = {"STORYFORGE_VAR_DIR": str(tmp_path), "STORYFORGE_MEDIA_STORAGE": "s3"}
    variables |= {"AWS_STORAGE_BUCKET_NAME": "books", "AWS_S3_ENDPOINT_URL": minio}

    shown = settings_with(**variables)

    assert (shown["backend"], shown["sendfile"], shown["expire"]) == ("storages.backends.s3.S3Storage", "redirect", 300)
    assert all(minio in sources for sources in shown["policy"].values())
    # Proxied through the app, the browser never meets the bucket: nothing is let through.
    proxied = settings_with(**variables, MEDIA_SENDFILE="app")["policy"]
    assert proxied == {"img-src": ["'self'", "data:", "blob:"], "media-src": ["'self'"], "connect-src": ["'self'"]}


@pytest.mark.parametrize(
    ("variables", "origin"),
    [
        ({"AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000"}, "http://127.0.0.1:9000"),
        (
            {"AWS_S3_ENDPOINT_URL": "https://r2.example.com/", "AWS_S3_ADDRESSING_STYLE": "virtual"},
            "https://books.r2.example.com",
        ),
        ({}, "https://*.amazonaws.com"),  # AWS itself
        ({"AWS_S3_ENDPOINT_URL": "minio:9000"}, ""),
        ({"AWS_S3_ENDPOINT_URL": "http://[::1"}, ""),
    ],
)
def test_the_media_origin_is_where_the_signed_addresses_point(variables, origin):
    options = config.media_storage_options("s3", {"AWS_STORAGE_BUCKET_NAME": "books", **variables})
    assert options["MEDIA_ORIGIN"] == origin
    assert config.media_storage_options("local", variables)["MEDIA_ORIGIN"] == ""


def test_a_malformed_endpoint_is_named_by_the_check_not_a_traceback(settings):
    settings.STORYFORGE_MEDIA_STORAGE = "s3"
    settings.AWS_STORAGE_BUCKET_NAME = "books"
    settings.AWS_S3_ENDPOINT_URL = "http://[::1"

    (message,) = access_checks.check_media_storage()

    assert message.id == "storyforge.E024" and "AWS_S3_ENDPOINT_URL" in message.msg
