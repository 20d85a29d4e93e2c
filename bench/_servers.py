"""Starts the benchmarked servers on free loopback ports, waits until they answer, and stops them."""

from __future__ import annotations

import base64
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import unquote

import requests

from bench._procs import cpu_seconds, process_tree, rss_bytes

__all__ = ["BENCH", "CACHE", "Recorded", "Running", "free_port", "npm_tools", "start_process"]

BENCH = Path(__file__).resolve().parent
CACHE = BENCH / ".cache"
STARTUP_SECONDS = 120
NPM_PACKAGES = ("@stoplight/prism-cli@5", "wiremock@3", "@mockoon/cli@9")
_BANNER_URL = re.compile(r"serving (http://\S+?)[\s,;)]")


@dataclass(frozen=True)
class Recorded:
    """One answer of the mock, recorded to be served byte for byte by the other servers."""

    endpoint: str
    target: str
    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def as_json(self) -> dict[str, object]:
        """The raw_wsgi.py form."""
        return {
            "target": self.target,
            "status": f"{self.status} {self.reason}",
            "headers": [list(h) for h in self.headers],
            "body_b64": base64.b64encode(self.body).decode(),
        }


@dataclass
class Running:
    """A started server: its process group, base URL, the headers every request needs, its log."""

    name: str
    process: subprocess.Popen[bytes]
    url: str
    log: Path
    headers: tuple[str, ...] = ()
    started: float = field(default_factory=time.monotonic)

    def pids(self) -> list[int]:
        """The server's process tree."""
        return process_tree(self.process.pid)

    def cpu(self) -> float:
        """CPU seconds used so far by the whole tree."""
        return cpu_seconds(self.pids())

    def rss(self) -> int:
        """Resident bytes of the whole tree, summed."""
        return rss_bytes(self.pids())

    def stop(self) -> None:
        """SIGTERM the process group, SIGKILL it if it lingers."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


def free_port() -> int:
    """A loopback port free right now (the server binds it a moment later)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _pump(stream: IO[bytes], into: queue.Queue[str], log: IO[bytes]) -> None:
    """Copy a server's stdout to its log and its lines to a queue."""
    for raw in stream:
        log.write(raw)
        log.flush()
        into.put(raw.decode("utf-8", "replace"))


def start_process(
    name: str,
    command: Sequence[str],
    *,
    url: str | None = None,
    ready_path: str = "/",
    headers: Sequence[str] = (),
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> Running:
    """Start a server in its own process group; read its URL from a `serving URL` banner when url is None."""
    logs = CACHE / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    log_path = logs / f"{name}.log"
    log = log_path.open("wb")
    started = time.monotonic()
    process = subprocess.Popen(
        list(command),
        stdout=subprocess.PIPE,
        stderr=log,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        env={**os.environ, **(env or {})},
        cwd=cwd,
    )
    assert process.stdout is not None
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_pump, args=(process.stdout, lines, log), daemon=True).start()
    running = Running(name, process, url or "", log_path, tuple(headers), started)
    try:
        deadline = started + STARTUP_SECONDS
        if not running.url:
            running.url = _banner_url(lines, deadline, process)
        wait_until_answers(running, ready_path, deadline)
    except BaseException:
        running.stop()
        raise
    return running


def _banner_url(lines: queue.Queue[str], deadline: float, process: subprocess.Popen[bytes]) -> str:
    """Read lines until one holds `serving http://...`."""
    while time.monotonic() < deadline and process.poll() is None:
        try:
            match = _BANNER_URL.search(lines.get(timeout=0.5))
        except queue.Empty:
            continue
        if match:
            return match.group(1)
    raise RuntimeError("the server printed no URL")


def request_headers(running: Running) -> dict[str, str]:
    """The extra headers as a dict."""
    return dict(h.split(": ", 1) for h in running.headers)


def wait_until_answers(
    running: Running, path: str, deadline: float, accept: Callable[[int], bool] | None = None
) -> None:
    """Poll path until it answers a status below 500 (a readiness poll with a deadline)."""
    accept = accept or (lambda status: status < 500)
    while time.monotonic() < deadline:
        if running.process.poll() is not None:
            raise RuntimeError(f"{running.name} exited with {running.process.returncode}; see {running.log}")
        try:
            if accept(requests.get(running.url + path, headers=request_headers(running), timeout=5).status_code):
                return
        except requests.RequestException:
            pass
        time.sleep(0.01)
    raise RuntimeError(f"{running.name} did not answer {path} in {STARTUP_SECONDS} s; see {running.log}")


def npm_tools(say: Callable[[str], None]) -> Path | None:
    """Install Prism, WireMock (its standalone jar) and Mockoon CLI into bench/.cache/npm; None with a note."""
    npm = shutil.which("npm")
    if npm is None:
        say("note: npm is not installed: Prism, WireMock and Mockoon are skipped")
        return None
    prefix = CACHE / "npm"
    # Written after a complete install only: an interrupted one is redone, not half used.
    marker = prefix / "installed.txt"
    wanted = "\n".join(NPM_PACKAGES)
    if not marker.exists() or marker.read_text() != wanted:
        say(f"installing {', '.join(NPM_PACKAGES)} into {prefix} (npm)")
        shutil.rmtree(prefix / "node_modules", ignore_errors=True)
        command = [npm, "install", "--prefix", str(prefix), "--no-save", "--no-audit", "--no-fund", *NPM_PACKAGES]
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=900)
        if done.returncode != 0:
            say(f"note: npm install failed: Prism, WireMock and Mockoon are skipped ({done.stderr.strip()[-200:]})")
            return None
        marker.write_text(wanted)
    return prefix / "node_modules"


def wiremock_root(recorded: Sequence[Recorded], root: Path) -> Path:
    """Write one WireMock stub per recorded answer (exact URL, same status, headers and bytes)."""
    mappings = root / "mappings"
    mappings.mkdir(parents=True, exist_ok=True)
    for n, answer in enumerate(recorded):
        stub = {
            "request": {"method": "GET", "url": answer.target},
            "response": {
                "status": answer.status,
                "headers": dict(answer.headers),
                "base64Body": base64.b64encode(answer.body).decode(),
            },
        }
        (mappings / f"{n}.json").write_text(json.dumps(stub))
    return root


def mockoon_environment(recorded: Sequence[Recorded], port: int, path: Path) -> Path:
    """Write a Mockoon environment serving the recorded answers (a query rule tells the two views apart)."""
    routes: dict[str, list[dict[str, object]]] = {}
    for n, answer in enumerate(recorded):
        endpoint, _, query = answer.target.lstrip("/").partition("?")
        rules = []
        if query.startswith("fields="):
            value = unquote(query.removeprefix("fields="))
            rules = [{"target": "query", "modifier": "fields", "value": value, "invert": False, "operator": "equals"}]
        routes.setdefault(endpoint, []).append(
            {
                "uuid": f"response-{n}",
                "body": answer.body.decode("utf-8"),
                "latency": 0,
                "statusCode": answer.status,
                "label": answer.endpoint,
                "headers": [{"key": k, "value": v} for k, v in answer.headers if k.lower() != "content-length"],
                "bodyType": "INLINE",
                "filePath": "",
                "databucketID": "",
                "sendFileAsBody": False,
                "rules": rules,
                "rulesOperator": "OR",
                "disableTemplating": True,
                "fallbackTo404": False,
                "default": not rules,
                "crudKey": "id",
                "callbacks": [],
            }
        )
    environment = {
        "uuid": "sendstat-bench",
        "lastMigration": 33,
        "name": "sendstat-bench",
        "endpointPrefix": "",
        "latency": 0,
        "port": port,
        "hostname": "127.0.0.1",
        "folders": [],
        "rootChildren": [{"type": "route", "uuid": f"route-{n}"} for n in range(len(routes))],
        "routes": [
            {
                "uuid": f"route-{n}",
                "type": "http",
                "documentation": "",
                "method": "get",
                "endpoint": endpoint,
                "responses": sorted(responses, key=lambda r: bool(r["default"])),
                "responseMode": None,
            }
            for n, (endpoint, responses) in enumerate(routes.items())
        ],
        "proxyMode": False,
        "proxyHost": "",
        "proxyRemovePrefix": False,
        "tlsOptions": {
            "enabled": False,
            "type": "CERT",
            "pfxPath": "",
            "certPath": "",
            "keyPath": "",
            "caPath": "",
            "passphrase": "",
        },
        "cors": False,
        "headers": [],
        "proxyReqHeaders": [],
        "proxyResHeaders": [],
        "data": [],
        "callbacks": [],
    }
    path.write_text(json.dumps(environment))
    return path
