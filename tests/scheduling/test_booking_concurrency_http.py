"""Concurrent POSTs to a real multi-worker gunicorn: one slot, one 201 per unit, the rest 409.

The server runs in its own processes against the test database, as in production; the test
only creates members and resources, fires the requests and counts the answers.
"""

import json
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from accounts.services import api_token_issue
from scheduling.models import Booking, Resource
from tests.factories import MemberFactory, resource_create
from tests.jobs import ROOT, process_env, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CLIENTS = 24
WORKERS = 4
START_SECONDS = 60
REQUEST_SECONDS = 30
JOIN_SECONDS = 90


@dataclass
class Server:
    url: str
    log: Path
    process: subprocess.Popen[bytes] = field(repr=False)

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _healthy(server: Server) -> bool:
    if server.process.poll() is not None:
        raise AssertionError(f"gunicorn exited early; log:\n{server.log_tail()}")
    try:
        with urllib.request.urlopen(f"{server.url}/healthz", timeout=2) as response:  # noqa: S310
            return bool(response.status == 200)
    except OSError:  # refused, reset, timed out, or an HTTP error such as 503
        return False


@pytest.fixture(scope="module")
def server(django_db_setup: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """gunicorn with several worker processes on a free port, serving the test database."""
    port = _free_port()
    env = process_env(WEB_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY=str(WORKERS))
    log = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        running = Server(url=f"http://127.0.0.1:{port}", log=log, process=process)
        try:
            wait_for(lambda: _healthy(running), seconds=START_SECONDS, log=log)
            yield running
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]


def _post_booking(url: str, token: str, payload: dict[str, Any]) -> Answer:
    request = urllib.request.Request(  # noqa: S310 - a local http URL built by the test
        f"{url}/api/v1/bookings/",
        data=json.dumps(payload).encode(),
        method="POST",
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=REQUEST_SECONDS) as response:  # noqa: S310
            return Answer(response.status, json.loads(response.read() or b"{}"))
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {"raw": raw[:500].decode(errors="replace")}
        return Answer(error.code, body)


def _tokens(count: int) -> list[str]:
    now = timezone.now()
    return [api_token_issue(user=MemberFactory(password=None), now=now)[1] for _ in range(count)]


def _slot() -> tuple[datetime, datetime]:
    start = (timezone.now() + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    return start, start + timedelta(hours=1)


def _race(server: Server, resource: Resource, tokens: list[str]) -> list[Answer | Exception]:
    """Every token POSTs the same slot of ``resource``, all released together by a barrier."""
    start, end = _slot()
    payload = {"resource": resource.pk, "start": start.isoformat(), "end": end.isoformat()}
    barrier = threading.Barrier(len(tokens), timeout=REQUEST_SECONDS)
    answers: list[Answer | Exception | None] = [None] * len(tokens)

    def run(index: int, token: str) -> None:
        try:
            barrier.wait()
            answers[index] = _post_booking(server.url, token, payload)
        except Exception as exc:
            answers[index] = exc

    threads = [
        threading.Thread(target=run, args=(i, token), daemon=True) for i, token in enumerate(tokens)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=JOIN_SECONDS)
    assert not any(t.is_alive() for t in threads), "a request did not finish in time"
    return [a for a in answers if a is not None]


def _assert_winners(answers: list[Answer | Exception], winners: int, server: Server) -> None:
    failures = [a for a in answers if not isinstance(a, Answer) or a.status >= 500]
    assert failures == [], f"errors or 5xx answers; server log:\n{server.log_tail()}"
    assert len(answers) == CLIENTS
    statuses = sorted(a.status for a in answers if isinstance(a, Answer))
    assert statuses == [201] * winners + [409] * (CLIENTS - winners)
    refusals = [a.body for a in answers if isinstance(a, Answer) and a.status == 409]
    assert {body.get("code") for body in refusals} == {"conflict"}


def test_concurrent_posts_for_one_unit_get_one_201_and_409_conflict_for_the_rest(
    server: Server,
) -> None:
    resource = resource_create(units=1)
    tokens = _tokens(CLIENTS)

    answers = _race(server, resource, tokens)

    _assert_winners(answers, 1, server)
    assert Booking.objects.filter(resource=resource).count() == 1


def test_concurrent_posts_for_three_units_get_three_201_on_distinct_units(
    server: Server,
) -> None:
    resource = resource_create(units=3)
    tokens = _tokens(CLIENTS)

    answers = _race(server, resource, tokens)

    _assert_winners(answers, 3, server)
    created = [a.body for a in answers if isinstance(a, Answer) and a.status == 201]
    stored = Booking.objects.filter(resource=resource)
    assert sorted(stored.values_list("pk", flat=True)) == sorted(b["id"] for b in created)
    assert set(stored.values_list("unit_id", flat=True)) == set(
        resource.units.values_list("pk", flat=True)
    )
