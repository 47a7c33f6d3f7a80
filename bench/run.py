"""Run the benchmarks: ``make bench`` or ``python bench/run.py [--quick] [--sizes 10000,...]``.

The booking engine at each size (bench/booking.py), then a year of activity occurrences
against django-scheduler's own expansion (bench/occurrences.py), then a member's calendar feed
of 1,000 events against bare icalendar and django-scheduler's iCal feed (bench/feeds.py),
then the statistics endpoints for a quarter against hand-written SQL at each size
(bench/stats.py, on a world of its own: the tables are emptied and the bookings loaded again,
with sign-ups, loans, refusals and hours), then the load test on the production shape
(bench/load.py: gunicorn, worker and beat on their own database, werkhaus_bench_load) and the
fault runs (bench/faults.py: a worker killed during a dispatch run, PostgreSQL cut during
load); ``--only`` runs one of them.

Uses only the PostgreSQL database in BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/werkhaus_bench): creates it if missing, migrates it and
empties its tables. Results go to bench/results/latest.{json,md}.
"""

import argparse
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, Python puts bench/ first on the path; the project root is what we import from.
if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)
elif str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.database import (  # noqa: E402 - the path above must be set first
    bench_database_url,
    configure_environment,
    ensure_database,
)

FULL_SIZES = (10_000, 100_000, 1_000_000)
QUICK_SIZES = (10_000, 100_000)


def _sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(part.replace("_", "")) for part in text.split(",") if part.strip()})
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a list of integers: {text!r}") from exc
    if not sizes or sizes[0] <= 0:
        raise argparse.ArgumentTypeError("sizes must be positive")
    return sizes


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--sizes",
        type=_sizes,
        help="comma-separated numbers of bookings, loaded cumulatively "
        "(default 10000,100000,1000000; with --quick 10000,100000)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="fewer repetitions and sizes, for a smoke run"
    )
    parser.add_argument(
        "--only",
        choices=("booking", "occurrences", "feeds", "stats", "load", "faults"),
        help="run only the booking benchmark, the occurrence listing, the member feed, the "
        "statistics endpoints, the load test or the fault runs",
    )
    parser.add_argument(
        "--load-seconds",
        type=float,
        help="how long the load test runs (default 60 s, with --quick 15 s)",
    )
    parser.add_argument(
        "--clients", type=int, default=8, help="concurrent clients of the load test (default 8)"
    )
    return parser.parse_args(argv)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sizes: list[int] = args.sizes or list(QUICK_SIZES if args.quick else FULL_SIZES)
    availability_reps, create_reps, warmup = (50, 30, 5) if args.quick else (200, 100, 20)
    occurrence_reps = 4 if args.quick else 11  # a year of occurrences takes up to a second
    feed_reps = 5 if args.quick else 15  # each of the three feeds takes a few hundred ms
    stats_reps = 3 if args.quick else 7  # the heaviest endpoints take a second at 1M
    run_booking = args.only in (None, "booking")
    run_occurrences = args.only in (None, "occurrences")
    run_feeds = args.only in (None, "feeds")
    run_stats = args.only in (None, "stats")
    run_load = args.only in (None, "load")
    run_faults = args.only in (None, "faults")
    load_seconds = args.load_seconds or (15.0 if args.quick else 60.0)
    began = time.perf_counter()
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    load_before = round(os.getloadavg()[0], 2)  # others' work on a shared machine shows here

    url = bench_database_url()
    configure_environment(url)
    if ensure_database(url):
        _log("created the benchmark database")

    import django

    django.setup()

    from bench import report
    from bench.database import machine, migrate, reset

    if run_booking or run_occurrences or run_feeds or run_stats:
        migrate()
        reset()
    results: list[dict[str, Any]] = []
    if run_booking:
        results = _booking(sizes, availability_reps, create_reps, warmup)

    listing: dict[str, Any] | None = None
    if run_occurrences:
        listing = _occurrences(occurrence_reps)

    feed: dict[str, Any] | None = None
    if run_feeds:
        # Each feed is built once before the timing anyway (its output and queries checked).
        feed = _feeds(feed_reps, warmup=0 if args.quick else 1)

    statistics: list[dict[str, Any]] = []
    if run_stats:
        if run_booking or run_occurrences or run_feeds:
            reset()  # a world of its own: the others' activities would be counted too
        statistics = _stats(sizes, stats_reps, warmup=1)

    loaded: dict[str, Any] | None = None
    if run_load:
        loaded = _load(load_seconds, args.clients)

    faulted: dict[str, Any] | None = None
    if run_faults:
        faulted = _faults(args.quick)

    counts = {m["queries"] for r in results for m in r["measurements"][:1]}
    run = {
        "started_at": started_at,
        "quick": args.quick,
        "database": url.rsplit("@", 1)[-1],  # no credentials in the results
        "machine": machine(),
        "commit": _commit(),
        "load_average_before": load_before,
        "load_average_after": round(os.getloadavg()[0], 2),
        "repetitions": {
            "availability": availability_reps,
            "create": create_reps,
            "warmup": warmup,
            "occurrences": occurrence_reps,
            "feeds": feed_reps,
            "stats": stats_reps,
        },
        "sizes": results,
        "availability_query_count_constant": len(counts) == 1 if run_booking else None,
        "occurrences": listing,
        "feeds": feed,
        "stats": statistics,
        "load": loaded,
        "faults": faulted,
        "total_seconds": round(time.perf_counter() - began, 1),
    }
    as_json, as_md = report.write(run)
    print(report.markdown(run))
    _log(f"written: {as_json.relative_to(ROOT)}, {as_md.relative_to(ROOT)}")
    failed = False
    if run_booking and len(counts) != 1:
        _log(f"resource_availability's query count changes with the data: {sorted(counts)}")
        failed = True
    if listing is not None and not listing["query_count_constant"]:
        _log("occurrences_in_window's query count grows with the number of events")
        failed = True
    if listing is not None and not all(listing["same_occurrences"].values()):
        _log(f"the listings differ from django-scheduler's: {listing['differences']}")
        failed = True
    if feed is not None and not feed["same_output"]:
        _log(f"member_feed and the bare serialisation differ: {feed['differences']}")
        failed = True
    if feed is not None and feed["member_feed_events"] != feed["events"]:
        _log(f"member_feed wrote {feed['member_feed_events']} events, not {feed['events']}")
        failed = True
    for endpoint in _stats_failures(statistics):
        _log(endpoint)
        failed = True
    if loaded is not None and (loaded["errors"] or loaded["double_bookings"]):
        _log(
            f"load: {loaded['errors']} errors, {loaded['double_bookings']} double bookings: "
            f"{loaded['error_examples']} {loaded['overlapping_pairs']}"
        )
        failed = True
    if faulted is not None and not faulted["passed"]:
        _log("faults: a fault run failed; see the table")
        failed = True
    return 1 if failed else 0


def _commit() -> str | None:
    """The commit measured, marked ``+changes`` when the working tree differed from it."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
    except OSError:
        return None
    if head.returncode != 0:
        return None
    return head.stdout.strip() + (" +changes" if dirty.stdout.strip() else "")


def _load(seconds: float, clients: int) -> dict[str, Any]:
    from bench import load

    _log(f"load: {clients} clients for {seconds:.0f} s (setting up the stack first)")
    began = time.perf_counter()
    result = load.run(seconds=seconds, clients=clients, residents=max(clients, 8))
    result["total_seconds"] = round(time.perf_counter() - began, 1)
    _log(
        f"load: {result['requests']} requests, {result['per_second']}/s, "
        f"{result['errors']} errors, {result['conflicts']} conflicts, "
        f"{result['double_bookings']} double bookings"
    )
    return result


def _faults(quick: bool) -> dict[str, Any]:
    from bench import faults

    _log("faults: a worker killed during a dispatch run, PostgreSQL cut during load")
    began = time.perf_counter()
    result = faults.run(quick=quick)
    result["total_seconds"] = round(time.perf_counter() - began, 1)
    kill, cut = result.get("worker_kill", {}), result.get("database_cut", {})
    _log(
        f"faults: worker kill: {kill.get('lost')} lost, {kill.get('duplicated')} duplicated; "
        f"database cut: {cut.get('api_unclean_during')} unclean API answers, "
        f"{cut.get('pages_500_during')} pages with 500, "
        f"{cut.get('errors_after_restore')} errors after restore"
    )
    return result


def _booking(
    sizes: list[int], availability_reps: int, create_reps: int, warmup: int
) -> list[dict[str, Any]]:
    from bench import booking, dataset

    world = dataset.world_create()
    loader = dataset.BookingLoader(world)
    _log(
        f"world: {len(world.member_ids)} members, {len(world.units)} units; "
        f"sizes {sizes}; repetitions {availability_reps}/{create_reps}"
    )

    results: list[dict[str, Any]] = []
    loaded = 0
    for size in sizes:
        load_began = time.perf_counter()
        loader.load(loaded, size)
        load_seconds = time.perf_counter() - load_began
        _log(f"{size:>9} bookings: loaded {size - loaded} in {load_seconds:.1f} s")
        measurements = [
            booking.measure_availability(world=world, repetitions=availability_reps, warmup=warmup),
            booking.measure_create(world=world, repetitions=create_reps, warmup=warmup),
        ]
        for m in measurements:
            _log(
                f"{size:>9} bookings: {m.operation}: {m.timings.operation_ms:.3f} ms vs "
                f"{m.timings.baseline_ms:.3f} ms, ratio {m.timings.ratio:.1f}, "
                f"{len(m.queries)} queries"
            )
        results.append(
            {
                "bookings": size,
                "load_seconds": round(load_seconds, 2),
                "load_rows_per_second": round((size - loaded) / load_seconds),
                "measurements": [m.as_dict() for m in measurements],
            }
        )
        loaded = size
    return results


def _occurrences(repetitions: int) -> dict[str, Any]:
    from bench import occurrences

    began = time.perf_counter()
    programme = occurrences.programme_create()
    setup_seconds = time.perf_counter() - began
    _log(
        f"occurrences: 2 calendars of {programme.events} activities, {programme.signups} "
        f"sign-ups in the measured one, set up in {setup_seconds:.1f} s; "
        f"repetitions {repetitions}"
    )
    began = time.perf_counter()
    listing = occurrences.measure(programme=programme, repetitions=repetitions, warmup=1)
    listing["setup_seconds"] = round(setup_seconds, 1)
    listing["measure_seconds"] = round(time.perf_counter() - began, 1)
    for row in listing["rows"]:
        _log(
            f"occurrences: {row['operation']}: {row['median_ms']:.1f} ms, "
            f"{row['queries']} queries ({row['queries_40_events']} with 40 events)"
        )
    return listing


def _feeds(repetitions: int, warmup: int) -> dict[str, Any]:
    from bench import feeds

    began = time.perf_counter()
    world = feeds.world_create()
    setup_seconds = time.perf_counter() - began
    _log(
        f"feeds: a member with {world.bookings} bookings and {world.signups} sign-ups, "
        f"set up in {setup_seconds:.1f} s; repetitions {repetitions}"
    )
    began = time.perf_counter()
    feed = feeds.measure(world=world, repetitions=repetitions, warmup=warmup)
    feed["setup_seconds"] = round(setup_seconds, 1)
    feed["measure_seconds"] = round(time.perf_counter() - began, 1)
    for row in feed["rows"]:
        _log(
            f"feeds: {row['operation']}: {row['median_ms']:.1f} ms, "
            f"{row['ratio_to_bare']:.2f}x bare, {row['queries']} queries, "
            f"{row['vevents']} events"
        )
    return feed


def _stats(sizes: list[int], repetitions: int, warmup: int) -> list[dict[str, Any]]:
    from bench import dataset, stats, stats_dataset

    world = dataset.world_create()
    loader = dataset.BookingLoader(world)
    stats_world = stats_dataset.stats_world_create(world)
    extras = stats_dataset.StatsLoader(world, stats_world)
    _log(
        f"stats: {stats_dataset.ACTIVITIES} daily activities, {stats_world.tool_types} tool "
        f"types; sizes {sizes}; repetitions {repetitions}"
    )
    results: list[dict[str, Any]] = []
    loaded = 0
    for size in sizes:
        began = time.perf_counter()
        loader.load(loaded, size)
        extras.load(size)
        extras.analyse()
        load_seconds = time.perf_counter() - began
        counts = extras.counts()
        _log(f"stats: {size:>9} bookings: loaded in {load_seconds:.1f} s: {counts}")
        began = time.perf_counter()
        measured = stats.measure(
            coordinator_id=stats_world.coordinator_id, repetitions=repetitions, warmup=warmup
        )
        for m in measured:
            _log(
                f"stats: {size:>9} bookings: {m['endpoint']}: {m['operation_median_ms']:.1f} ms "
                f"vs SQL {m['baseline_median_ms']:.1f} ms, ratio {m['ratio']:.1f}, "
                f"{m['queries']} queries, buffers {m['endpoint_buffers']} vs "
                f"{m['baseline_buffers']}, same figure: {m['same_figure']}"
            )
        results.append(
            {
                "bookings": size,
                "rows": counts,
                "in_quarter": stats.quarter_counts(),
                "load_seconds": round(load_seconds, 1),
                "measure_seconds": round(time.perf_counter() - began, 1),
                "measurements": measured,
            }
        )
        loaded = size
    return results


def _stats_failures(results: list[dict[str, Any]]) -> list[str]:
    failures = []
    queries: dict[str, set[int]] = {}
    for size in results:
        for m in size["measurements"]:
            queries.setdefault(m["endpoint"], set()).add(m["queries"])
            if not m["same_figure"]:
                failures.append(
                    f"{m['endpoint']} at {size['bookings']} bookings differs from the SQL: "
                    f"{m['differences']}"
                )
    for endpoint, counts in queries.items():
        if len(counts) != 1:
            failures.append(f"{endpoint}: the query count changes with the data: {sorted(counts)}")
    return failures


if __name__ == "__main__":
    sys.exit(main())
