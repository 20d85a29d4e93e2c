"""Benchmark `sendstat mock`: cached and new answers against the raw limit, a realistic mix, start-up, memory, scaling.

    python -m bench.run [--quick] [--duration S] [--rounds N] [--only mock,raw,raw-mock,prism,wiremock,mockoon]

Servers listen on free loopback ports pinned to core 0 (taskset); wrk (one thread, 16 connections) runs
pinned to core 1. Every figure is measured in this one run, side by side; tables show medians over the
rounds with their spread, and the last lines the headline ratios. See bench/RESULTS.md for the method.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from bench import _fresh, _scaling, _startup, _throughput
from bench._loads import MIX_MAILINGS, account_ids, mix_targets, size_scenarios, view_targets
from bench._servers import CACHE
from bench._wrk import ensure_wrk

# Goals of issue 12.
UNCACHED_RPS_GOAL = 5000
CACHED_RATIO_GOAL = 0.6
FIRST_ANSWER_GOAL = 0.3
FIRST_INDEX_GOAL = 0.5
LARGE = "large"


def say(text: str) -> None:
    """A progress line or note, on stderr."""
    print(text, file=sys.stderr, flush=True)


def pins() -> tuple[list[str], list[str]]:
    """taskset prefixes: servers on core 0, the load generator on core 1 (none with one core or no taskset)."""
    if shutil.which("taskset") and (os.cpu_count() or 1) >= 2:
        return ["taskset", "-c", "0"], ["taskset", "-c", "1"]
    say("note: no taskset or a single core: server and load are not pinned")
    return [], []


def machine() -> dict[str, str]:
    """What the figures were measured on, and how busy the machine was when the run began."""
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")), "?")
    meminfo = Path("/proc/meminfo").read_text().split("\n", 1)[0] if Path("/proc/meminfo").exists() else "?"
    versions = {"python": platform.python_version()}
    tools = {"wrk": ["wrk", "--version"], "node": ["node", "--version"], "java": ["java", "-version"]}
    for tool, command in tools.items():
        try:
            done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=30)
            versions[tool] = (done.stdout + done.stderr).strip().splitlines()[0]
        except (OSError, IndexError):
            versions[tool] = "absent"
    for module in ("granian", "flask", "werkzeug"):
        try:
            versions[module] = version(module)
        except PackageNotFoundError:
            versions[module] = "?"
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False)
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "commit": commit.stdout.strip() or "?",
        "nproc": str(os.cpu_count()),
        "cpu": model,
        "memory": meminfo.replace("MemTotal:", "").strip(),
        "kernel": platform.release(),
        "load average at start": " ".join(f"{load:.2f}" for load in os.getloadavg()),
        **versions,
    }


def fresh_table(rows: Sequence[_fresh.FreshRow], limit: float | None) -> str:
    """The table of new answers (uncached views, the mix) in Markdown."""
    lines = [
        "| load | rounds | req/s (median) | min-max | p50 ms | p99 ms | CPU µs/req (median) | min-max | x limit | "
        "requests | repeated | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        ratio = f"{row.rps / limit:.3f}" if limit else "-"
        lines.append(
            f"| {row.name} | {row.rounds} | {row.rps:,.0f} | {row.rps_min:,.0f}-{row.rps_max:,.0f} | "
            f"{row.p50_ms:.2f} | {row.p99_ms:.2f} | {row.cpu_us:,.0f} | {row.cpu_us_min:,.0f}-{row.cpu_us_max:,.0f} | "
            f"{ratio} | {row.requests:,} | {row.repeated:,} | {row.errors} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run every benchmark, print its tables and the headline; write the figures to bench/.cache/last-run.json."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="short runs, one round: under a minute")
    parser.add_argument("--duration", type=float, help="seconds per wrk run (default 10; quick 2)")
    parser.add_argument("--rounds", type=int, help="rounds of every load (default 3; quick 1)")
    parser.add_argument(
        "--only", help=f"servers of the cached table, of {','.join(_throughput.SERVERS)} (default: mock,raw,raw-mock)"
    )
    parser.add_argument("--starts", type=int, default=20, help="starts timed to the first answer (default 20)")
    parser.add_argument("--views", type=int, help="distinct views of large before RSS is read (100,000; quick 5,000)")
    parser.add_argument("--check", action="store_true", help="also time `sendstat check --profile ci` on a fresh mock")
    parser.add_argument(
        "--compare",
        type=Path,
        metavar="DIR",
        help="another checkout (e.g. `git archive BASE | tar -x -C DIR`) whose mock is measured beside this one",
    )
    args = parser.parse_args(argv)
    seconds = args.duration or (2.0 if args.quick else 10.0)
    rounds = args.rounds or (1 if args.quick else 3)
    views = args.views or (5_000 if args.quick else 100_000)
    default = ("mock", "mock-base", "raw", "raw-mock") if args.compare else ("mock", "raw", "raw-mock")
    names = [n for n in (args.only.split(",") if args.only else default) if n]
    if args.compare is not None and not (args.compare / "mockserver").is_dir():
        parser.error(f"--compare {args.compare}: not a checkout of this project (no mockserver/ in it)")
    unknown = sorted(set(names) - set(_throughput.SERVERS))
    if unknown:
        parser.error(f"unknown servers: {', '.join(unknown)}")
    wrk = ensure_wrk(say)
    if wrk is None:
        parser.error("wrk is needed (apt-get install wrk)")
    pin_server, pin_load = pins()
    figures: dict[str, object] = {"machine": machine(), "seconds": seconds, "rounds": rounds}
    CACHE.mkdir(exist_ok=True)
    _startup.ensure_bytecode()
    if args.compare is not None:
        _startup.ensure_bytecode(args.compare)
    with tempfile.TemporaryDirectory(prefix="sendstat-bench-") as scratch_name:
        scratch = Path(scratch_name)
        report = run_all(args, names, wrk, pin_server, pin_load, seconds, rounds, views, scratch, figures)
    figures["machine"] = {**figures["machine"], "load average at end": os.getloadavg()}  # type: ignore[dict-item]
    (CACHE / "last-run.json").write_text(json.dumps(figures, indent=2, default=str))
    print("\n".join(report))
    return 0


def run_all(
    args: argparse.Namespace,
    names: Sequence[str],
    wrk: str,
    pin_server: list[str],
    pin_load: list[str],
    seconds: float,
    rounds: int,
    views: int,
    scratch: Path,
    figures: dict[str, object],
) -> list[str]:
    """Measure everything; return the report's lines (tables, then the headline)."""
    report = [f"## Machine\n\n{json.dumps(figures['machine'], indent=1)}"]
    large_ids = account_ids(LARGE)
    size_scenarios(scratch, [MIX_MAILINGS])
    mix_name = f"bench-{MIX_MAILINGS}"
    mix_ids = account_ids(mix_name, [scratch])

    endpoints = ("view-all",) if args.quick else _throughput.ENDPOINTS
    servers, recorded = _throughput.start_servers(names, pin_server, scratch, say, args.compare)
    try:
        cached = _throughput.measure(servers, recorded, endpoints, wrk, pin_load, seconds, rounds, say)
    finally:
        for server in servers:
            server.stop()
    figures["cached"] = [asdict(row) for row in cached]
    report += ["\n## Cached answers (the same request again)\n", _throughput.table(cached)]
    limit = next((row.rps for row in cached if row.server == _throughput.LIMIT and row.endpoint == "view-all"), None)

    builds: list[tuple[str, Path | None]] = [("", None)]
    if args.compare is not None:
        builds.append((" [base]", args.compare))
    loads = (
        (
            "uncached",
            "uncached views of large (all six sections, random ids, each new)",
            _startup.mock_command(pin_server, LARGE),
            lambda number: view_targets(large_ids, seed=100 + number),
        ),
        (
            "mix",
            f"mix on {MIX_MAILINGS:,} mailings: 80 % new views, 15 % index, 5 % bad fields",
            _startup.mock_command(pin_server, mix_name, [scratch]),
            lambda number: mix_targets(mix_ids, seed=200 + number),
        ),
    )
    fresh_rows = [
        _fresh.summary(
            f"{title}{label}",
            _fresh.fresh_rounds(
                f"{name}{label.strip(' []')}", command, targets, scratch, wrk, pin_load, seconds, rounds, say, checkout
            ),
        )
        for label, checkout in builds
        for name, title, command, targets in loads
    ]
    uncached, mix = fresh_rows[0], fresh_rows[1]
    figures["fresh"] = [asdict(row) for row in fresh_rows]
    report += ["\n## New answers (fresh mock per round)\n", fresh_table(fresh_rows, limit)]

    say(f"start-up: {args.starts} starts of the default mock")
    first_id = account_ids("default")[0]
    starts = _startup.first_answers(pin_server, args.starts, first_id)
    indexes = [_startup.first_index(pin_server, LARGE) for _ in range(1 if args.quick else 3)]
    if args.compare is not None:
        base_starts = _startup.first_answers(pin_server, args.starts, first_id, args.compare)
        base_index = _startup.first_index(pin_server, LARGE, args.compare)
        figures["startup_base"] = {"first_answer_seconds": base_starts.seconds, "first_index": asdict(base_index)}
    say(f"memory: {views:,} distinct views of large")
    memory = _startup.memory_after_views(pin_server, LARGE, large_ids, views)
    figures["startup"] = {"first_answer_seconds": starts.seconds, "first_index": [asdict(i) for i in indexes]}
    figures["memory"] = asdict(memory)
    index_seconds = sorted(i.seconds for i in indexes)
    report += [
        "\n## Start-up and memory\n",
        f"- first answer after exec of `sendstat mock` ({len(starts.seconds)} starts): p50 {starts.p50:.3f} s, "
        f"p90 {starts.p90:.3f} s, max {max(starts.seconds):.3f} s",
        f"- first index of large ({indexes[0].size:,} bytes, fresh mock each): "
        + ", ".join(f"{i.seconds:.2f} s ({i.cpu_seconds:.2f} s CPU)" for i in indexes),
        f"- RSS of the mock: {memory.rss_started / 2**20:.0f} MiB after start, {memory.rss_after / 2**20:.0f} MiB "
        f"after {memory.views:,} distinct views of large ({memory.seconds:.1f} s)",
    ]
    if args.compare is not None:
        report.append(
            f"- [base] first answer p50 {base_starts.p50:.3f} s, p90 {base_starts.p90:.3f} s; first index of large "
            f"{base_index.seconds:.2f} s ({base_index.cpu_seconds:.2f} s CPU)"
        )

    say("scaling: index and view at 10, 1,000 and 100,000 mailings")
    scaled = _scaling.scaling(pin_server, scratch, quick=args.quick)
    figures["scaling"] = [asdict(row) for row in scaled]
    report += ["\n## Cost per request as the account grows (each answer new)\n", _scaling.table(scaled)]

    if args.check:
        timing = _startup.time_check(pin_server, pin_load)
        figures["check"] = asdict(timing)
        report.append(f"\n`sendstat check --profile ci`: {timing.seconds:.1f} s, exit {timing.exit_status}")

    mock_cached = next((row for row in cached if row.server == "mock" and row.endpoint == "view-all"), None)
    raw_mock = next((row for row in cached if row.server == "raw-mock" and row.endpoint == "view-all"), None)
    load_now = " ".join(f"{load:.1f}" for load in os.getloadavg())
    report += ["", f"Headline (this run; load average {load_now} on {os.cpu_count()} cores):"]
    if mock_cached is not None and limit:
        beside = f", {raw_mock.rps / limit:.2f} x for raw under the mock's settings" if raw_mock else ""
        report.append(
            f"  cached view-all:  {mock_cached.rps:,.0f} req/s = {mock_cached.rps / limit:.2f} x the raw limit "
            f"({limit:,.0f} req/s, granian defaults){beside}; goal {CACHED_RATIO_GOAL} x"
        )
    ratio = f" = {uncached.rps / limit:.3f} x the raw limit" if limit else ""
    report.append(
        f"  uncached views:   {uncached.rps:,.0f} req/s per core{ratio}, {uncached.cpu_us:,.0f} µs CPU per new answer; "
        f"goal {UNCACHED_RPS_GOAL:,} req/s (200 µs)"
        + (f" (NOT ALL NEW: {uncached.repeated:,} targets sent twice)" if uncached.repeated else "")
    )
    report.append(
        f"  mix (80/15/5):    {mix.rps:,.0f} req/s, p50 {mix.p50_ms:.2f} ms, p99 {mix.p99_ms:.2f} ms, "
        f"{mix.cpu_us:,.0f} µs CPU per request"
        + (f" (NOT ALL NEW: {mix.repeated:,} targets sent twice)" if mix.repeated else "")
    )
    report.append(
        f"  start-up:         first answer p90 {starts.p90:.3f} s of {len(starts.seconds)} starts (goal < "
        f"{FIRST_ANSWER_GOAL} s); first large index {index_seconds[len(index_seconds) // 2]:.2f} s (goal < "
        f"{FIRST_INDEX_GOAL} s)"
    )
    report.append(
        f"  memory:           {memory.rss_after / 2**20:.0f} MiB RSS after {memory.views:,} distinct views of large "
        f"({memory.rss_started / 2**20:.0f} MiB after start)"
    )
    return report


if __name__ == "__main__":
    started = time.monotonic()
    status = main()
    say(f"done in {time.monotonic() - started:.0f} s")
    sys.exit(status)
