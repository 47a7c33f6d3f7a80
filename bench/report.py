"""bench/results/latest.json and latest.md (the folder is git-ignored), and the printed table.

``python bench/report.py [results.json]`` writes the Markdown again from a run's JSON.
"""

import json
import sys
from pathlib import Path
from typing import Any

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def _size(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def markdown(run: dict[str, Any]) -> str:
    m = run["machine"]
    lines = [
        "# Benchmarks: "
        + ", ".join(
            name
            for name, ran in (
                ("booking engine", run["sizes"]),
                ("occurrence listing", run.get("occurrences")),
                ("member feed", run.get("feeds")),
                ("statistics", run.get("stats")),
                ("load", run.get("load")),
                ("faults", run.get("faults")),
            )
            if ran
        ),
        "",
        f"Run {run['started_at']} · {run['total_seconds']:.0f} s in all"
        + (" · quick run (fewer repetitions)" if run["quick"] else ""),
        "",
        f"Machine: {m['cores']} cores, {m['cpu']}, Python {m['python']}, "
        f"PostgreSQL {m['postgresql']}, Django {m['django']}, psycopg {m['psycopg']}"
        + (f"; commit {run['commit']}" if run.get("commit") else "")
        + (
            f"; load average (1 min) {run['load_average_before']} before, "
            f"{run['load_average_after']} after"
            if run.get("load_average_before") is not None
            else ""
        ),
        "",
        *_summary_table(run),
    ]
    if run["sizes"]:
        lines += _booking(run)
    if run.get("occurrences"):
        lines += ([""] if run["sizes"] else []) + _occurrences(run["occurrences"])
    if run.get("feeds"):
        earlier = run["sizes"] or run.get("occurrences")
        lines += ([""] if earlier else []) + _feeds(run["feeds"])
    if run.get("stats"):
        earlier = run["sizes"] or run.get("occurrences") or run.get("feeds")
        lines += ([""] if earlier else []) + _stats(run["stats"])
    if run.get("load"):
        lines += ["", *_load(run["load"])]
    if run.get("faults"):
        lines += ["", *_faults(run["faults"])]
    return "\n".join(lines) + "\n"


def summary(run: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per figure: what was measured, at which scale, against which baseline of the
    same run, and the ratio (ours / baseline; below 1 is faster than the baseline)."""
    rows: list[dict[str, Any]] = []

    def add(bench: str, scale: str, ours: str, ms: float, base: str, base_ms: float) -> None:
        rows.append(
            {
                "benchmark": bench,
                "scale": scale,
                "operation": ours,
                "median_ms": round(ms, 3),
                "baseline": base,
                "baseline_median_ms": round(base_ms, 3),
                "ratio": round(ms / base_ms, 2) if base_ms else None,
            }
        )

    if run["sizes"]:
        largest = run["sizes"][-1]
        for m in largest["measurements"]:
            add(
                "booking engine",
                f"{_size(largest['bookings'])} bookings",
                m["operation"],
                m["operation_median_ms"],
                m["baseline"],
                m["baseline_median_ms"],
            )
    listing = run.get("occurrences")
    if listing:
        ours, *theirs = listing["rows"]
        scale = f"{listing['events']} activities, {_size(listing['occurrences'])} occurrences"
        for row in theirs:
            add(
                "occurrence listing",
                scale,
                ours["operation"],
                ours["median_ms"],
                f"django-scheduler {row['operation']}",
                row["median_ms"],
            )
    feed = run.get("feeds")
    if feed:
        ours, *others = feed["rows"]
        for row in others:
            add(
                "member feed",
                f"{_size(feed['events'])} events",
                ours["operation"],
                ours["median_ms"],
                row["operation"],
                row["median_ms"],
            )
    if run.get("stats"):
        largest = run["stats"][-1]
        for m in largest["measurements"]:
            add(
                "statistics",
                f"{_size(largest['bookings'])} bookings, a quarter",
                m["endpoint"],
                m["operation_median_ms"],
                "hand-written SQL",
                m["baseline_median_ms"],
            )
    load = run.get("load")
    if load:
        base = next(r for r in load["rows"] if r["kind"] == "healthz")
        for row in load["rows"]:
            if row is not base:
                add(
                    "load, p50",
                    f"{load['clients']} clients, {load['seconds']:.0f} s",
                    row["kind"],
                    row["p50_ms"],
                    "/healthz",
                    base["p50_ms"],
                )
    return rows


def invariants(run: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """What must hold whatever the speed: (figure, value, required value)."""
    found: list[tuple[str, Any, Any]] = []
    if run["sizes"]:
        found.append(
            (
                "availability queries the same at every size",
                run["availability_query_count_constant"],
                True,
            )
        )
    if run.get("occurrences"):
        same = all(run["occurrences"]["same_occurrences"].values())
        found.append(("occurrences equal django-scheduler's", same, True))
    if run.get("feeds"):
        found.append(
            ("member feed equals bare icalendar, byte for byte", run["feeds"]["same_output"], True)
        )
    if run.get("stats"):
        same = all(m["same_figure"] for size in run["stats"] for m in size["measurements"])
        found.append(("statistics equal the hand-written SQL", same, True))
    load = run.get("load")
    if load:
        found += [
            ("load: requests per second", load["per_second"], None),
            ("load: errors (5xx or no answer)", load["errors"], 0),
            ("load: double bookings", load["double_bookings"], 0),
        ]
    faults = run.get("faults") or {}
    kill = faults.get("worker_kill")
    if kill:
        found += [
            ("worker SIGKILLed: notifications lost", kill["lost"], 0),
            ("worker SIGKILLed: notifications sent twice", kill["duplicated"], 0),
        ]
    cut = faults.get("database_cut")
    if cut:
        found += [
            ("database cut: unclean API answers", cut["api_unclean_during"], 0),
            ("database cut: pages and feeds answering 500", cut["pages_500_during"], 0),
            ("database cut: errors after it is back", cut["errors_after_restore"], 0),
            (
                "database cut: seconds to the first success",
                cut["first_success_after_restore_s"],
                None,
            ),
        ]
    return found


def _summary_table(run: dict[str, Any]) -> list[str]:
    rows = run.get("summary") or summary(run)
    if not rows:
        return []
    lines = [
        "## Summary",
        "",
        "Ratio = median of ours / median of the baseline, both measured in this run on the "
        "same data (below 1: faster than the baseline). Details in the sections below.",
        "",
        "| benchmark | scale | ours | median | baseline | median | ratio |",
        "|---|---|---|---:|---|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['benchmark']} | {r['scale']} | {r['operation']} | {_ms(r['median_ms'])} "
            f"| {r['baseline']} | {_ms(r['baseline_median_ms'])} | {r['ratio']:.2f} |"
        )
    checks = invariants(run)
    if checks:
        lines += ["", "| must hold | this run | required |", "|---|---:|---:|"]
        for name, value, required in checks:
            lines.append(f"| {name} | {_value(value)} | {_value(required)} |")
    return [*lines, ""]


def _ms(value: float) -> str:
    return f"{value:,.0f} ms".replace(",", " ") if value >= 100 else f"{value:.3g} ms"


def _value(value: Any) -> str:
    if value is None:
        return "(figure)"
    if isinstance(value, bool):
        return "yes" if value else "**NO**"
    return str(value)


def _booking(run: dict[str, Any]) -> list[str]:
    lines = [
        "Medians over the repetitions; ratio = median(operation) / median(baseline), both "
        "measured interleaved in the same run on the same data.",
        "",
        "| bookings | operation | median | baseline | median | ratio | queries |",
        "|---:|---|---:|---|---:|---:|---:|",
    ]
    for size in run["sizes"]:
        for result in size["measurements"]:
            lines.append(
                f"| {_size(size['bookings'])} | {result['operation']} "
                f"| {result['operation_median_ms']:.3f} ms | {result['baseline']} "
                f"| {result['baseline_median_ms']:.3f} ms | {result['ratio']:.1f}x "
                f"| {result['queries']} |"
            )
    lines += [
        "",
        "Reads of scheduling_booking (EXPLAIN ANALYZE after the timing): shared buffers and "
        "index entries they touch, and the rows they return.",
        "",
        "| bookings | query | buffers | index entries read | rows |",
        "|---:|---|---:|---|---:|",
    ]
    for size in run["sizes"]:
        for result in size["measurements"]:
            for plan in result["booking_table_plans"]:
                scans = ", ".join(f"{s['index']}: {s['entries']}" for s in plan["index_scans"])
                lines.append(
                    f"| {_size(size['bookings'])} | {plan['query']} | {plan['buffers']} "
                    f"| {scans} | {plan['rows']} |"
                )
    lines += [
        "",
        "| bookings | loaded in | rows per second |",
        "|---:|---:|---:|",
    ]
    for size in run["sizes"]:
        lines.append(
            f"| {_size(size['bookings'])} | {size['load_seconds']:.1f} s "
            f"| {size['load_rows_per_second']:,.0f} |"
        )
    return lines


def _occurrences(listing: dict[str, Any]) -> list[str]:
    start, end = listing["window"]
    lines = [
        "## Occurrence listing",
        "",
        f"One calendar of {listing['events']} recurring activities (8 daily, 12 weekly), "
        f"{listing['slots']} dated occurrences with {listing['signups']} sign-ups, "
        f"{listing['cancelled']} cancelled and {listing['moved']} moved; window {start} to "
        f"{end}. {listing['occurrences']} occurrences listed by each "
        f"({listing['occurrences_cancelled']} cancelled); medians of "
        f"{listing['repetitions']} interleaved repetitions; ratio = ours / theirs.",
        "",
        "| listing | median | ours / this | queries, 20 events | queries, 40 events "
        "| same occurrences |",
        "|---|---:|---:|---:|---:|---|",
    ]
    same = {
        "Event.get_occurrences per event": listing["same_occurrences"]["get_occurrences"],
        "Period(events).get_occurrences()": listing["same_occurrences"]["period"],
    }
    for row in listing["rows"]:
        verdict = same.get(row["operation"])
        ratio = "" if verdict is None else f"{row['ratio']:.2f}"
        lines.append(
            f"| {row['operation']} | {row['median_ms']:.1f} ms | {ratio} "
            f"| {row['queries']} | {row['queries_40_events']} "
            f"| {'' if verdict is None else 'yes' if verdict else 'NO'} |"
        )
    probe = listing["dst_probe"]
    counts = probe["occurrences"]
    lines += [
        "",
        f"Daylight saving time: {probe['event']}, in a calendar of its own (not timed). "
        f"Occurrences in the window: {counts['ours']} ours, {counts['get_occurrences']} "
        f"Event.get_occurrences, {counts['period']} Period. The two nights:",
        "",
        "| night | occurrences_in_window | Event.get_occurrences | Period |",
        "|---|---|---|---|",
    ]
    for night, listed in probe["nights"].items():
        cells = [
            ", ".join(listed[name]) or "none" for name in ("ours", "get_occurrences", "period")
        ]
        lines.append(f"| {night} | {' | '.join(cells)} |")
    return lines


def _feeds(feed: dict[str, Any]) -> list[str]:
    versus = feed["member_feed_vs_django_scheduler"]
    lines = [
        "## Member calendar feed",
        "",
        f"One member's feed of {_size(feed['events'])} events ({feed['bookings']} bookings, "
        f"{feed['signups']} sign-ups) in its window, a month back and a year ahead of "
        f"{feed['now']}; medians of "
        f"{feed['repetitions']} interleaved repetitions; ratio = this / bare icalendar.",
        "",
        "| feed | median | / bare | queries | VEVENTs | VTIMEZONEs | bytes |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in feed["rows"]:
        lines.append(
            f"| {row['operation']} | {row['median_ms']:.1f} ms | {row['ratio_to_bare']:.2f}x "
            f"| {row['queries']} | {row['vevents']} | {row['vtimezones']} "
            f"| {_size(row['bytes'])} |"
        )
    lines += [
        "",
        f"member_feed / django-scheduler: {versus['ratio']:.2f}x. The bare serialisation wrote "
        f"the same bytes as member_feed: {'yes' if feed['same_output'] else 'NO'}.",
    ]
    return lines


def _growth(first: float, last: float) -> str:
    return f"{last / first:.2f}x" if first else ""


def _stats(sizes: list[dict[str, Any]]) -> list[str]:
    lines = [
        "## Statistics endpoints",
        "",
        "Each endpoint for the quarter 2026-04-01 to 2026-07-01 (Europe/Berlin) as a "
        "coordinator's GET (view, selectors, table, JSON), against hand-written SQL for its "
        "headline figure over the same quarter, interleaved; medians; ratio = endpoint / SQL; "
        "buffers: shared pages read by all the endpoint's queries and by the SQL (EXPLAIN "
        "ANALYZE, BUFFERS, after the timing). Same figure: the selector's equals the SQL's.",
        "",
        "| bookings | endpoint | median | SQL | ratio | queries | buffers | SQL buffers "
        "| same figure |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for size in sizes:
        for m in size["measurements"]:
            lines.append(
                f"| {_size(size['bookings'])} | {m['endpoint']} "
                f"| {m['operation_median_ms']:.1f} ms | {m['baseline_median_ms']:.1f} ms "
                f"| {m['ratio']:.1f} | {m['queries']} | {_size(m['endpoint_buffers'])} "
                f"| {_size(m['baseline_buffers'])} | {'yes' if m['same_figure'] else 'NO'} |"
            )
    if len(sizes) > 1:
        first, last = sizes[0], sizes[-1]
        span = f"{_size(first['bookings'])} → {_size(last['bookings'])}"
        lines += [
            "",
            f"How time grows with size, {span} bookings (ratio of medians, and of buffers):",
            "",
            "| endpoint | endpoint time | SQL time | endpoint buffers | SQL buffers |",
            "|---|---:|---:|---:|---:|",
        ]
        for a, b in zip(first["measurements"], last["measurements"], strict=True):
            lines.append(
                f"| {a['endpoint']} "
                f"| {_growth(a['operation_median_ms'], b['operation_median_ms'])} "
                f"| {_growth(a['baseline_median_ms'], b['baseline_median_ms'])} "
                f"| {_growth(a['endpoint_buffers'], b['endpoint_buffers'])} "
                f"| {_growth(a['baseline_buffers'], b['baseline_buffers'])} |"
            )
    names = list(sizes[0]["rows"])
    lines += [
        "",
        "Rows in all (in the quarter):",
        "",
        "| " + " | ".join(names) + " | loaded in |",
        "|" + "---:|" * (len(names) + 1),
    ]
    for size in sizes:
        cells = []
        for name in names:
            inside = size["in_quarter"].get(name)
            total = _size(size["rows"][name])
            cells.append(total if inside is None else f"{total} ({_size(inside)})")
        lines.append("| " + " | ".join(cells) + f" | {size['load_seconds']:.1f} s |")
    return lines


def _load(load: dict[str, Any]) -> list[str]:
    lines = [
        "## Load",
        "",
        f"{load['clients']} clients (residents with API tokens, closed loop) for "
        f"{load['seconds']:.0f} s against gunicorn ({load['web_workers']} sync workers, "
        f"CONN_MAX_AGE={load['conn_max_age']}), PostgreSQL, Redis, a Celery worker "
        f"(concurrency {load['celery_concurrency']}) and beat on loopback; bookings on "
        f"{len(load['load_resources'])} single-unit tools, {load['bookable_days']} bookable "
        f"days. Load average before / after: {load['load_average_before']} / "
        f"{load['load_average_after']}.",
        "",
        f"**{load['requests']} requests, {load['per_second']}/s** ({load['reads']} reads, "
        f"{load['writes']} writes); errors (5xx or no answer): **{load['errors']}**; "
        f"409 conflicts: {load['conflicts']}; double bookings (SQL): "
        f"**{load['double_bookings']}**; statuses: {load['statuses']}.",
        "",
        "| kind | requests | per s | p50 | p95 | p99 | max | p50 / healthz | statuses |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in load["rows"]:
        statuses = ", ".join(f"{k}: {v}" for k, v in row["statuses"].items())
        lines.append(
            f"| {row['kind']} | {row['requests']} | {row['per_second']} | {row['p50_ms']} ms "
            f"| {row['p95_ms']} ms | {row['p99_ms']} ms | {row['max_ms']} ms "
            f"| {row['ratio_p50_to_healthz']} | {statuses} |"
        )
    return lines


def _faults(faults: dict[str, Any]) -> list[str]:
    lines = ["## Faults", ""]
    kill = faults.get("worker_kill")
    if kill:
        killed = "; ".join(
            f"{k['worker']} after {k['mails_when_killed']} mails "
            f"({k['outbox_after']['claimed']} left claimed)"
            for k in kill["kills"]
        )
        lines += [
            f"Worker killed with SIGKILL during a dispatch run: {kill['notifications']} due "
            f"notifications; {killed}; a third worker (claim timeout "
            f"{kill['claim_timeout_seconds']} s) finished in {kill['seconds_after_last_kill']} s. "
            f"Mails: {kill['mails']}, lost: **{kill['lost']}**, duplicated: "
            f"**{kill['duplicated']}** — {'passed' if kill['passed'] else 'FAILED'}.",
            "",
        ]
    cut = faults.get("database_cut")
    if cut:
        lines += [
            f"PostgreSQL cut during load ({cut['clients']} clients; a TCP proxy between the app "
            f"and PostgreSQL closed {cut['connections_cut']} connections and refused new ones "
            f"for {cut['cut_seconds']} s): unclean API answers while cut (500, no answer, 503 "
            f"without code `unavailable`): **{cut['api_unclean_during']}**; pages and feeds "
            f"answering 500: **{cut['pages_500_during']}**; errors after restore: "
            f"**{cut['errors_after_restore']}**; first success "
            f"{cut['first_success_after_restore_s']} s after restore; processes alive: "
            f"{cut['processes_alive_at_end']} — {'passed' if cut['passed'] else 'FAILED'}.",
            "",
            "| phase | requests | slowest | statuses |",
            "|---|---:|---:|---|",
        ]
        for phase, row in cut["by_phase"].items():
            statuses = ", ".join(f"{k}: {v}" for k, v in row["statuses"].items())
            lines.append(f"| {phase} | {row['requests']} | {row['max_ms']} ms | {statuses} |")
        lines += ["", "While cut, by kind:", "", "| kind | statuses |", "|---|---|"]
        for kind, found in cut["during_by_kind"].items():
            lines.append(f"| {kind} | {', '.join(f'{k}: {v}' for k, v in found.items())} |")
    return lines


def write(run: dict[str, Any]) -> tuple[Path, Path]:
    run["summary"] = summary(run)
    RESULTS_DIR.mkdir(exist_ok=True)
    as_json = RESULTS_DIR / "latest.json"
    as_md = RESULTS_DIR / "latest.md"
    as_json.write_text(json.dumps(run, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    as_md.write_text(markdown(run), encoding="utf-8")
    return as_json, as_md


if __name__ == "__main__":
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else RESULTS_DIR / "latest.json"
    written = write(json.loads(source.read_text(encoding="utf-8")))
    print(", ".join(str(path) for path in written))
