"""Each configuration mistake gives its check id and a hint; a good value gives none."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from storyforge import checks, config

ROOT = Path(__file__).resolve().parents[2]


def ids(messages):
    return [message.id for message in messages]


# SECRET_KEY


def test_production_without_a_secret_key_is_an_error(settings):
    settings.SECRET_KEY_SOURCE = "missing"
    [message] = checks.check_secret_key()
    assert message.id == "storyforge.E001"
    assert "SECRET_KEY" in message.msg and "secrets.token_urlsafe" in message.hint


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("short-but-random-Zx8", "characters long"),
        ("a" * 30 + "b" * 30, "distinct characters"),
        ("django-insecure-" + "x1y2z3" * 10, "well-known"),
        ("changeme", "well-known"),
    ],
)
def test_a_weak_secret_key_is_an_error_in_production(settings, key, reason):
    settings.SECRET_KEY, settings.SECRET_KEY_SOURCE, settings.PRODUCTION = key, "environment", True
    [message] = checks.check_secret_key()
    assert message.id == "storyforge.E002"
    assert reason in message.msg
    assert key not in message.msg  # the key itself is never printed


def test_a_weak_secret_key_is_only_a_warning_in_development(settings):
    settings.SECRET_KEY, settings.SECRET_KEY_SOURCE, settings.PRODUCTION = "tiny", "environment", False
    assert ids(checks.check_secret_key()) == ["storyforge.W002"]


def test_a_strong_secret_key_passes(settings):
    settings.SECRET_KEY, settings.SECRET_KEY_SOURCE, settings.PRODUCTION = (
        config.secret_key_generate(),
        "environment",
        True,
    )
    assert checks.check_secret_key() == []


def test_the_generated_development_key_is_kept_and_reused(tmp_path):
    path = tmp_path / "var" / "secret_key"
    first = config.secret_key_load_or_create(path)
    assert config.secret_key_problem(first) is None
    assert config.secret_key_load_or_create(path) == first
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_an_unwritable_key_file_gives_no_key_rather_than_a_traceback():
    assert config.secret_key_load_or_create(Path("/sys/storyforge/secret_key")) is None


# OPENAI_API_KEY and the provider


@pytest.fixture
def openai_selected(settings):
    settings.STORYFORGE_AI_PROVIDER = "openai"
    settings.OPENAI_BASE_URL = ""
    return settings


def test_openai_without_a_key_is_an_error(openai_selected):
    openai_selected.OPENAI_API_KEY = ""
    [message] = checks.check_ai_provider()
    assert message.id == "storyforge.E010"
    assert "STORYFORGE_AI_PROVIDER=offline" in message.hint


@pytest.mark.parametrize(
    "key", ['"sk-abcdefghijklmnopqrstuvwxyz0123456789"', " sk-abcdefghijklmnopqrstuvwxyz0123456789\n"]
)
def test_a_key_in_quotes_or_spaces_is_an_error(openai_selected, key):
    openai_selected.OPENAI_API_KEY = key
    [message] = checks.check_ai_provider()
    assert message.id == "storyforge.E011"
    assert key.strip(' "\n') not in message.msg + message.hint


def test_a_key_with_the_wrong_prefix_is_an_error(openai_selected):
    openai_selected.OPENAI_API_KEY = "pk-abcdefghijklmnopqrstuvwxyz0123456789"
    [message] = checks.check_ai_provider()
    assert message.id == "storyforge.E012"
    assert "pk-abc" not in message.msg


def test_a_key_of_implausible_length_is_an_error(openai_selected):
    openai_selected.OPENAI_API_KEY = "sk-123"
    [message] = checks.check_ai_provider()
    assert message.id == "storyforge.E013"
    assert "6 characters" in message.msg and "sk-123" not in message.msg


def test_a_plausible_key_passes(openai_selected):
    openai_selected.OPENAI_API_KEY = "sk-proj-" + "A1b2C3d4" * 6
    assert checks.check_ai_provider() == []


def test_a_compatible_server_accepts_keys_of_any_shape(openai_selected):
    openai_selected.OPENAI_BASE_URL = "http://127.0.0.1:11434/v1"
    openai_selected.OPENAI_API_KEY = "ollama"
    assert checks.check_ai_provider() == []


def test_a_base_url_without_a_scheme_is_an_error(openai_selected):
    openai_selected.OPENAI_BASE_URL = "127.0.0.1:11434/v1"
    openai_selected.OPENAI_API_KEY = "ollama"
    assert ids(checks.check_ai_provider()) == ["storyforge.E015"]


def test_an_unknown_provider_is_an_error(settings):
    settings.STORYFORGE_AI_PROVIDER = "gpt5"
    [message] = checks.check_ai_provider()
    assert message.id == "storyforge.E014"


def test_the_offline_provider_needs_no_key(settings):
    settings.STORYFORGE_AI_PROVIDER, settings.OPENAI_API_KEY = "offline", ""
    assert checks.check_ai_provider() == []


@pytest.mark.parametrize(
    ("explicit", "key", "expected"),
    [("", "", "offline"), ("", "sk-x", "openai"), ("offline", "sk-x", "offline"), (" OpenAI ", "", "openai")],
)
def test_a_key_selects_openai_unless_a_provider_is_named(explicit, key, expected):
    assert config.ai_provider_choose(explicit, key) == expected


# Directories


def test_writable_directories_pass_and_are_created(settings, tmp_path):
    settings.VAR_DIR, settings.MEDIA_ROOT, settings.LOG_DIR = tmp_path / "var", tmp_path / "media", tmp_path / "var/log"
    assert checks.check_directories() == []
    assert (tmp_path / "media").is_dir() and (tmp_path / "var/log").is_dir()


def test_a_directory_that_is_a_file_is_an_error(settings, tmp_path):
    (tmp_path / "media").write_text("not a folder")
    settings.MEDIA_ROOT = tmp_path / "media"
    [message] = checks.check_directories()
    assert message.id == "storyforge.E020"
    assert "MEDIA_ROOT" in message.msg and str(tmp_path / "media") in message.msg
    assert "not a directory" in message.msg


def test_a_directory_that_cannot_be_created_names_the_path_and_the_permission(settings):
    # /sys refuses new folders even to root, so this holds in CI as well.
    settings.LOG_DIR = Path("/sys/storyforge-logs")
    [message] = checks.check_directories()
    assert message.id == "storyforge.E020"
    assert "LOG_DIR (/sys/storyforge-logs) cannot be created (Operation not permitted)" in message.msg


def test_a_directory_that_is_not_writable_names_the_permission(settings):
    settings.VAR_DIR = Path("/sys")
    [message] = checks.check_directories()
    assert "STORYFORGE_VAR_DIR (/sys) is not writable by this process" in message.msg
    assert "Permission denied" in message.msg


# Variable names


def test_a_known_variable_in_the_wrong_case_is_a_warning(monkeypatch):
    monkeypatch.setenv("openai_api_key", "sk-x")
    [message] = checks.check_variable_names()
    assert message.id == "storyforge.W030"
    assert "openai_api_key" in message.msg and "OPENAI_API_KEY" in message.msg
    assert "sk-x" not in message.msg


def test_a_misspelt_storyforge_variable_is_a_warning(monkeypatch):
    monkeypatch.setenv("STORYFORGE_AI_PROVIDR", "offline")
    [message] = checks.check_variable_names()
    assert message.id == "storyforge.W031"
    assert "STORYFORGE_AI_PROVIDR" in message.msg and "STORYFORGE_AI_PROVIDER" in message.msg


def test_an_unknown_storyforge_variable_is_a_warning(monkeypatch):
    monkeypatch.setenv("STORYFORGE_COLOUR_SCHEME", "dark")
    assert ids(checks.check_variable_names()) == ["storyforge.W032"]


def test_correctly_spelt_variables_give_no_warning(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-x")
    monkeypatch.setenv("STORYFORGE_AI_PROVIDER", "offline")
    monkeypatch.setenv("HOME_FOLDER_UNRELATED", "x")
    assert checks.check_variable_names() == []


# URLs


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("postgress://u:p@db:5432/sf", "scheme 'postgress'"),
        ("postgres://u:p@db:port/sf", "port that is not a number"),
        ("postgres://u:p@db:5432/", "names no database"),
        ("postgres:///sf", "names no host"),
        ("not a url", "scheme '(none)'"),
    ],
)
def test_a_malformed_database_url_is_an_error(settings, url, fragment):
    settings.DATABASE_URL = url
    [message] = checks.check_database_url()
    assert message.id == "storyforge.E040"
    assert "DATABASE_URL" in message.msg and fragment in message.msg
    assert "postgres://USER:PASSWORD@HOST:5432/NAME" in message.hint


@pytest.mark.parametrize("url", ["postgres://u:p@db.example.org:5432/storyforge", "sqlite:////tmp/x.sqlite3"])
def test_a_good_database_url_passes(settings, url):
    settings.DATABASE_URL = url
    assert checks.check_database_url() == []


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("http://cache:6379/0", "scheme 'http'"),
        ("redis://cache:63a79/0", "port that is not a number"),
        ("redis://cache:6379/zero", "databases are numbers"),
        ("redis://:6379/0", "names no host"),
        ("redis://cache:70000/0", "port"),
    ],
)
def test_a_malformed_redis_url_is_an_error(settings, url, fragment):
    settings.REDIS_URL, settings.BROKER_URL_FROM_ENV = url, ""
    [message] = checks.check_redis_urls()
    assert message.id == "storyforge.E041"
    assert "REDIS_URL" in message.msg and fragment in message.msg


def test_a_malformed_broker_url_is_an_error(settings):
    settings.REDIS_URL, settings.BROKER_URL_FROM_ENV = "", "amqp//rabbit"
    assert ids(checks.check_redis_urls()) == ["storyforge.E042"]


@pytest.mark.parametrize("url", ["redis://cache:6379/0", "rediss://user:pw@cache/1", "unix:///run/redis.sock"])
def test_good_redis_urls_pass(settings, url):
    settings.REDIS_URL, settings.BROKER_URL_FROM_ENV = url, "filesystem://"
    assert checks.check_redis_urls() == []


def test_an_unknown_environment_is_an_error(settings):
    settings.STORYFORGE_ENV = "staging"
    assert ids(checks.check_environment()) == ["storyforge.E050"]


def test_deploy_checks_warn_about_sqlite_and_no_redis(settings):
    settings.REDIS_URL = ""
    assert ids(checks.check_production_services()) == ["storyforge.W060", "storyforge.W061"]


# The real settings module, through `manage.py check`, as an operator runs it.


def manage_check(tmp_path, *args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("STORYFORGE", "DJANGO_SETTINGS"))}
    clean.update(
        {"STORYFORGE_READ_DOT_ENV": "0", "STORYFORGE_VAR_DIR": str(tmp_path / "var"), "PYTHONDONTWRITEBYTECODE": "1"}
    )
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )


def test_manage_py_check_is_clean_with_no_environment(tmp_path):
    result = manage_check(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert (tmp_path / "var" / "secret_key").exists()


def test_manage_py_check_reports_a_malformed_database_url_without_a_traceback(tmp_path):
    result = manage_check(tmp_path, DATABASE_URL="postgres://u:p@db:port/sf")
    assert result.returncode == 1
    assert "storyforge.E040" in result.stderr and "HINT:" in result.stderr
    assert "Traceback" not in result.stderr


def test_manage_py_check_in_production_without_a_secret_key_fails_with_a_hint(tmp_path):
    result = manage_check(tmp_path, STORYFORGE_ENV="production", ALLOWED_HOSTS="books.example.org")
    assert result.returncode == 1
    assert "storyforge.E001" in result.stderr and "Traceback" not in result.stderr


def test_check_deploy_adds_the_production_checks(tmp_path):
    result = manage_check(
        tmp_path,
        "--deploy",
        STORYFORGE_ENV="production",
        SECRET_KEY=config.secret_key_generate(),
        ALLOWED_HOSTS="books.example.org",
    )
    assert "storyforge.W060" in result.stderr and "storyforge.W061" in result.stderr
    assert "security.W" not in result.stderr  # Django's own production checks are satisfied


def test_a_celery_worker_refuses_to_start_when_a_check_fails(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STORYFORGE", "DJANGO_SETTINGS"))}
    env.update(
        {"STORYFORGE_READ_DOT_ENV": "0", "STORYFORGE_VAR_DIR": str(tmp_path / "var"), "STORYFORGE_AI_PROVIDER": "gpt5"}
    )
    result = subprocess.run(
        [str(Path(sys.executable).parent / "celery"), "--app", "storyforge", "worker", "--pool", "solo"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "storyforge.E014" in result.stderr + result.stdout
