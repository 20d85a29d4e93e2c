"""Benchmark `sendstat mock` against a raw-bytes WSGI baseline and other mock servers; time its start-up.

    python -m bench.run [--quick] [--duration S] [--rounds N] [--only mock,raw,prism,wiremock,mockoon]

Each server listens on a free loopback port, pinned to core 0 (taskset); wrk (one thread, 16
connections) runs pinned to core 1. Runs are interleaved (server by server, endpoint by endpoint, the
order reversed every round) and the table shows medians. See bench/RESULTS.md for figures and method.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import requests

from bench._servers import (
    BENCH,
    CACHE,
    Recorded,
    Running,
    free_port,
    mockoon_environment,
    npm_tools,
    start_process,
    wiremock_root,
)
from bench._startup import ALL_FIELDS, INDEX, measure_startup, mock_command, time_check
from bench._wrk import WrkResult, ensure_wrk, run_wrk

SERVERS = ("mock", "raw", "prism", "wiremock", "mockoon")
ENDPOINTS = ("view-all", "index", "view-default")
CONNECTIONS = 16
DROPPED_HEADERS = frozenset({"server", "date", "connection", "keep-alive", "transfer-encoding"})
ROOT = BENCH.parent


def say(text: str) -> None:
    """A progress line or note, on stderr."""
    print(text, file=sys.stderr, flush=True)


def pins() -> tuple[list[str], list[str]]:
    """taskset prefixes: servers on core 0, the load generator on core 1 (none with one core or no taskset)."""
    if shutil.which("taskset") and (os.cpu_count() or 1) >= 2:
        return ["taskset", "-c", "0"], ["taskset", "-c", "1"]
    say("note: no taskset or a single core: server and load are not pinned")
    return [], []


def record(mock: Running) -> list[Recorded]:
    """Fetch the three benchmarked answers from the running mock, bytes and headers."""
    first = requests.get(mock.url + INDEX, timeout=60).json()["statistics"][0]["id"]
    targets = {
        "view-all": f"{INDEX}/{first}?fields={ALL_FIELDS}",
        "index": INDEX,
        "view-default": f"{INDEX}/{first}",
    }
    recorded = []
    for endpoint, target in targets.items():
        response = requests.get(mock.url + target, timeout=60)
        headers = tuple((k, v) for k, v in response.raw.headers.items() if k.lower() not in DROPPED_HEADERS)
        recorded.append(Recorded(endpoint, target, response.status_code, response.reason, headers, response.content))
    return recorded


def start_servers(names: Sequence[str], pin: list[str], scratch: Path) -> tuple[list[Running], list[Recorded]]:
    """Start the mock first (its answers are recorded), then every other server that can run here."""
    mock = start_process("mock", mock_command(pin, None), ready_path="/health")
    servers = [mock]
    try:
        recorded = record(mock)
        started: dict[str, Callable[[], Running | None]] = {
            "raw": lambda: start_raw(pin, recorded, scratch),
            "prism": lambda: start_prism(pin),
            "wiremock": lambda: start_wiremock(pin, recorded, scratch),
            "mockoon": lambda: start_mockoon(pin, recorded, scratch),
        }
        for name in [n for n in names if n in started]:
            try:
                server = started[name]()
            except (OSError, RuntimeError, subprocess.SubprocessError) as exc:
                say(f"note: {name} could not be started here: {exc}; skipped")
                server = None
            if server is not None:
                servers.append(server)
    except BaseException:
        for server in servers:
            server.stop()
        raise
    if "mock" not in names:
        mock.stop()
        servers.remove(mock)
    return servers, recorded


def start_raw(pin: list[str], recorded: Sequence[Recorded], scratch: Path) -> Running:
    """The raw-bytes WSGI baseline under granian."""
    responses = scratch / "raw-responses.json"
    responses.write_text(json.dumps([answer.as_json() for answer in recorded]))
    command = [*pin, sys.executable, "-m", "bench.raw_wsgi", "--port", str(port := free_port())]
    command += ["--responses", str(responses)]
    return start_process("raw", command, url=f"http://127.0.0.1:{port}", cwd=BENCH.parent)


def start_prism(pin: list[str]) -> Running | None:
    """Prism serving openapi.yaml's examples (it needs the document's auth header)."""
    modules = npm_tools(say)
    if modules is None:
        return None
    command = [*pin, str(modules / ".bin" / "prism"), "mock", "-h", "127.0.0.1", "-p", str(port := free_port())]
    command += ["-v", "warn", str(ROOT / "openapi.yaml")]
    url = f"http://127.0.0.1:{port}"
    return start_process("prism", command, url=url, ready_path=INDEX, headers=["X-Estis-Auth: bench"])


def start_wiremock(pin: list[str], recorded: Sequence[Recorded], scratch: Path) -> Running | None:
    """WireMock's standalone jar (from the npm package) with one stub per recorded answer."""
    modules = npm_tools(say)
    java = shutil.which("java")
    if modules is None or java is None:
        say("note: no java: WireMock skipped" if java is None else "note: WireMock skipped (npm)")
        return None
    jars = sorted((modules / "wiremock").glob("**/wiremock-standalone-*.jar"))
    if not jars:
        say("note: the wiremock npm package holds no standalone jar: WireMock skipped")
        return None
    root = wiremock_root(recorded, scratch / "wiremock")
    command = [*pin, java, "-jar", str(jars[-1]), "--port", str(port := free_port()), "--bind-address", "127.0.0.1"]
    # No request journal: it keeps every request and grows without bound under load.
    command += ["--root-dir", str(root), "--no-request-journal", "--disable-banner"]
    return start_process("wiremock", command, url=f"http://127.0.0.1:{port}", ready_path=INDEX)


def start_mockoon(pin: list[str], recorded: Sequence[Recorded], scratch: Path) -> Running | None:
    """Mockoon CLI with an environment serving the recorded answers."""
    modules = npm_tools(say)
    if modules is None:
        return None
    port = free_port()
    environment = mockoon_environment(recorded, port, scratch / "mockoon.json")
    command = [*pin, str(modules / ".bin" / "mockoon-cli"), "start", "--data", str(environment), "--port", str(port)]
    command += ["--disable-log-to-file", "--disable-admin-api"]
    return start_process("mockoon", command, url=f"http://127.0.0.1:{port}", ready_path=INDEX)


@dataclass(frozen=True)
class Sample:
    """One wrk run on one server and endpoint, with the server's CPU time and RSS."""

    server: str
    endpoint: str
    result: WrkResult
    cpu_seconds: float
    rss: int


@dataclass(frozen=True)
class Row:
    """Medians of one server and endpoint."""

    server: str
    endpoint: str
    status: int
    body_bytes: int
    same_bytes: bool
    rps: float
    p50_ms: float
    p99_ms: float
    cpu_us_per_request: float
    rss_mib: float
    ratio_to_raw: float | None
    runs: int
    errors: int


def probe(server: Running, target: str) -> tuple[int, bytes]:
    """The server's answer to a target: status and body."""
    response = requests.get(server.url + target, headers=dict(h.split(": ", 1) for h in server.headers), timeout=30)
    return response.status_code, response.content


def measure(
    servers: Sequence[Running], recorded: Sequence[Recorded], wrk: str, pin: list[str], seconds: float, rounds: int
) -> list[Row]:
    """Warm every pair up, then run interleaved rounds and take medians."""
    targets = {answer.endpoint: answer for answer in recorded}
    samples: list[Sample] = []
    for server in servers:
        for endpoint in ENDPOINTS:
            run_wrk(
                wrk,
                server.url + targets[endpoint].target,
                min(2.0, seconds),
                connections=CONNECTIONS,
                headers=server.headers,
                pin=pin,
            )
    for n in range(rounds):
        order = list(servers) if n % 2 == 0 else list(reversed(servers))
        for server in order:
            for endpoint in ENDPOINTS if n % 2 == 0 else tuple(reversed(ENDPOINTS)):
                before = server.cpu()
                result = run_wrk(
                    wrk,
                    server.url + targets[endpoint].target,
                    seconds,
                    connections=CONNECTIONS,
                    headers=server.headers,
                    pin=pin,
                )
                samples.append(Sample(server.name, endpoint, result, server.cpu() - before, server.rss()))
                say(f"round {n + 1}/{rounds} {server.name:9} {endpoint:13} {result.rps:9.0f} req/s")
    return rows(servers, targets, samples)


def rows(servers: Sequence[Running], targets: dict[str, Recorded], samples: Sequence[Sample]) -> list[Row]:
    """Medians per server and endpoint, and the ratio to the raw baseline."""
    found: list[Row] = []
    raw_rps: dict[str, float] = {}
    for server in servers:
        for endpoint in ENDPOINTS:
            mine = [s for s in samples if s.server == server.name and s.endpoint == endpoint]
            rps = statistics.median(s.result.rps for s in mine)
            if server.name == "raw":
                raw_rps[endpoint] = rps
            status, body = probe(server, targets[endpoint].target)
            found.append(
                Row(
                    server=server.name,
                    endpoint=endpoint,
                    status=status,
                    body_bytes=len(body),
                    same_bytes=body == targets[endpoint].body,
                    rps=rps,
                    p50_ms=statistics.median(s.result.p50_ms for s in mine),
                    p99_ms=statistics.median(s.result.p99_ms for s in mine),
                    cpu_us_per_request=statistics.median(s.cpu_seconds / max(s.result.requests, 1) * 1e6 for s in mine),
                    rss_mib=max(s.rss for s in mine) / 2**20,
                    ratio_to_raw=None,
                    runs=len(mine),
                    errors=sum(s.result.errors + s.result.non_2xx for s in mine),
                )
            )
    return [
        Row(**{**asdict(row), "ratio_to_raw": row.rps / raw_rps[row.endpoint] if row.endpoint in raw_rps else None})
        for row in found
    ]


def table(found: Sequence[Row]) -> str:
    """The throughput table in Markdown."""
    lines = [
        "| server | endpoint | status, bytes | req/s | p50 ms | p99 ms | CPU µs/req | RSS MiB | x raw | errors |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in found:
        ratio = f"{row.ratio_to_raw:.2f}" if row.ratio_to_raw is not None else "-"
        same = "" if row.same_bytes else " (other bytes)"
        lines.append(
            f"| {row.server} | {row.endpoint} | {row.status}, {row.body_bytes}{same} | {row.rps:,.0f} | "
            f"{row.p50_ms:.2f} | {row.p99_ms:.2f} | {row.cpu_us_per_request:,.0f} | {row.rss_mib:.0f} | {ratio} | "
            f"{row.errors} |"
        )
    return "\n".join(lines)


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")), "?")
    meminfo = Path("/proc/meminfo").read_text().split("\n", 1)[0] if Path("/proc/meminfo").exists() else "?"
    versions = {"python": platform.python_version()}
    for tool, command in {
        "wrk": ["wrk", "--version"],
        "node": ["node", "--version"],
        "java": ["java", "-version"],
    }.items():
        try:
            done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=30)
            versions[tool] = (done.stdout + done.stderr).strip().splitlines()[0]
        except (OSError, IndexError):
            versions[tool] = "absent"
    for module in ("granian", "flask", "schemathesis"):
        try:
            from importlib.metadata import version

            versions[module] = version(module)
        except ImportError:
            versions[module] = "?"
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "nproc": str(os.cpu_count()),
        "cpu": model,
        "memory": meminfo.replace("MemTotal:", "").strip(),
        "kernel": platform.release(),
        **versions,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print its tables; write the figures as JSON to bench/.cache/last-run.json."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="3 s runs, one round, one start per scenario")
    parser.add_argument("--duration", type=float, help="seconds per wrk run (default 10; quick 3)")
    parser.add_argument("--rounds", type=int, help="interleaved rounds (default 3; quick 1)")
    parser.add_argument("--only", help=f"comma-separated servers of {','.join(SERVERS)} (default: all)")
    parser.add_argument("--no-startup", action="store_true", help="skip the start-up and memory figures")
    parser.add_argument("--no-check", action="store_true", help="skip timing `sendstat check`")
    args = parser.parse_args(argv)
    seconds = args.duration or (3.0 if args.quick else 10.0)
    rounds = args.rounds or (1 if args.quick else 3)
    names = [n for n in (args.only.split(",") if args.only else SERVERS) if n]
    unknown = sorted(set(names) - set(SERVERS))
    if unknown:
        parser.error(f"unknown servers: {', '.join(unknown)}")
    pin_server, pin_load = pins()
    figures: dict[str, object] = {
        "machine": machine(),
        "seconds": seconds,
        "rounds": rounds,
        "connections": CONNECTIONS,
    }
    CACHE.mkdir(exist_ok=True)
    wrk = ensure_wrk(say)
    if wrk is not None:
        with tempfile.TemporaryDirectory(prefix="sendstat-bench-") as scratch:
            servers, recorded = start_servers(names, pin_server, Path(scratch))
            try:
                found = measure(servers, recorded, wrk, pin_load, seconds, rounds)
            finally:
                for server in servers:
                    server.stop()
        figures["throughput"] = [asdict(row) for row in found]
        print(table(found))
    if not args.no_startup:
        figures["startup"] = startup_figures(pin_server, quick=args.quick)
    if not args.no_check:
        if (
            "check"
            in subprocess.run(
                [sys.executable, "-m", "sendstat", "--help"], capture_output=True, text=True, check=False
            ).stdout
        ):
            timing = time_check(pin_server, pin_load)
            figures["check"] = asdict(timing)
            print(
                f"\nsendstat check --profile ci against the local mock: {timing.seconds:.1f} s, "
                f"exit {timing.exit_status} ({timing.summary})"
            )
        else:
            say("note: this sendstat has no `check` subcommand: its timing is skipped")
    (CACHE / "last-run.json").write_text(json.dumps(figures, indent=2))
    return 0


def startup_figures(pin: list[str], *, quick: bool) -> list[dict[str, object]]:
    """Start-up and memory of the default scenario and, where `--scenario` exists, the large one."""
    helptext = subprocess.run(
        [sys.executable, "-m", "sendstat", "mock", "--help"], capture_output=True, text=True, check=False
    ).stdout
    scenarios: list[str | None] = [None]
    if "--scenario" in helptext:
        scenarios.append("large")
    else:
        say("note: this sendstat mock has no --scenario option: the large scenario's start-up is skipped")
    found = []
    print(
        "\n| scenario | start → /health | start → whole index | index | index bytes | first view | "
        "RSS after start | RSS after 10,000 requests | 10,000 requests |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    for scenario in scenarios:
        for _ in range(1 if quick else 3):
            figures = measure_startup(pin, scenario)
            found.append(asdict(figures))
            print(
                f"| {figures.scenario} | {figures.to_health:.2f} s | {figures.to_index:.2f} s | "
                f"{figures.index_seconds:.2f} s | {figures.index_bytes:,} | {figures.view_seconds * 1000:.0f} ms | "
                f"{figures.rss_started / 2**20:.0f} MiB | {figures.rss_after / 2**20:.0f} MiB | "
                f"{figures.load_seconds:.1f} s |",
                flush=True,
            )
    return found


if __name__ == "__main__":
    started = time.monotonic()
    status = main()
    say(f"done in {time.monotonic() - started:.0f} s")
    sys.exit(status)
