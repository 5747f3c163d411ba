"""Throw-away PostgreSQL, Redis and S3 (moto) servers for the test suite.

Each server listens on 127.0.0.1 on a free port, keeps its files in its own
temporary folder and removes them on `stop()` (tests/server_process.py runs
them). Nothing here touches a server the developer already runs. When the test
process runs as root, PostgreSQL is started as `nobody` because `initdb` and
`postgres` refuse to run as root.

A missing binary raises `ServerUnavailable`; the fixtures in conftest.py turn
that into a skip, or a failure when `STORYFORGE_REQUIRE_SERVICES=1` (CI).
See docs/testing.md.
"""

from __future__ import annotations

import atexit
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import psycopg

from tests.server_process import (
    START_TIMEOUT,
    ServerProcess,
    ServerStartError,
    ServerUnavailable,
    free_port,
    skip_or_fail,
    start_or_skip,
)

# tests/workers.py and tests/chaos/ import it from here, by its name of old.

# What the rest of the suite imports from here, the servers' common parts included.
__all__ = [
    "PostgresServer",
    "RedisServer",
    "S3Server",
    "ServerStartError",
    "ServerUnavailable",
    "free_port",
    "postgres_for_settings",
    "skip_or_fail",
    "start_or_skip",
]

# Where Debian keeps PostgreSQL when its bin folder is not on PATH.
POSTGRES_BIN_GLOB = "/usr/lib/postgresql/*/bin"
UNPRIVILEGED_USER = "nobody"


class PostgresServer(ServerProcess):
    """A PostgreSQL cluster made with initdb: trust authentication, UTF8, locale C.

    The role `user` is a superuser, so it can create the test databases; the
    database `database` is created empty. Durability is turned off for speed.
    """

    name = "postgres"
    stop_signal = signal.SIGINT  # fast shutdown: ends sessions, no waiting for clients
    parent_death_signal = signal.SIGQUIT  # immediate shutdown, takes the backends down too

    def __init__(self, *, port: int | None = None, user: str = "storyforge", database: str = "storyforge"):
        super().__init__(port=port)
        self.user = user
        self.database = database
        self.initdb = ""
        self.postgres = ""
        if os.geteuid() == 0:
            try:
                self._run_as = pwd.getpwnam(UNPRIVILEGED_USER)
            except KeyError as error:
                raise ServerStartError(
                    f"PostgreSQL refuses to run as root and there is no {UNPRIVILEGED_USER!r} user to run it as."
                ) from error

    @property
    def data_directory(self) -> Path:
        assert self.directory is not None
        return self.directory / "data"

    @property
    def dsn(self) -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{self.database}"

    def settings_dict(self) -> dict:
        """A Django DATABASES entry for this server."""
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": self.database,
            "USER": self.user,
            "PASSWORD": "",
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
        }

    def _find_binaries(self) -> None:
        initdb = shutil.which("initdb")
        if initdb is None:
            # Debian's postgresql package keeps its binaries off PATH.
            candidates = sorted(glob.glob(f"{POSTGRES_BIN_GLOB}/initdb"), key=_version_key)
            initdb = candidates[-1] if candidates else None
        if initdb is None:
            raise ServerUnavailable(
                f"PostgreSQL is not installed: `initdb` is neither on PATH nor in {POSTGRES_BIN_GLOB} "
                "(Debian: apt-get install postgresql)."
            )
        # initdb and postgres must be the same version: take the postgres beside the real initdb.
        postgres = Path(os.path.realpath(initdb)).with_name("postgres")
        if not os.access(postgres, os.X_OK):
            raise ServerUnavailable(f"PostgreSQL is not installed completely: `postgres` is missing beside {initdb}.")
        self.initdb, self.postgres = initdb, str(postgres)

    def _environment(self) -> dict[str, str]:
        environment = {name: value for name, value in os.environ.items() if not name.startswith("PG")}
        environment["LC_ALL"] = "C"  # English log lines in error messages
        return environment

    def _prepare(self) -> None:
        command = [
            self.initdb,
            f"--pgdata={self.data_directory}",
            f"--username={self.user}",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
            "--no-instructions",
        ]
        result = subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            cwd=self.directory,
            env=self._environment(),
            timeout=START_TIMEOUT,
            **self._credentials(),
        )
        if result.returncode:
            raise ServerStartError(f"initdb failed (exit {result.returncode}):\n{result.stdout}{result.stderr}")

    def _command(self) -> list[str]:
        settings = {
            "listen_addresses": "127.0.0.1",
            "port": self.port,
            "unix_socket_directories": self.directory,
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
        }
        command = [self.postgres, "-D", str(self.data_directory)]
        for name, value in settings.items():
            command += ["-c", f"{name}={value}"]
        return command

    def _connect(self, dbname: str) -> psycopg.Connection:
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user=self.user, dbname=dbname, connect_timeout=2, autocommit=True
        )

    def _accepts_connections(self) -> bool:
        try:
            with self._connect("postgres"):
                return True
        except psycopg.OperationalError:
            return False

    def _after_start(self) -> None:
        with self._connect("postgres") as connection:
            exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.database]).fetchone()
            if not exists:
                connection.execute(f'CREATE DATABASE "{self.database}"')


def _version_key(path: str) -> tuple[int, ...]:
    version = Path(path).parent.parent.name
    return tuple(int(part) for part in version.split(".") if part.isdigit())


class RedisServer(ServerProcess):
    """A redis-server that keeps nothing on disk: a restart starts empty."""

    name = "redis"

    def __init__(self, *, port: int | None = None):
        super().__init__(port=port)
        self.redis_server = ""

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _find_binaries(self) -> None:
        redis_server = shutil.which("redis-server")
        if redis_server is None:
            raise ServerUnavailable(
                "Redis is not installed: `redis-server` is not on PATH (Debian: apt-get install redis-server)."
            )
        self.redis_server = redis_server

    def _command(self) -> list[str]:
        return [
            self.redis_server,
            "--bind", "127.0.0.1",
            "--port", str(self.port),
            "--dir", str(self.directory),
            "--save", "",
            "--appendonly", "no",
            "--daemonize", "no",
            "--logfile", "",
        ]  # fmt: skip

    def _accepts_connections(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"*1\r\n$4\r\nPING\r\n")
                return sock.recv(64).startswith(b"+PONG")
        except OSError:
            return False


class S3Server(ServerProcess):
    """moto's S3 in server mode (`moto_server`, from moto[server] in requirements-dev.txt):
    object storage over real HTTP, which django-storages and boto3 talk to as they talk
    to AWS, MinIO or Ceph. Any access key is accepted; buckets live in memory.

    What it lacks: moto checks neither the signature of a presigned address nor its
    expiry. An anonymous GET of an object in a private bucket is refused (403) and a
    presigned one is served, so tests can assert that addresses are signed (they carry
    X-Amz-Signature and X-Amz-Expires) and that an unsigned request is refused, but not
    that a signed address stops working once it has expired, nor that a tampered one
    is refused. (With INITIAL_NO_AUTH_ACTION_COUNT it answers 500 to presigned
    addresses, so it is not used.)
    """

    name = "moto"
    region = "us-east-1"
    access_key = "storyforge-test"
    secret_key = "storyforge-test-secret"

    def __init__(self, *, port: int | None = None):
        super().__init__(port=port)
        self.moto_server = ""

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def variables(self, bucket: str) -> dict[str, str]:
        """The variables an operator sets for object storage, naming `bucket` on this server."""
        return {
            "STORYFORGE_MEDIA_STORAGE": "s3",
            "AWS_STORAGE_BUCKET_NAME": bucket,
            "AWS_S3_ENDPOINT_URL": self.endpoint_url,
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
            "AWS_S3_REGION_NAME": self.region,
        }

    def client(self):
        """A boto3 S3 client for this server, to look into buckets from a test."""
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=self.region,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
        )

    def _find_binaries(self) -> None:
        # Installed beside the interpreter, in the virtualenv's bin folder.
        found = Path(sys.executable).with_name("moto_server")
        if not os.access(found, os.X_OK):
            found = shutil.which("moto_server")
        if not found:
            raise ServerUnavailable(
                "moto is not installed: `moto_server` is neither beside the Python interpreter nor on PATH "
                "(pip install -r requirements-dev.txt)."
            )
        self.moto_server = str(found)

    def _environment(self) -> dict[str, str]:
        # Without the developer's AWS_* or MOTO_* variables, which would change how it answers.
        return {name: value for name, value in os.environ.items() if not name.startswith(("AWS_", "MOTO_"))}

    def _command(self) -> list[str]:
        return [self.moto_server, "-H", "127.0.0.1", "-p", str(self.port)]

    def _accepts_connections(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.endpoint_url}/moto-api/data.json", timeout=1) as answer:
                return answer.status == 200
        except (OSError, urllib.error.URLError):
            return False


_settings_server: PostgresServer | None = None


def postgres_for_settings() -> dict:
    """Start one PostgreSQL cluster for this process and return its DATABASES entry.

    Called by tests/settings.py when STORYFORGE_TEST_DATABASE=postgres; each
    pytest-xdist worker imports the settings and so gets its own cluster. The
    cluster is stopped when the process exits. A missing PostgreSQL is an error
    here, never a skip: the PostgreSQL pass was asked for explicitly.
    """
    global _settings_server
    if _settings_server is None:
        server = PostgresServer()
        try:
            server.start()
        except ServerUnavailable as error:
            raise ServerUnavailable(f"STORYFORGE_TEST_DATABASE=postgres: {error}") from error
        atexit.register(server.stop)
        _settings_server = server
    return _settings_server.settings_dict()
