"""Processes the outage tests start and stop themselves: Redis, gunicorn, a worker."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not come up within {timeout:.0f} s")


class RedisProcess:
    """A Redis server of this test alone, on loopback, that the test may stop."""

    def __init__(self, port: int, workdir: Path) -> None:
        self.port = port
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisProcess":
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self._answers, 20, "Redis")
        return self

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return True
        except OSError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


class WebProcess:
    """gunicorn serving the project, as in production (not the development server).

    ``app`` and ``workers`` let the load benchmark serve its floor (a WSGI app that
    only stores the body) with the same server and configuration.
    """

    def __init__(
        self,
        env: dict[str, str],
        port: int,
        *,
        workers: int = 2,
        app: str = "mamut.wsgi:application",
        access_log: Path | None = None,
    ) -> None:
        self.env = env
        self.access_log = access_log
        self.port = port
        self.workers = workers
        self.app = app
        self.process: subprocess.Popen | None = None
        self.log = open(BASE_DIR / "var" / "gunicorn-test.log", "ab")  # noqa: SIM115

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 180) -> "WebProcess":
        logs = ["--access-logfile", str(self.access_log)] if self.access_log else []
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                self.app,
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--timeout",
                "60",
                *logs,
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        wait_until(self._answers, timeout, "gunicorn")
        return self

    def _answers(self) -> bool:
        if self.process and self.process.poll() is not None:
            raise RuntimeError("gunicorn exited; see var/gunicorn-test.log")
        try:
            return httpx.get(self.url + "/healthz", timeout=2).status_code in (200, 503)
        except httpx.HTTPError:
            return False

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.log.close()


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[RedisProcess]:
    redis = RedisProcess(free_port(), tmp_path).start()
    yield redis
    redis.stop()


class PostgresProcess:
    """A PostgreSQL server of this test alone, that the test may restart.

    Never the shared cluster: a fresh one made with ``initdb`` in a temporary folder,
    run as the ``postgres`` user (PostgreSQL refuses to run as root), on loopback,
    trusting local connections.
    """

    def __init__(self, port: int) -> None:
        self.port = port
        self.root = Path(tempfile.mkdtemp(prefix="mamut-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.bin = self._bin_dir()

    @staticmethod
    def _bin_dir() -> Path:
        versions = sorted(
            Path("/usr/lib/postgresql").glob("*/bin/initdb"),
            key=lambda path: int(path.parent.parent.name),
        )
        if not versions:
            raise RuntimeError("No PostgreSQL server under /usr/lib/postgresql")
        return versions[-1].parent

    def url(self, database: str = "mamut") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _as_postgres(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *command], check=True, capture_output=True)

    def _pg_ctl(self, *args: str) -> None:
        self._as_postgres(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-w",
            "-t",
            "60",
            *args,
        )

    def create(self) -> "PostgresProcess":
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        self.root.chmod(0o755)
        self._as_postgres(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "--no-sync",
        )
        self.start()
        self._as_postgres(
            str(self.bin / "createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "mamut",
        )
        return self

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -F"
        self._pg_ctl("-o", options, "start")

    def restart(self) -> None:
        self._pg_ctl("-m", "fast", "restart")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._pg_ctl("-m", "immediate", "stop")

    def remove(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture
def private_postgres() -> Iterator[PostgresProcess]:
    server = PostgresProcess(free_port()).create()
    yield server
    server.remove()
