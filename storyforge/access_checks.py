"""Configuration checks of who may reach what: how private pictures are sent, and who
may sign up. Registered with the others (storyforge/checks.py) and listed, with
their ids, in docs/configuration.md."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Warning, register

from storyforge import config

MEDIA_SENDFILE_MODES = ("app", "nginx", "apache", "redirect")
SIGNUP_MODES = ("open", "invite", "closed")


@register()
def check_media_sendfile(app_configs=None, **kwargs):
    errors = []
    if settings.MEDIA_SENDFILE not in MEDIA_SENDFILE_MODES:
        errors.append(
            Error(
                f"MEDIA_SENDFILE is '{settings.MEDIA_SENDFILE}', which StoryForge does not know.",
                hint="Use 'app', 'nginx' (X-Accel-Redirect), 'apache' (X-Sendfile) or, with object storage, "
                "'redirect' (signed addresses).",
                id="storyforge.E021",
            )
        )
    on_s3 = settings.STORYFORGE_MEDIA_STORAGE == "s3"
    if on_s3 and settings.MEDIA_SENDFILE in ("nginx", "apache"):
        errors.append(
            Error(
                f"MEDIA_SENDFILE is '{settings.MEDIA_SENDFILE}', but files are in object storage, not on this disk.",
                hint="Use 'redirect' (the default with s3: signed addresses) or 'app' (the app sends them).",
                id="storyforge.E021",
            )
        )
    if not on_s3 and settings.MEDIA_SENDFILE == "redirect":
        errors.append(
            Error(
                "MEDIA_SENDFILE is 'redirect', which needs object storage (STORYFORGE_MEDIA_STORAGE=s3).",
                hint="Use 'app', 'nginx' or 'apache' for files on this disk.",
                id="storyforge.E021",
            )
        )
    prefix = settings.MEDIA_SENDFILE_PREFIX
    if settings.MEDIA_SENDFILE == "nginx" and not (prefix.startswith("/") and prefix.endswith("/")):
        errors.append(
            Error(
                f"MEDIA_SENDFILE_PREFIX is '{prefix}'; nginx needs a location path.",
                hint="Write it with a slash at both ends, e.g. /protected-media/, as in docs/operations.md.",
                id="storyforge.E021",
            )
        )
    return errors


@register()
def check_signup(app_configs=None, **kwargs):
    if settings.STORYFORGE_SIGNUP not in SIGNUP_MODES:
        return [
            Error(
                f"STORYFORGE_SIGNUP is '{settings.STORYFORGE_SIGNUP}', which StoryForge does not know; "
                "sign-up is closed meanwhile.",
                hint="Use 'open', 'invite' or 'closed'.",
                id="storyforge.E022",
            )
        ]
    return []


@register(deploy=True)
def check_signup_open_in_production(app_configs=None, **kwargs):
    if settings.PRODUCTION and settings.STORYFORGE_SIGNUP == "open":
        return [
            Warning(
                "STORYFORGE_SIGNUP is 'open' in production: anyone who finds this server can make an "
                "account and spend its AI budget.",
                hint="Use 'invite' and send links from the admin or with `manage.py invite`, unless that is what you want.",
                id="storyforge.W063",
            )
        ]
    return []


@register()
def check_media_storage(app_configs=None, **kwargs):
    """STORYFORGE_MEDIA_STORAGE and, for `s3`, the AWS_* variables django-storages reads."""
    kind = settings.STORYFORGE_MEDIA_STORAGE
    if kind not in config.MEDIA_STORAGES:
        return [
            Error(
                f"STORYFORGE_MEDIA_STORAGE is '{kind}', which StoryForge does not know; files stay in MEDIA_ROOT.",
                hint="Use 'local' (MEDIA_ROOT) or 's3' (S3-compatible object storage, docs/operations.md).",
                id="storyforge.E023",
            )
        ]
    if kind != "s3":
        return []
    problems = []
    if not settings.AWS_STORAGE_BUCKET_NAME:
        problems.append("AWS_STORAGE_BUCKET_NAME is not set")
    endpoint = settings.AWS_S3_ENDPOINT_URL
    if endpoint:
        try:
            parts = urlsplit(endpoint)
            address = parts.scheme in ("http", "https") and parts.hostname
        except ValueError:  # such as http://[::1
            address = False
        if not address:
            problems.append(f"AWS_S3_ENDPOINT_URL '{endpoint}' is not an http(s):// address")
    if bool(settings.AWS_ACCESS_KEY_ID) != bool(settings.AWS_SECRET_ACCESS_KEY):
        have, missing = (
            ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")
            if settings.AWS_ACCESS_KEY_ID
            else ("AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID")
        )
        problems.append(f"{have} is set but {missing} is not")
    if not 1 <= settings.AWS_QUERYSTRING_EXPIRE <= 7 * 24 * 3600:
        problems.append("AWS_QUERYSTRING_EXPIRE is not a number of seconds from 1 to 604800")
    return [
        Error(
            f"Object storage: {problem}.",
            hint="Set the AWS_* variables as docs/operations.md shows, e.g. "
            "AWS_S3_ENDPOINT_URL=https://minio.example.org:9000.",
            id="storyforge.E024",
        )
        for problem in problems
    ]
