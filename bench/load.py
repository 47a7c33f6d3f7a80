"""Steady load on the production shape: many clients, mixed reads and bookings, bounded in time.

Each client is a resident with an API token and a calendar feed, in a closed loop (the next
request when the answer is in, no pause), picking by weight: the bare ``/healthz`` (one
``SELECT 1`` and a Redis ping: the baseline of the same run), the resource list, a week's
availability of a resource, two weeks of occurrences, the resident's own bookings, the
resident's calendar feed, the start page, a booking of one day on one of four single-unit
tools (24 or so bookable days in all, so clients collide: 409 is expected and counted) and the
cancellation of one of the resident's own bookings. Afterwards a SQL check that no two occupying
bookings of one unit overlap.

The client is httpx (asyncio); all of it runs on loopback.
"""

import asyncio
import logging
import random
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

BERLIN = ZoneInfo("Europe/Berlin")
# httpx logs every request at INFO, feed tokens in the address included.
logging.getLogger("httpx").setLevel(logging.WARNING)
CLIENT_TIMEOUT = 10.0  # seconds: a request that takes longer counts as an error (a hang)

# kind: weight. Writes are a third of the requests.
WEIGHTS = {
    "healthz": 8,
    "resources": 8,
    "availability": 16,
    "occurrences": 10,
    "my_bookings": 6,
    "feed": 6,
    "start_page": 8,
    "book": 26,
    "cancel": 12,
}
READS = ("resources", "availability", "occurrences", "my_bookings", "feed", "start_page")
WRITES = ("book", "cancel")


@dataclass
class Plan:
    base_url: str
    residents: list[dict[str, Any]]
    resources: list[int]
    browse: list[int]
    slots: list[tuple[int, str, str]]  # resource, start, end of one bookable day
    window: tuple[str, str]  # a week ahead, for availability
    programme: tuple[str, str]  # two weeks ahead, for occurrences


@dataclass
class Sample:
    kind: str
    began: float  # seconds since the run's start
    seconds: float
    status: str  # "201", "409", … or "error:<exception>"
    code: str = ""  # the error body's machine code, for 4xx and 5xx


@dataclass
class Recorder:
    started: float = field(default_factory=time.perf_counter)
    samples: list[Sample] = field(default_factory=list)

    def add(self, kind: str, began: float, status: str, code: str = "") -> None:
        now = time.perf_counter()
        self.samples.append(Sample(kind, began - self.started, now - began, status, code))


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def plan_create(*, base_url: str, world: dict[str, Any], today: date) -> Plan:
    """Bookable days of the load's tools for the next two weeks, read from their availability."""
    start = datetime.combine(today + timedelta(days=1), datetime.min.time(), BERLIN)
    end = start + timedelta(days=14)
    slots: list[tuple[int, str, str]] = []
    token = world["residents"][0]["token"]
    with httpx.Client(base_url=base_url, timeout=CLIENT_TIMEOUT) as client:
        for resource in world["resources"]:
            answer = client.get(
                f"/api/v1/resources/{resource}/availability/",
                params={"start": _iso(start), "end": _iso(end)},
                headers={"Authorization": f"Token {token}"},
            )
            answer.raise_for_status()
            days = sorted(
                {
                    datetime.fromisoformat(i["start"]).astimezone(BERLIN).date()
                    for i in answer.json()["free"]
                }
            )
            for day in days:
                first = datetime.combine(day, datetime.min.time(), BERLIN)
                slots.append((resource, _iso(first), _iso(first + timedelta(days=1))))
    if not slots:
        raise RuntimeError("the load's tools have no bookable day in the next two weeks")
    return Plan(
        base_url=base_url,
        residents=world["residents"],
        resources=world["resources"],
        browse=world["browse"],
        slots=slots,
        window=(_iso(start), _iso(start + timedelta(days=7))),
        programme=(_iso(start), _iso(end)),
    )


def _code(answer: httpx.Response) -> str:
    if answer.status_code < 400:
        return ""
    try:
        body = answer.json()
    except ValueError:
        return "not-json"
    return str(body.get("code", "")) if isinstance(body, dict) else ""


async def _one(
    client: httpx.AsyncClient,
    plan: Plan,
    resident: dict[str, Any],
    held: list[int],
    kind: str,
    rng: random.Random,
) -> httpx.Response:
    auth = {"Authorization": f"Token {resident['token']}"}
    if kind == "healthz":
        return await client.get("/healthz")
    if kind == "resources":
        return await client.get("/api/v1/resources/", headers=auth)
    if kind == "availability":
        resource = rng.choice(plan.browse)
        start, end = plan.window
        return await client.get(
            f"/api/v1/resources/{resource}/availability/",
            params={"start": start, "end": end},
            headers=auth,
        )
    if kind == "occurrences":
        start, end = plan.programme
        return await client.get(
            "/api/v1/occurrences/", params={"start": start, "end": end}, headers=auth
        )
    if kind == "my_bookings":
        return await client.get("/api/v1/bookings/", headers=auth)
    if kind == "feed":
        return await client.get(f"/ical/u/{resident['feed']}.ics")
    if kind == "start_page":
        return await client.get("/")
    if kind == "cancel":
        booking = held.pop(rng.randrange(len(held)))
        return await client.post(
            f"/api/v1/bookings/{booking}/cancel/", json={"reason": "load test"}, headers=auth
        )
    resource, start, end = rng.choice(plan.slots)
    answer = await client.post(
        "/api/v1/bookings/",
        json={"resource": resource, "start": start, "end": end},
        headers=auth,
    )
    if answer.status_code == 201:
        held.append(int(answer.json()["id"]))
    return answer


async def _client(
    plan: Plan, resident: dict[str, Any], seconds: float, recorder: Recorder, seed: int
) -> None:
    rng = random.Random(seed)
    kinds = list(WEIGHTS)
    weights = list(WEIGHTS.values())
    held: list[int] = []
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(
        base_url=plan.base_url, timeout=CLIENT_TIMEOUT, limits=limits
    ) as client:
        while time.perf_counter() < deadline:
            kind = rng.choices(kinds, weights)[0]
            if kind == "cancel" and not held:
                kind = "book"
            began = time.perf_counter()
            try:
                answer = await _one(client, plan, resident, held, kind, rng)
            except httpx.HTTPError as exc:
                recorder.add(kind, began, f"error:{type(exc).__name__}")
                await asyncio.sleep(0.05)  # a refused connection fails at once: do not spin
                continue
            recorder.add(kind, began, str(answer.status_code), _code(answer))


async def _run(plan: Plan, clients: int, seconds: float, recorder: Recorder) -> None:
    residents = plan.residents
    await asyncio.gather(
        *(
            _client(plan, residents[n % len(residents)], seconds, recorder, seed=n)
            for n in range(clients)
        )
    )


def drive(plan: Plan, *, clients: int, seconds: float) -> Recorder:
    recorder = Recorder()
    asyncio.run(_run(plan, clients, seconds, recorder))
    return recorder


def _percentile(ordered: list[float], share: float) -> float:
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


def is_error(sample: Sample) -> bool:
    return sample.status.startswith("error") or sample.status.startswith("5")


def summarise(samples: list[Sample], seconds: float) -> dict[str, Any]:
    """Throughput, latencies per kind (ms) and status counts; ratio = p50 / p50 of /healthz."""
    by_kind: dict[str, list[Sample]] = {}
    for s in samples:
        by_kind.setdefault(s.kind, []).append(s)
    rows = []
    base = sorted(s.seconds for s in by_kind.get("healthz", []))
    base_p50 = statistics.median(base) if base else 0.0
    for kind in WEIGHTS:
        found = by_kind.get(kind, [])
        if not found:
            continue
        times = sorted(s.seconds for s in found)
        p50 = statistics.median(times)
        rows.append(
            {
                "kind": kind,
                "requests": len(found),
                "per_second": round(len(found) / seconds, 1),
                "p50_ms": round(p50 * 1000, 1),
                "p95_ms": round(_percentile(times, 0.95) * 1000, 1),
                "p99_ms": round(_percentile(times, 0.99) * 1000, 1),
                "max_ms": round(times[-1] * 1000, 1),
                "ratio_p50_to_healthz": round(p50 / base_p50, 1) if base_p50 else None,
                "statuses": dict(sorted(Counter(s.status for s in found).items())),
                "codes": dict(sorted(Counter(s.code for s in found if s.code).items())),
            }
        )
    errors = [s for s in samples if is_error(s)]
    return {
        "requests": len(samples),
        "seconds": round(seconds, 1),
        "per_second": round(len(samples) / seconds, 1),
        "reads": sum(1 for s in samples if s.kind in READS),
        "writes": sum(1 for s in samples if s.kind in WRITES),
        "statuses": dict(sorted(Counter(s.status for s in samples).items())),
        "errors": len(errors),
        "error_examples": [
            {"kind": s.kind, "status": s.status, "code": s.code} for s in errors[:10]
        ],
        "conflicts": sum(1 for s in samples if s.status == "409"),
        "rows": rows,
    }


def load_average() -> list[float]:
    try:
        with open("/proc/loadavg", encoding="utf-8") as loadavg:
            return [float(part) for part in loadavg.read().split()[:3]]
    except OSError:
        return []


def run(*, seconds: float, clients: int, residents: int) -> dict[str, Any]:
    """Start the stack, load it for ``seconds``, check for double bookings, stop it."""
    import json

    from bench.server import CONN_MAX_AGE, Stack, load_database_url, load_redis_url

    stack = Stack(database_url=load_database_url(), redis_url=load_redis_url())
    result: dict[str, Any] = {"clients": clients, "residents": residents}
    try:
        result["setup_seconds"] = stack.prepare()
        world = json.loads(stack.script("bench.world", "residents", str(residents)))
        stack.start()
        plan = plan_create(base_url=stack.base_url, world=world, today=datetime.now(BERLIN).date())
        drive(plan, clients=clients, seconds=min(3.0, seconds / 5))  # warm-up, not counted
        before = load_average()
        began = time.perf_counter()
        recorder = drive(plan, clients=clients, seconds=seconds)
        took = time.perf_counter() - began
        result.update(summarise(recorder.samples, took))
        result["load_average_before"] = before
        result["load_average_after"] = load_average()
        result["bookable_days"] = len(plan.slots)
        result["load_resources"] = plan.resources
        checked = json.loads(stack.script("bench.world", "double-bookings"))
        result["double_bookings"] = len(checked["overlapping_pairs"])
        result["overlapping_pairs"] = checked["overlapping_pairs"][:10]
        result["bookings_by_status"] = checked["bookings_by_status"]
        result["processes_alive_at_end"] = stack.alive()
        result["web_workers"] = stack.web_workers
        result["conn_max_age"] = CONN_MAX_AGE
        result["celery_concurrency"] = 2
    finally:
        result["exit_codes"] = stack.stop()
        stack.remove_folder()
    return result
