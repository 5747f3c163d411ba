"""The throw-away servers and the suite-wide fixtures do what the rest of the suite relies on."""

import os
import re
import socket
import threading

import psycopg
import pytest
import redis
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from tests import servers
from tests.servers import PostgresServer, RedisServer, ServerStartError, ServerUnavailable, skip_or_fail, start_or_skip


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _port_accepts_connections(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.mark.services
def test_redis_cache_keeps_values_in_the_real_redis(redis_cache, redis_server):
    redis_cache.set("greeting", "hello", timeout=60)

    assert redis_cache.get("greeting") == "hello"
    raw = redis.Redis.from_url(redis_server.url)
    assert raw.exists(redis_cache.make_key("greeting")) == 1


@pytest.mark.services
def test_incr_from_many_threads_counts_every_call(redis_cache, redis_server):
    threads_count, calls_per_thread = 8, 50
    redis_cache.set("hits", 0, timeout=60)
    start = threading.Barrier(threads_count)
    errors = []

    def hit():
        try:
            start.wait(timeout=10)
            for _ in range(calls_per_thread):
                caches["default"].incr("hits")  # each thread gets its own cache client
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=hit) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    expected = threads_count * calls_per_thread
    assert errors == []
    assert redis_cache.get("hits") == expected
    assert redis.Redis.from_url(redis_server.url).get(redis_cache.make_key("hits")) == str(expected).encode()


@pytest.mark.services
def test_redis_server_comes_back_on_the_same_port_and_empty_after_stop():
    server = start_or_skip(RedisServer())
    try:
        port = server.port
        redis.Redis.from_url(server.url).set("kept", "no")

        server.stop()
        assert not _port_accepts_connections(port)

        server.start()
        assert server.port == port
        client = redis.Redis.from_url(server.url)
        assert client.ping() is True
        assert client.get("kept") is None
    finally:
        server.stop()


@pytest.mark.services
def test_redis_server_stop_leaves_no_process_and_no_files():
    server = start_or_skip(RedisServer())
    pid, directory = server.process.pid, server.directory

    server.stop()

    assert not _process_exists(pid)
    assert not directory.exists()


@pytest.mark.services
def test_redis_server_that_cannot_bind_reports_its_log():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))  # bound, not listening: connections are refused at once
        server = RedisServer(port=taken.getsockname()[1])
        failure = ""
        try:
            server.start()
        except ServerUnavailable as error:
            skip_or_fail(error)
        except ServerStartError as error:
            failure = str(error)

    assert re.search(r"(?s)exited before accepting connections.*Address already in use", failure)
    assert server.process is None
    assert server.directory is None


@pytest.mark.services
def test_postgres_server_accepts_the_role_and_database_then_stops_cleanly():
    server = start_or_skip(PostgresServer())
    try:
        with psycopg.connect(server.dsn) as conn:
            row = conn.execute("SELECT current_user, current_database(), current_setting('fsync')").fetchone()
            assert row == ("storyforge", "storyforge", "off")
            pid, directory = server.process.pid, server.directory
            settings = server.settings_dict()
    finally:
        server.stop()

    assert settings["ENGINE"] == "django.db.backends.postgresql"
    assert (settings["HOST"], settings["PORT"]) == ("127.0.0.1", str(server.port))
    assert not _process_exists(pid)
    assert not directory.exists()
    assert not _port_accepts_connections(server.port)


def test_missing_binaries_are_named(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(servers, "POSTGRES_BIN_GLOB", str(tmp_path / "postgresql/*/bin"))

    with pytest.raises(ServerUnavailable, match="`redis-server`"):
        RedisServer().start()
    with pytest.raises(ServerUnavailable, match="`initdb`"):
        PostgresServer().start()


def test_postgres_for_settings_raises_for_a_missing_postgresql(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(servers, "POSTGRES_BIN_GLOB", str(tmp_path / "postgresql/*/bin"))
    monkeypatch.setattr(servers, "_settings_server", None)

    with pytest.raises(ServerUnavailable, match="STORYFORGE_TEST_DATABASE=postgres: PostgreSQL is not installed"):
        servers.postgres_for_settings()


def test_a_missing_server_skips_the_test_unless_services_are_required(monkeypatch):
    error = ServerUnavailable("Redis is not installed")

    monkeypatch.delenv("STORYFORGE_REQUIRE_SERVICES", raising=False)
    with pytest.raises(pytest.skip.Exception, match="Redis is not installed"):
        servers.skip_or_fail(error)

    monkeypatch.setenv("STORYFORGE_REQUIRE_SERVICES", "1")
    with pytest.raises(pytest.fail.Exception, match="Redis is not installed"):
        servers.skip_or_fail(error)


def test_free_port_can_be_bound_on_loopback():
    port = servers.free_port()

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))


def test_each_test_stores_files_in_its_own_media_root(media_root, tmp_path):
    name = default_storage.save("portraits/hero.png", ContentFile(b"png"))

    assert media_root.is_relative_to(tmp_path)
    assert (media_root / name).read_bytes() == b"png"


@pytest.mark.both_databases
@pytest.mark.django_db
def test_the_database_is_the_one_the_pass_asked_for():
    asked_for_postgres = os.environ.get("STORYFORGE_TEST_DATABASE") == "postgres"

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)

    assert connection.vendor == ("postgresql" if asked_for_postgres else "sqlite")
    if asked_for_postgres:
        assert connection.settings_dict["HOST"] == "127.0.0.1"
        assert connection.settings_dict["NAME"].startswith("test_storyforge")
