"""Fault runs on the production shape (bench/server.py), behind a TCP proxy to PostgreSQL.

1. A Celery worker killed with SIGKILL during a dispatch run: N due notifications, one dispatch
   queued, the worker (main process and pool, one process group) killed once mails start to
   appear, a second worker started and killed the same way, a third that finishes; dispatch runs
   are queued until no notification is left unsent. Every recipient must find exactly one mail
   in the file backend's folder. The workers run with NOTIFICATION_CLAIM_TIMEOUT_SECONDS=10, so
   the killed workers' claims lapse within the run instead of after ten minutes.
2. PostgreSQL gone during load: clients load the site (bench/load.py's mix) while the proxy cuts
   every database connection and refuses new ones for a few seconds, then listens again. While
   it is cut, API requests must answer 503 ``unavailable`` (no 500, no connection error, none
   slower than the client's timeout); after it is back, requests must succeed again without a
   restart of gunicorn, the worker or beat.

Scripts rather than tests: they need gunicorn, a worker, beat and a minute of wall time on a
busy two-core machine; CI's suites must stay quick and steady, and the worker's end-to-end
behaviour on Redis is already pinned by tests/scheduling/test_reminders_end_to_end.py.
"""

import json
import random
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import dj_database_url

from bench import load
from bench.server import Stack, free_port, load_database_url, load_redis_url
from bench.tcpproxy import TcpProxy

CLAIM_TIMEOUT_SECONDS = 10


def recipients(mailbox: Path) -> Counter[str]:
    found: Counter[str] = Counter()
    for message in mailbox.glob("*.log"):
        for line in message.read_text(errors="replace").splitlines():
            if line.startswith("To: "):
                found[line.removeprefix("To: ").strip()] += 1
    return found


def _wait_for_mails(mailbox: Path, at_least: int, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        count = len(list(mailbox.glob("*.log")))
        if count >= at_least:
            return count
        time.sleep(0.01)
    return len(list(mailbox.glob("*.log")))


def worker_kill(stack: Stack, *, notifications: int, seed: int = 7) -> dict[str, Any]:
    rng = random.Random(seed)
    made = json.loads(stack.script("bench.world", "notifications", str(notifications)))
    ids = ",".join(str(i) for i in made["ids"])
    extra = {"NOTIFICATION_CLAIM_TIMEOUT_SECONDS": str(CLAIM_TIMEOUT_SECONDS)}
    kills = []
    for round_ in (1, 2):
        name = f"worker{round_}"
        stack.start_worker(name, **extra)
        stack.script("bench.world", "dispatch")
        before = len(list(stack.mail_folder.glob("*.log")))
        seen = _wait_for_mails(stack.mail_folder, before + 10 + rng.randrange(20), timeout=90)
        time.sleep(rng.uniform(0.0, 0.05))  # anywhere in a send, not just after a file appeared
        stack.kill(name)
        stack.processes.pop(name)
        after = json.loads(stack.script("bench.world", "outbox", ids))
        kills.append({"worker": name, "mails_when_killed": seen, "outbox_after": after})
    stack.start_worker("worker3", **extra)
    began = time.monotonic()
    state: dict[str, int] = {}
    while time.monotonic() - began < 120:
        stack.script("bench.world", "dispatch")
        time.sleep(2)
        state = json.loads(stack.script("bench.world", "outbox", ids))
        if state["unsent"] == 0:
            break
    finished = round(time.monotonic() - began, 1)
    stack.stop_one("worker3")
    got = recipients(stack.mail_folder)
    expected = {f"post{n}@example.org" for n in range(notifications)}
    lost = sorted(expected - set(got))
    duplicated = sorted(r for r, n in got.items() if r in expected and n > 1)
    return {
        "notifications": notifications,
        "claim_timeout_seconds": CLAIM_TIMEOUT_SECONDS,
        "kills": kills,
        "outbox_at_end": state,
        "seconds_after_last_kill": finished,
        "mails": sum(got[r] for r in expected),
        "lost": len(lost),
        "duplicated": len(duplicated),
        "duplicated_examples": duplicated[:10],
        "passed": not lost and not duplicated and state.get("unsent") == 0,
    }


def _phase(sample: load.Sample, cut_at: float, restored_at: float) -> str:
    end = sample.began + sample.seconds
    if end < cut_at:
        return "before"
    if sample.began > restored_at:
        return "after"
    return "during"


def database_cut(
    stack: Stack, proxy: TcpProxy, *, clients: int, before: float, cut: float, after: float
) -> dict[str, Any]:
    world = json.loads(stack.script("bench.world", "residents", str(clients)))
    plan = load.plan_create(
        base_url=stack.base_url, world=world, today=datetime.now(load.BERLIN).date()
    )
    import threading

    recorder = load.Recorder()
    moments: dict[str, float] = {}

    def saboteur() -> None:
        time.sleep(before)
        moments["cut_at"] = time.perf_counter() - recorder.started
        moments["connections_cut"] = proxy.cut()
        time.sleep(cut)
        proxy.restore()
        moments["restored_at"] = time.perf_counter() - recorder.started

    thread = threading.Thread(target=saboteur)
    thread.start()
    import asyncio

    asyncio.run(load._run(plan, clients, before + cut + after, recorder))
    thread.join()
    cut_at, restored_at = moments["cut_at"], moments["restored_at"]
    phases: dict[str, list[load.Sample]] = {"before": [], "during": [], "after": []}
    for s in recorder.samples:
        phases[_phase(s, cut_at, restored_at)].append(s)
    api = [s for s in phases["during"] if s.kind not in ("start_page", "feed")]
    api_bad = [
        s
        for s in api
        if s.status.startswith("error")
        or s.status == "500"
        or (s.status == "503" and s.code != "unavailable" and s.kind != "healthz")
    ]
    failures_after = [s for s in phases["after"] if load.is_error(s)]
    recovered = [s.began + s.seconds for s in phases["after"] if not load.is_error(s)]
    first_ok = min(recovered) - restored_at if recovered else None
    return {
        "clients": clients,
        "cut_at_s": round(cut_at, 1),
        "cut_seconds": round(restored_at - cut_at, 1),
        "connections_cut": moments["connections_cut"],
        "by_phase": {
            phase: {
                "requests": len(found),
                "statuses": dict(
                    sorted(Counter(f"{s.status} {s.code}".strip() for s in found).items())
                ),
                "max_ms": round(max((s.seconds for s in found), default=0) * 1000, 1),
            }
            for phase, found in phases.items()
        },
        "during_by_kind": {
            kind: dict(
                sorted(
                    Counter(
                        f"{s.status} {s.code}".strip() for s in phases["during"] if s.kind == kind
                    ).items()
                )
            )
            for kind in load.WEIGHTS
        },
        "api_unclean_during": len(api_bad),
        "pages_500_during": sum(
            1 for s in phases["during"] if s.kind in ("start_page", "feed") and s.status == "500"
        ),
        "errors_after_restore": len(failures_after),
        "first_success_after_restore_s": round(first_ok, 2) if first_ok is not None else None,
        "processes_alive_at_end": stack.alive(),
        # Pages and feeds (outside /api/) are held to the same rule: a 500 is a failure.
        "passed": not api_bad
        and not failures_after
        and all(stack.alive().values())
        and not any(s.status == "500" for s in phases["during"]),
    }


def run(*, quick: bool) -> dict[str, Any]:
    direct = dj_database_url.parse(load_database_url())
    proxy = TcpProxy(
        listen_port=free_port(),
        target_host=str(direct["HOST"]),
        target_port=int(direct["PORT"] or 5432),
    )
    proxy.start()
    via_proxy = load_database_url().replace(
        f"{direct['HOST']}:{direct['PORT']}", f"127.0.0.1:{proxy.listen_port}"
    )
    stack = Stack(database_url=load_database_url(), redis_url=load_redis_url())
    result: dict[str, Any] = {}
    try:
        result["setup_seconds"] = stack.prepare()  # directly: the proxy is slow for seed_demo
        stack.database_url = via_proxy
        stack.start_web()
        result["worker_kill"] = worker_kill(stack, notifications=150 if quick else 300)
        stack.start_worker()
        stack.start_beat()
        result["database_cut"] = database_cut(
            stack, proxy, clients=8, before=5.0, cut=5.0, after=10.0 if quick else 15.0
        )
    finally:
        result["exit_codes"] = stack.stop()
        proxy.stop()
        stack.remove_folder()
    result["passed"] = all(
        part.get("passed")
        for part in (result.get("worker_kill", {}), result.get("database_cut", {}))
    )
    return result
