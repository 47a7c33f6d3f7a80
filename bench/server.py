"""The production shape on loopback, for the load and fault runs: gunicorn with several workers
(config/gunicorn.py), PostgreSQL, Redis, a Celery worker and beat, each a process started from
the project's .venv with the environment the operator would give it.

The database is a benchmark database of its own (its name must contain "bench"; it is dropped,
created, migrated and seeded with ``seed_demo``); Redis is one database number, flushed at the
start. Mail goes to the file backend in a temporary folder, one file per message.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import psycopg
import redis
from psycopg import sql

from bench.database import _checked

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/werkhaus_bench_load"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/1"
# Two cores: gunicorn's own rule of thumb (2 x cores + 1) would be 5; config/gunicorn.py's
# default is min(4, cores + 1) = 3, which is what `make run` and docker-compose use here.
WEB_WORKERS = 3
CONN_MAX_AGE = 60  # config/settings.py's default: each gunicorn worker keeps one connection
# The load test measures the application, not DRF's per-user throttle (1200/min by default).
THROTTLE = "1000000/min"


def load_database_url() -> str:
    return os.environ.get("LOAD_DATABASE_URL", DEFAULT_DATABASE_URL)


def load_redis_url() -> str:
    return os.environ.get("LOAD_REDIS_URL", DEFAULT_REDIS_URL)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def database_recreate(url: str) -> None:
    """Drop and create the database (its name must contain "bench")."""
    config = _checked(url)
    with psycopg.connect(
        dbname="postgres",
        user=config["USER"] or None,
        host=config["HOST"] or None,
        port=str(config["PORT"]) if config["PORT"] else None,
        password=config["PASSWORD"] or None,
        autocommit=True,
    ) as conn:
        name = sql.Identifier(config["NAME"])
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))


@dataclass
class Stack:
    """Environment and processes of one run; ``start`` … ``stop``."""

    database_url: str
    redis_url: str
    web_workers: int = WEB_WORKERS
    port: int = field(default_factory=free_port)
    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="werkhaus-load-")))
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    _logs: list[IO[bytes]] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def mail_folder(self) -> Path:
        return self.folder / "mail"

    def env(self, **extra: str) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DATABASE_", "REDIS_", "TEST_", "DJANGO_"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            DATABASE_URL=self.database_url,
            REDIS_URL=self.redis_url,
            SECRET_KEY="bench-load-only-not-secret",  # noqa: S106 - a throwaway loopback server
            DEBUG="0",
            ALLOWED_HOSTS="127.0.0.1",
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=str(self.mail_folder),
            VAR_DIR=str(self.folder / "var"),
            CACHE_KEY_PREFIX="werkhaus-bench-load",
            SITE_URL=self.base_url,
            WEB_BIND=f"127.0.0.1:{self.port}",
            WEB_CONCURRENCY=str(self.web_workers),
            WEB_TIMEOUT="30",
            CONN_MAX_AGE=str(CONN_MAX_AGE),
            THROTTLE_USER=THROTTLE,
            THROTTLE_ANON=THROTTLE,
            LOG_LEVEL="WARNING",
            PYTHONUNBUFFERED="1",
        )
        env.update(extra)
        return env

    def manage(self, *args: str, **extra: str) -> str:
        done = subprocess.run(
            [str(BIN / "python"), "manage.py", *args],
            cwd=ROOT,
            env=self.env(**extra),
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def script(self, module: str, *args: str, **extra: str) -> str:
        """Run ``python -m <module>`` with the stack's environment; its standard output."""
        done = subprocess.run(
            [str(BIN / "python"), "-m", module, *args],
            cwd=ROOT,
            env=self.env(**extra),
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{module} {' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def prepare(self) -> dict[str, float]:
        """A fresh database, migrated and seeded; Redis db flushed. Seconds per step."""
        took: dict[str, float] = {}
        began = time.perf_counter()
        database_recreate(self.database_url)
        client = redis.Redis.from_url(self.redis_url)
        try:
            client.flushdb()
        finally:
            client.close()
        self.mail_folder.mkdir(parents=True, exist_ok=True)
        self.manage("migrate", "--noinput", "-v", "0")
        took["migrate"] = round(time.perf_counter() - began, 1)
        began = time.perf_counter()
        self.manage("collectstatic", "--noinput", "-v", "0")
        self.manage("seed_demo")
        took["seed"] = round(time.perf_counter() - began, 1)
        return took

    def _spawn(self, name: str, args: list[str], **extra: str) -> subprocess.Popen[bytes]:
        log = (self.folder / f"{name}.log").open("ab")
        self._logs.append(log)
        process = subprocess.Popen(
            args,
            cwd=ROOT,
            env=self.env(**extra),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped as one
        )
        self.processes[name] = process
        return process

    def start_web(self) -> None:
        self._spawn("web", [str(BIN / "gunicorn"), "-c", "config/gunicorn.py"])
        self.wait_ready()

    def start_worker(self, name: str = "worker", **extra: str) -> subprocess.Popen[bytes]:
        return self._spawn(
            name,
            [
                str(BIN / "celery"),
                "-A",
                "config",
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                "2",
                "--without-mingle",
                "--without-gossip",
                "--hostname",
                f"{name}@bench",
            ],
            **extra,
        )

    def start_beat(self) -> None:
        self._spawn(
            "beat",
            [
                str(BIN / "celery"),
                "-A",
                "config",
                "beat",
                "--loglevel",
                "INFO",
                "--schedule",
                str(self.folder / "beat-schedule"),
            ],
        )

    def start(self) -> None:
        self.start_web()
        self.start_worker()
        self.start_beat()

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        last = ""
        while time.monotonic() < deadline:
            web = self.processes.get("web")
            if web is not None and web.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {web.returncode}: see {self.folder}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/healthz", timeout=5) as answer:  # noqa: S310
                    if answer.status == 200:
                        return
            except urllib.error.HTTPError as exc:
                last = f"HTTP {exc.code}"
            except OSError as exc:
                last = str(exc)
            time.sleep(0.3)
        raise RuntimeError(f"the server did not become healthy in {timeout} s: {last}")

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Signal one process's whole group (SIGKILL: the worker and its pool children)."""
        process = self.processes[name]
        if process.poll() is None:
            os.killpg(process.pid, sig)
        process.wait(timeout=30)

    def stop_one(self, name: str, timeout: float = 20.0) -> int | None:
        process = self.processes.pop(name)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        return process.returncode

    def stop(self) -> dict[str, int | None]:
        codes = {name: self.stop_one(name) for name in list(self.processes)}
        for log in self._logs:
            log.close()
        self._logs.clear()
        return codes

    def alive(self) -> dict[str, bool]:
        return {name: p.poll() is None for name, p in self.processes.items()}

    def log_tail(self, name: str, lines: int = 30) -> str:
        path = self.folder / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def remove_folder(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
