"""The server's life under faults, on real sockets: a killed worker, slow readers at a stop, idle connections.

Each test starts its own `sendstat mock --port 0` (tests.robustness._mock), waits with readiness polls and
bounded deadlines, and never sleeps to synchronise.
"""

from __future__ import annotations

import json
import os
import re
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
import requests

from bench._procs import process_tree
from tests.robustness._mock import MockProcess, start_mock

pytestmark = pytest.mark.slow

INDEX = "/mailer/sendstatistics"
# Bounds of the waits: generous, for a loaded 2-core machine; a pass takes a fraction of them.
DEADLINE = 30.0


def wait_for(condition: Callable[[], bool], what: str, seconds: float = DEADLINE) -> float:
    """Poll a condition until it holds (a readiness poll), failing after `seconds`; return the time it took."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > seconds:
            raise AssertionError(f"timed out after {seconds} s waiting until {what}")
        time.sleep(0.02)
    return time.monotonic() - started


@pytest.fixture
def mocks(tmp_path: Path) -> Iterator[Callable[..., MockProcess]]:
    """Start mocks with the given options; each is stopped (killed if it hangs) at the end."""
    with ExitStack() as stack:

        def start(*args: str) -> MockProcess:
            running = start_mock(list(args), tmp_path / f"stderr-{len(stack._exit_callbacks)}.log")
            stack.callback(running.stop)
            return running

        yield start


def workers(mock: MockProcess) -> set[int]:
    """The mock's worker processes (its main process's children)."""
    return set(process_tree(mock.process.pid)) - {mock.process.pid}


def answers(mock: MockProcess) -> bool:
    """Whether the API answers now."""
    try:
        return requests.get(mock.url + INDEX, timeout=5).status_code == 200
    except requests.RequestException:
        return False


class SlowReader:
    """A client reading the large index at about 10 KB/s on a small receive buffer, in a thread."""

    def __init__(self, mock: MockProcess) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.sock.settimeout(DEADLINE)
        self.sock.connect((mock.host, mock.port))
        self.sock.sendall(f"GET {INDEX}?__scenario=large HTTP/1.1\r\nHost: {mock.host}\r\n\r\n".encode())
        self.received = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        try:
            while not self.stop.is_set():
                chunk = self.sock.recv(1024)
                if not chunk:
                    return
                self.received += len(chunk)
                self.stop.wait(0.1)  # the client's pace, not a synchronisation: 1 KB per 0.1 s
        except OSError:
            return

    def close(self) -> None:
        """Stop reading and close the socket."""
        self.stop.set()
        self.thread.join(timeout=DEADLINE)
        self.sock.close()


@pytest.mark.parametrize("count", [1, 2])
def test_a_killed_worker_is_replaced_and_the_state_survives(mocks: Callable[..., MockProcess], count: int) -> None:
    """kill -9 of a worker: the server stays up, a new worker serves, the shared state is intact, stderr says so."""
    mock = mocks("--workers", str(count))
    wait_for(lambda: len(workers(mock)) == count, f"{count} workers run")
    control = f"{mock.url}/__mock"
    assert requests.put(f"{control}/scenario", json={"name": "single"}, timeout=10).status_code == 200
    assert requests.put(f"{control}/sessions/qa-1", json={"scenario": "empty"}, timeout=10).status_code == 201
    before = workers(mock)
    victim = min(before)
    offset = mock.log_offset()
    os.kill(victim, signal.SIGKILL)
    wait_for(lambda: victim not in workers(mock) and len(workers(mock)) == count, "the worker is replaced")
    wait_for(lambda: answers(mock), "the API answers again")
    assert mock.process.poll() is None
    assert requests.get(mock.url + INDEX, timeout=10).headers["X-Mock-Scenario"] == "single"
    assert requests.get(mock.url + INDEX, headers={"X-Mock-Session": "qa-1"}, timeout=10).status_code == 204
    assert requests.get(f"{control}/journal/count", timeout=10).json()["count"] >= 2
    wait_for(lambda: "Respawning worker-" in mock.log_since(offset), "the replacement is logged")
    log = mock.log_since(offset)
    assert "error granian: Unexpected exit from worker-" in log
    assert "Traceback" not in log


def test_sigterm_with_a_slow_reader_stops_within_the_grace_period(mocks: Callable[..., MockProcess]) -> None:
    """A client reading the large index at 10 KB/s (minutes of data) delays a SIGTERM stop by the grace period only."""
    mock = mocks("--graceful-timeout", "1")
    reader = SlowReader(mock)
    try:
        wait_for(lambda: reader.received > 0, "the slow reader gets its first bytes")
        stopped = time.monotonic()
        mock.process.send_signal(signal.SIGTERM)
        status = mock.process.wait(timeout=DEADLINE)
        elapsed = time.monotonic() - stopped
        assert reader.received < 5_000_000  # it was still reading: the large index is about 29 MB
    finally:
        reader.close()
    assert status == 0
    assert elapsed < 1 + 10, elapsed
    log = mock.log_path.read_text()
    assert "SIGTERM: stopping; answers in flight have 1s to finish" in log
    assert "Killing worker-1 after it refused to gracefully stop" in log
    assert "Traceback" not in log
    with socket.socket() as late, pytest.raises(ConnectionRefusedError):
        late.connect((mock.host, mock.port))


@pytest.mark.parametrize("signums", [(signal.SIGINT,), (signal.SIGTERM, signal.SIGINT)], ids=["SIGINT", "twice"])
def test_a_second_signal_stops_at_once(mocks: Callable[..., MockProcess], signums: tuple[int, ...]) -> None:
    """With a 60 s grace period, a second signal ends the wait for the slow reader at once (one signal would not)."""
    mock = mocks("--graceful-timeout", "60")
    reader = SlowReader(mock)
    try:
        wait_for(lambda: reader.received > 0, "the slow reader gets its first bytes")
        offset = mock.log_offset()
        mock.process.send_signal(signums[0])
        wait_for(lambda: "stopping; answers in flight have 60s" in mock.log_since(offset), "the stop is logged")
        if len(signums) == 1:
            with pytest.raises(subprocess.TimeoutExpired):  # one signal waits for the reader
                mock.process.wait(timeout=2)
        stopped = time.monotonic()
        mock.process.send_signal(signums[-1])
        status = mock.process.wait(timeout=DEADLINE)
        assert time.monotonic() - stopped < 15
    finally:
        reader.close()
    assert status == 0
    assert "again: stopping at once" in mock.log_path.read_text()


def test_an_answer_in_flight_finishes_during_the_grace_period(mocks: Callable[..., MockProcess]) -> None:
    """A request held by the slow scenario's latency (1.5-2 s) when SIGTERM comes is still answered in full."""
    mock = mocks("--graceful-timeout", "20")
    offset = mock.log_offset()
    with socket.create_connection((mock.host, mock.port), timeout=DEADLINE) as client:
        request = f"GET {INDEX}?__scenario=slow HTTP/1.1\r\nHost: {mock.host}\r\nConnection: close\r\n\r\n"
        client.sendall(request.encode())
        wait_for(lambda: _request_read(mock, client.getsockname()[1]), "the worker has read the request")
        mock.process.send_signal(signal.SIGTERM)
        answer = b""
        while chunk := client.recv(65536):
            answer += chunk
    assert mock.process.wait(timeout=DEADLINE) == 0
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200")
    assert json.loads(body)["statistics"]
    assert "Killing worker" not in mock.log_since(offset)


def _request_read(mock: MockProcess, client_port: int) -> bool:
    """Whether the server's end of the connection from client_port exists with nothing left unread."""
    local, remote = f":{mock.port:04X}", f":{client_port:04X}"
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[1].endswith(local) and fields[2].endswith(remote):
                return fields[4].split(":")[1] == "00000000"  # rx_queue: the request's bytes were read
    return False


def test_a_silent_connection_is_closed_after_the_idle_timeout(mocks: Callable[..., MockProcess]) -> None:
    """A connection that never sends a byte, and one idle after a keep-alive answer, are closed after 1 s."""
    mock = mocks("--idle-timeout", "1")
    with socket.create_connection((mock.host, mock.port), timeout=DEADLINE) as silent:
        started = time.monotonic()
        assert silent.recv(1) == b""
        assert 0.5 < time.monotonic() - started < 10
    with socket.create_connection((mock.host, mock.port), timeout=DEADLINE) as kept:
        kept.sendall(f"GET /health HTTP/1.1\r\nHost: {mock.host}\r\n\r\n".encode())
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += kept.recv(4096)
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200")
        length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))  # type: ignore[union-attr]
        while len(body) < length:
            body += kept.recv(4096)
        assert body == b'{"state":{"backend":"local","connected":true},"status":"ok"}\n'
        started = time.monotonic()
        assert kept.recv(1) == b""
        assert time.monotonic() - started < 10


def test_the_idle_timeout_never_cuts_an_answer_being_read(mocks: Callable[..., MockProcess]) -> None:
    """A slow reader of the large index keeps its connection well past a 1 s idle timeout."""
    mock = mocks("--idle-timeout", "1")
    reader = SlowReader(mock)
    try:
        started = time.monotonic()
        wait_for(lambda: reader.received > 30_000 or not reader.thread.is_alive(), "30 KB are read")
        assert reader.thread.is_alive(), f"closed after {reader.received} bytes"
        assert time.monotonic() - started > 2
    finally:
        reader.close()


def test_300_idle_connections_do_not_starve_other_clients(mocks: Callable[..., MockProcess]) -> None:
    """With 256 file descriptors per worker, 300 silent connections are closed in turn and a real client is served."""
    mock = mocks("--idle-timeout", "1")
    for pid in workers(mock):
        resource.prlimit(pid, resource.RLIMIT_NOFILE, (256, 256))
    idle = []
    try:
        for _ in range(300):
            idle.append(socket.create_connection((mock.host, mock.port), timeout=DEADLINE))
        response = requests.get(mock.url + INDEX, timeout=DEADLINE)
        assert response.status_code == 200
    finally:
        for sock in idle:
            sock.close()
    assert mock.process.poll() is None


def test_broken_files_are_listed_at_start_and_json_logs_are_json(
    mocks: Callable[..., MockProcess], tmp_path: Path
) -> None:
    """At start each broken file of a --scenario-dir is one stderr record; with --log-format json every line is JSON."""
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "huge.yaml").write_text(f"name: huge\ndescription: d\nseed: {'9' * 4301}\n")
    (folder / "fine.yaml").write_text("name: fine\ndescription: d\n")
    mock = mocks("--scenario-dir", str(folder), "--log-format", "json")
    assert requests.get(mock.url + INDEX, headers={"X-Mock-Scenario": "fine"}, timeout=10).status_code == 204
    listing = requests.get(f"{mock.url}/__mock/scenarios", timeout=10).json()
    assert [(error["line"], error["field"]) for error in listing["errors"]] == [(3, "seed")]
    wait_for(lambda: '"target": "/mailer/sendstatistics"' in mock.log_path.read_text(), "the request is logged")
    records = [json.loads(line) for line in mock.log_path.read_text().splitlines()]
    (broken,) = [record for record in records if "scenario file not loaded" in record.get("message", "")]
    assert (broken["level"], broken["source"]) == ("warning", "sendstat.serve")
    assert broken["message"].endswith("huge.yaml:3: seed: cannot read this value: a whole number of more than "
                                      "4,300 digits (Python's limit)")  # fmt: skip
    (request,) = [record for record in records if record.get("target") == INDEX]
    assert (request["status"], request["scenario"], request["client"]) == (204, "fine", "127.0.0.1")
    assert json.loads(mock.stdout[0])["event"] == "serving"


def test_a_broken_start_scenario_is_one_line_and_exit_2(tmp_path: Path) -> None:
    """`sendstat mock --scenario FILE` of a file with a 4,301-digit number exits 2 with its file:line: field line."""
    path = tmp_path / "huge.yaml"
    path.write_text(f"name: huge\ndescription: d\nseed: {'9' * 4301}\n")
    result = subprocess.run(
        [sys.executable, "-m", "sendstat", "mock", "--port", "0", "--scenario", str(path)],
        capture_output=True,
        text=True,
        timeout=DEADLINE,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.endswith(f"{path}:3: seed: cannot read this value: a whole number of more than 4,300 digits "
                                  "(Python's limit)\n")  # fmt: skip
    assert result.stderr.count("\n") == 1
