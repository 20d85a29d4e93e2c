"""A real 2-worker `sendstat mock`: switching reaches every worker, sessions stay apart, faults on the wire.

The socket is the point here: granian runs two processes, and a dropped or truncated answer is only
what a client sees on a connection.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from tests.conftest import TEST_SCENARIOS
from tests.mockserver.conftest import INDEX

pytestmark = pytest.mark.slow

STARTUP_SECONDS = 60
COMMAND = (sys.executable, "-m", "sendstat", "mock", "--port", "0", "--workers", "2", "--scenario", "single")
BANNER = re.compile(r"^sendstat mock: serving (http://127\.0\.0\.1:\d+) \(scenario single, seed \d+, 2 workers\);")


@dataclass(frozen=True)
class Live:
    """The running server's URL."""

    url: str

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        """GET on a fresh connection (so that either worker may answer)."""
        return requests.get(f"{self.url}{path}", timeout=kwargs.pop("timeout", 10), **kwargs)

    def control(self, method: str, path: str, body: Any = None) -> Any:
        """Call the control API and return its JSON (None for a 204)."""
        response = requests.request(method, f"{self.url}/__mock{path}", json=body, timeout=10)
        assert response.status_code in (200, 201, 204), response.text
        return response.json() if response.content else None


@pytest.fixture(scope="module")
def live() -> Iterator[Live]:
    """`sendstat mock --workers 2 --port 0 --scenario single` with the test scenarios, until the module ends."""
    process = subprocess.Popen(
        [*COMMAND, "--scenario-dir", str(TEST_SCENARIOS)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    try:
        banner = process.stdout.readline()
        match = BANNER.match(banner)
        assert match, banner
        server = Live(match.group(1))
        _wait_until_both_workers_answer(server)
        yield server
    finally:
        # The main process stops its workers; a signal while a worker still starts can hang granian.
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STARTUP_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        process.stdout.close()


def _wait_until_both_workers_answer(live: Live) -> None:
    """Poll until each worker process has answered a request (the journal names them), with a deadline."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            spread(live, count=8)
            if len(workers_seen(live)) == 2:
                return
        except requests.ConnectionError:
            pass
        assert time.monotonic() < deadline, "the second worker never answered"
        time.sleep(0.05)


@pytest.fixture(autouse=True)
def fresh(live: Live) -> None:
    """Each test starts from the start state."""
    live.control("POST", "/reset")


def spread(live: Live, count: int = 40, **kwargs: Any) -> list[requests.Response]:
    """Send count index requests, 8 at a time on fresh connections, so both workers answer some."""
    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(lambda _: live.get(INDEX, **kwargs), range(count)))


def workers_seen(live: Live) -> set[int]:
    """Return the process ids that answered the journalled requests."""
    return {entry["worker"] for entry in live.control("GET", "/journal")["entries"]}


def test_a_switch_reaches_every_worker(live: Live) -> None:
    """After PUT /__mock/scenario through one connection, every answer of both workers is the new scenario's."""
    assert {response.status_code for response in spread(live)} == {200}
    assert len(workers_seen(live)) == 2
    live.control("PUT", "/scenario", {"name": "empty"})
    answers = spread(live)
    assert {(r.status_code, r.headers["X-Mock-Scenario"]) for r in answers} == {(204, "empty")}
    live.control("DELETE", "/journal")
    spread(live)
    assert len(workers_seen(live)) == 2


def test_sessions_stay_apart_across_workers(live: Live) -> None:
    """A session's scenario answers its requests on both workers; requests without it see the server's."""
    live.control("PUT", "/sessions/qa", {"scenario": "empty"})
    mine = spread(live, headers={"X-Mock-Session": "qa"})
    others = spread(live)
    assert {r.status_code for r in mine} == {204}
    assert {r.headers["X-Mock-Scenario"] for r in others} == {"single"}
    assert live.control("GET", "/journal/count?session=qa") == {"count": 40}


def test_the_journal_has_every_request_of_both_workers_at_once(live: Live) -> None:
    """Right after 200 requests (most from the answer cache) spread over both workers, a read counts all 200."""
    for _ in range(5):
        spread(live)
    assert live.control("GET", "/journal/count") == {"count": 200}
    entries = live.control("GET", "/journal?limit=1000")["entries"]
    assert {(e["path"], e["status"], e["scenario"]) for e in entries} == {(INDEX, 200, "single")}
    assert len({e["worker"] for e in entries}) == 2


def test_a_switch_is_seen_by_the_next_request_of_any_worker(live: Live) -> None:
    """Kept answers of the old scenario are never served after the switch returned, by either worker."""
    spread(live)
    for name, status in (("empty", 204), ("single", 200), ("empty", 204)):
        live.control("PUT", "/scenario", {"name": name})
        assert {r.status_code for r in spread(live, count=16)} == {status}


def test_reset_returns_to_the_start_scenario(live: Live) -> None:
    """The start scenario is the one given on the command line."""
    live.control("PUT", "/scenario", {"name": "empty"})
    assert live.control("POST", "/reset")["active"]["name"] == "single"
    assert live.get(INDEX).headers["X-Mock-Scenario"] == "single"


def fault(kind: str) -> dict[str, str]:
    """The headers choosing the test scenario whose every request meets a fault."""
    return {"X-Mock-Scenario": f"fault-{kind}"}


@pytest.mark.parametrize(("kind", "message"), [("500", "Internal Server Error"), ("503", "Service Unavailable")])
def test_an_error_fault_is_a_json_error(live: Live, kind: str, message: str) -> None:
    """The client reads that status and a JSON body."""
    response = live.get(f"{INDEX}/1", headers=fault(kind))
    assert (response.status_code, response.json()) == (int(kind), {"message": message})


@pytest.mark.parametrize("attempt", range(5))
def test_a_drop_closes_the_connection_before_any_body_byte(live: Live, attempt: int) -> None:
    """The client reads the status line and headers, then the connection closes with no body byte."""
    connection = http.client.HTTPConnection(live.url.removeprefix("http://"), timeout=10)
    connection.request("GET", f"{INDEX}/1", headers=fault("drop"))
    response = connection.getresponse()
    assert (response.status, response.headers["X-Mock-Fault"]) == (200, "drop")
    with pytest.raises(http.client.IncompleteRead) as info:
        response.read()
    assert info.value.partial == b""
    connection.close()
    with pytest.raises(requests.exceptions.ChunkedEncodingError, match="IncompleteRead"):
        live.get(f"{INDEX}/1", headers=fault("drop"))


@pytest.mark.parametrize("attempt", range(5))
def test_a_truncated_body_stops_short_of_its_length(live: Live, attempt: int) -> None:
    """The client reads the status and the full Content-Length, then the connection closes halfway."""
    connection = http.client.HTTPConnection(live.url.removeprefix("http://"), timeout=10)
    connection.request("GET", INDEX, headers=fault("truncate"))
    response = connection.getresponse()
    assert response.status == 200
    length = int(response.headers["Content-Length"])
    with pytest.raises(http.client.IncompleteRead) as info:
        response.read()
    assert len(info.value.partial) == length // 2
    connection.close()
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        live.get(INDEX, headers=fault("truncate"))


def test_a_timeout_outlasts_the_clients_patience(live: Live) -> None:
    """A client waiting 0.5 s gets a read timeout; the server holds 2 s, then closes."""
    started = time.monotonic()
    with pytest.raises(requests.ReadTimeout):
        live.get(INDEX, headers=fault("timeout"), timeout=0.5)
    assert time.monotonic() - started < 1.9


def test_a_malformed_body_is_200_and_not_json(live: Live) -> None:
    """The client gets 200 with a JSON content type, and its JSON parser fails."""
    response = live.get(INDEX, headers=fault("malformed"))
    assert (response.status_code, response.headers["Content-Type"]) == (200, "application/json; charset=UTF-8")
    with pytest.raises(requests.JSONDecodeError):
        response.json()


def test_the_journal_records_every_fault(live: Live) -> None:
    """Each fault is journalled with its kind; dropped answers have no status."""
    for kind in ("500", "drop", "malformed"):
        try:
            live.get(f"{INDEX}/1", headers=fault(kind))
        except requests.exceptions.ChunkedEncodingError:
            assert kind == "drop"
    entries = live.control("GET", "/journal")["entries"]
    assert [(e["fault"], e["status"]) for e in entries] == [("500", 500), ("drop", None), ("malformed", 200)]
