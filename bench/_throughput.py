"""Cached answers: the mock against the raw-bytes limit and other mock servers, interleaved rounds of wrk.

The mock answers first, and its answers are recorded: status, headers (less server, date) and bytes. `raw`
serves those bytes from a bare WSGI app under granian's default settings: the limit. `raw-mock` serves them
under the mock's own granian settings (mockserver/serving/server.py), which cost the baseline too. WireMock
and Mockoon serve the same bytes; Prism serves openapi.yaml's examples (other, smaller bytes).
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import requests

from bench._loads import ALL_FIELDS, INDEX
from bench._servers import (
    BENCH,
    Recorded,
    Running,
    free_port,
    mockoon_environment,
    npm_tools,
    start_process,
    wiremock_root,
)
from bench._startup import mock_command, mock_env
from bench._wrk import WrkResult, run_wrk

__all__ = ["CONNECTIONS", "ENDPOINTS", "LIMIT", "SERVERS", "Row", "measure", "start_servers", "table"]

SERVERS = ("mock", "mock-base", "raw", "raw-mock", "prism", "wiremock", "mockoon")
LIMIT = "raw"
ENDPOINTS = ("view-all", "index", "view-default")
CONNECTIONS = 16
DROPPED_HEADERS = frozenset({"server", "date", "connection", "keep-alive", "transfer-encoding"})
ROOT = BENCH.parent
Say = Callable[[str], None]


def record(mock: Running) -> list[Recorded]:
    """Fetch the benchmarked answers from the running mock, bytes and headers."""
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


def start_servers(
    names: Sequence[str], pin: list[str], scratch: Path, say: Say, base: Path | None = None
) -> tuple[list[Running], list[Recorded]]:
    """Start the mock first (its answers are recorded), then every other server that can run here.

    base: another checkout whose mock runs as mock-base (the code before a change, side by side).
    """
    mock = start_process("mock", mock_command(pin, None), ready_path="/health")
    servers = [mock]
    try:
        recorded = record(mock)
        started: dict[str, Callable[[], Running | None]] = {
            "mock-base": lambda: start_base(pin, base),
            "raw": lambda: start_raw("raw", pin, recorded, scratch, limit=True),
            "raw-mock": lambda: start_raw("raw-mock", pin, recorded, scratch, limit=False),
            "prism": lambda: start_prism(pin, say),
            "wiremock": lambda: start_wiremock(pin, recorded, scratch, say),
            "mockoon": lambda: start_mockoon(pin, recorded, scratch, say),
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


def start_base(pin: list[str], base: Path | None) -> Running | None:
    """The mock of another checkout, if one was given."""
    if base is None:
        return None
    return start_process("mock-base", mock_command(pin, None), ready_path="/health", env=mock_env(base), cwd=base)


def start_raw(name: str, pin: list[str], recorded: Sequence[Recorded], scratch: Path, *, limit: bool) -> Running:
    """The raw-bytes WSGI baseline under granian: its default settings (limit), or the mock's."""
    responses = scratch / "raw-responses.json"
    responses.write_text(json.dumps([answer.as_json() for answer in recorded]))
    command = [*pin, sys.executable, "-m", "bench.raw_wsgi", "--port", str(port := free_port())]
    command += ["--responses", str(responses), *(["--granian-defaults"] if limit else [])]
    return start_process(name, command, url=f"http://127.0.0.1:{port}", cwd=ROOT)


def start_prism(pin: list[str], say: Say) -> Running | None:
    """Prism serving openapi.yaml's examples (it needs the document's auth header)."""
    modules = npm_tools(say)
    if modules is None:
        return None
    command = [*pin, str(modules / ".bin" / "prism"), "mock", "-h", "127.0.0.1", "-p", str(port := free_port())]
    command += ["-v", "warn", str(ROOT / "openapi.yaml")]
    url = f"http://127.0.0.1:{port}"
    return start_process("prism", command, url=url, ready_path=INDEX, headers=["X-Estis-Auth: bench"])


def start_wiremock(pin: list[str], recorded: Sequence[Recorded], scratch: Path, say: Say) -> Running | None:
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


def start_mockoon(pin: list[str], recorded: Sequence[Recorded], scratch: Path, say: Say) -> Running | None:
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
    """Medians of one server and endpoint over the rounds, with the spread of req/s (min, max)."""

    server: str
    endpoint: str
    status: int
    body_bytes: int
    same_bytes: bool
    rps: float
    rps_min: float
    rps_max: float
    p50_ms: float
    p99_ms: float
    cpu_us_per_request: float
    rss_mib: float
    ratio_to_limit: float | None
    runs: int
    errors: int


def probe(server: Running, target: str) -> tuple[int, bytes]:
    """The server's answer to a target: status and body."""
    response = requests.get(server.url + target, headers=dict(h.split(": ", 1) for h in server.headers), timeout=30)
    return response.status_code, response.content


def measure(
    servers: Sequence[Running],
    recorded: Sequence[Recorded],
    endpoints: Sequence[str],
    wrk: str,
    pin: list[str],
    seconds: float,
    rounds: int,
    say: Say,
) -> list[Row]:
    """Warm every pair up, then run interleaved rounds (order reversed every other round) and take medians."""
    targets = {answer.endpoint: answer for answer in recorded}
    samples: list[Sample] = []
    for server in servers:
        for endpoint in endpoints:
            run_wrk(
                wrk,
                server.url + targets[endpoint].target,
                min(2.0, seconds / 2),
                connections=CONNECTIONS,
                headers=server.headers,
                pin=pin,
            )
    for n in range(rounds):
        order = list(servers) if n % 2 == 0 else list(reversed(servers))
        for server in order:
            for endpoint in endpoints if n % 2 == 0 else tuple(reversed(endpoints)):
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
                say(f"cached, round {n + 1}/{rounds}: {server.name:9} {endpoint:13} {result.rps:9.0f} req/s")
    return rows(servers, targets, endpoints, samples)


def rows(
    servers: Sequence[Running], targets: dict[str, Recorded], endpoints: Sequence[str], samples: Sequence[Sample]
) -> list[Row]:
    """Medians per server and endpoint, and the ratio to the limit (raw, granian's defaults)."""
    found: list[Row] = []
    for server in servers:
        for endpoint in endpoints:
            mine = [s for s in samples if s.server == server.name and s.endpoint == endpoint]
            status, body = probe(server, targets[endpoint].target)
            found.append(
                Row(
                    server=server.name,
                    endpoint=endpoint,
                    status=status,
                    body_bytes=len(body),
                    same_bytes=body == targets[endpoint].body,
                    rps=statistics.median(s.result.rps for s in mine),
                    rps_min=min(s.result.rps for s in mine),
                    rps_max=max(s.result.rps for s in mine),
                    p50_ms=statistics.median(s.result.p50_ms for s in mine),
                    p99_ms=statistics.median(s.result.p99_ms for s in mine),
                    cpu_us_per_request=statistics.median(s.cpu_seconds / max(s.result.requests, 1) * 1e6 for s in mine),
                    rss_mib=max(s.rss for s in mine) / 2**20,
                    ratio_to_limit=None,
                    runs=len(mine),
                    errors=sum(s.result.errors + s.result.non_2xx for s in mine),
                )
            )
    limit = {row.endpoint: row.rps for row in found if row.server == LIMIT}
    return [
        Row(**{**asdict(row), "ratio_to_limit": row.rps / limit[row.endpoint] if row.endpoint in limit else None})
        for row in found
    ]


def table(found: Sequence[Row]) -> str:
    """The throughput table in Markdown."""
    lines = [
        "| server | endpoint | status, bytes | req/s (median) | min-max | p50 ms | p99 ms | CPU µs/req | RSS MiB | "
        "x limit | errors |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in found:
        ratio = f"{row.ratio_to_limit:.2f}" if row.ratio_to_limit is not None else "-"
        same = "" if row.same_bytes else " (other bytes)"
        lines.append(
            f"| {row.server} | {row.endpoint} | {row.status}, {row.body_bytes}{same} | {row.rps:,.0f} | "
            f"{row.rps_min:,.0f}-{row.rps_max:,.0f} | {row.p50_ms:.2f} | {row.p99_ms:.2f} | "
            f"{row.cpu_us_per_request:,.0f} | {row.rss_mib:.0f} | {ratio} | {row.errors} |"
        )
    return "\n".join(lines)
