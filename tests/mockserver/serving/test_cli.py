"""`sendstat mock`: a real server on a free port, its printed URL, its log, a clean stop; bad options."""

from __future__ import annotations

import argparse
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest
import requests

from bench._redis import RedisServer
from mockserver.errors import ConfigError
from mockserver.serving.cli import app_config, register, serve_options
from mockserver.serving.logs import LogSettings
from sendstat.cli import main

BANNER = re.compile(
    r"^sendstat mock: serving (http://127\.0\.0\.1:(\d+)) \(scenario default, seed 1, 1 worker\); "
    r"docs at /docs, UI at /__mock/ui, contract at /openapi\.yaml, control at /__mock/; Ctrl-C to stop$"
)
STARTUP_SECONDS = 60


@dataclass
class Running:
    """A `sendstat mock` subprocess, its URL, and its output lines as they come."""

    process: subprocess.Popen[str]
    url: str
    stderr: queue.Queue[str]
    stderr_pump: threading.Thread

    def stop(self, signum: int) -> tuple[int, str]:
        """Send a signal, wait for the exit, and return the status and everything written to stderr."""
        self.process.send_signal(signum)
        status = self.process.wait(timeout=STARTUP_SECONDS)
        self.stderr_pump.join(timeout=STARTUP_SECONDS)
        lines = []
        while not self.stderr.empty():
            lines.append(self.stderr.get())
        return status, "".join(lines)


def _pump(stream: IO[str], into: queue.Queue[str]) -> None:
    """Copy a stream's lines into a queue until it closes."""
    for line in stream:
        into.put(line)


def _wait_until_responds(url: str) -> None:
    """Poll the health probe until the server answers (a readiness poll with a deadline)."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            if requests.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.05)


@pytest.fixture
def started() -> Iterator[Running]:
    """Start `sendstat mock --port 0` in its own process group and read the URL it prints."""
    process = subprocess.Popen(
        [sys.executable, "-m", "sendstat", "mock", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    assert process.stderr is not None
    stdout: queue.Queue[str] = queue.Queue()
    stderr: queue.Queue[str] = queue.Queue()
    pumps = [
        threading.Thread(target=_pump, args=(process.stdout, stdout), daemon=True),
        threading.Thread(target=_pump, args=(process.stderr, stderr), daemon=True),
    ]
    for pump in pumps:
        pump.start()
    try:
        banner = stdout.get(timeout=STARTUP_SECONDS).rstrip("\n")
        match = BANNER.match(banner)
        assert match, banner
        assert match.group(2) != "0"
        yield Running(process, match.group(1), stderr, pumps[1])
    finally:
        if process.poll() is None:
            # The test failed before stopping it: end the server and its workers (its own session).
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        for pump in pumps:
            pump.join(timeout=STARTUP_SECONDS)
        process.stdout.close()
        process.stderr.close()


@pytest.fixture
def running(started: Running) -> Running:
    """A started mock that answers requests."""
    _wait_until_responds(started.url)
    return started


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_the_mock_serves_on_a_free_port_and_stops_cleanly(running: Running, signum: int) -> None:
    """The printed URL answers the index and a view, each request is logged, and a signal stops it with 0."""
    index = requests.get(f"{running.url}/mailer/sendstatistics", timeout=10)
    assert index.status_code == 200
    assert index.headers["Content-Type"] == "application/json; charset=UTF-8"
    first = index.json()["statistics"][0]["id"]
    view = requests.get(f"{running.url}/mailer/sendstatistics/{first}", params={"fields": "id,common"}, timeout=10)
    assert (view.status_code, view.json()) == (200, {"id": first})
    assert "comma-separated" in view.headers["X-Mock-Warning"]
    status, stderr = running.stop(signum)
    assert status == 0
    assert "Traceback" not in stderr
    line = r"^\S+Z 127\.0\.0\.1 GET /mailer/sendstatistics 200 \d+ bytes [0-9.]+ ms scenario=default session=-$"
    assert re.search(line, stderr, re.MULTILINE), stderr
    assert f"GET /mailer/sendstatistics/{first}?fields=id%2Ccommon 200 " in stderr
    assert "| warning: the real service does not read comma-separated fields" in stderr


def _mock_parser() -> argparse.ArgumentParser:
    """A parser holding only the mock's subcommand, as sendstat's registers it."""
    parser = argparse.ArgumentParser(prog="sendstat")
    register(parser.add_subparsers(dest="command", required=True))
    return parser


def test_the_options_have_their_defaults() -> None:
    """Without options or environment the mock binds 127.0.0.1:8000, one worker, the default scenario, no token."""
    args = _mock_parser().parse_args(["mock"])
    assert (args.host, args.port, args.seed, args.workers) == ("127.0.0.1", 8000, None, 1)
    assert app_config(args, {}) == {"SENDSTAT_SCENARIO": "default", "SENDSTAT_SCENARIO_DIRS": []}
    options = serve_options(args, {})
    assert (options.graceful_timeout, options.idle_timeout, options.log) == (5, 15.0, LogSettings("text", False))


def test_the_control_token_comes_from_the_environment() -> None:
    """SENDSTAT_CONTROL_TOKEN is --control-token's default, and the option wins over it."""
    environ = {"SENDSTAT_CONTROL_TOKEN": "from-env"}
    assert app_config(_mock_parser().parse_args(["mock"]), environ)["SENDSTAT_CONTROL_TOKEN"] == "from-env"
    args = _mock_parser().parse_args(["mock", "--control-token", "given"])
    assert app_config(args, environ)["SENDSTAT_CONTROL_TOKEN"] == "given"


def test_the_control_token_is_read_from_a_file(tmp_path: Path) -> None:
    """--control-token-file (or SENDSTAT_CONTROL_TOKEN_FILE) reads the token from the file's first line."""
    (tmp_path / "token").write_text("s3cret\n")
    args = _mock_parser().parse_args(["mock", "--control-token-file", str(tmp_path / "token")])
    assert app_config(args, {})["SENDSTAT_CONTROL_TOKEN"] == "s3cret"
    environ = {"SENDSTAT_CONTROL_TOKEN_FILE": str(tmp_path / "token")}
    assert app_config(_mock_parser().parse_args(["mock"]), environ)["SENDSTAT_CONTROL_TOKEN"] == "s3cret"


@pytest.mark.parametrize("text", [None, "", "\n", "x" * 5000])
def test_a_bad_token_file_exits_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str) -> None:
    """A missing, empty or oversized token file stops the mock with one line naming the option."""
    path = tmp_path / "token"
    if text is not None:
        path.write_text(text)
    assert main(["mock", "--port", "0", "--control-token-file", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("sendstat mock: error: --control-token-file: ")
    assert err.count("\n") == 1


def test_the_environment_sets_the_options_and_the_app_config() -> None:
    """SENDSTAT_* variables give the options' defaults and the app settings that have no option."""
    environ = {
        "SENDSTAT_SEED": "9",
        "SENDSTAT_CORS_ORIGINS": "http://localhost:5173, http://127.0.0.1:3000",
        "SENDSTAT_GRACEFUL_TIMEOUT": "3",
        "SENDSTAT_IDLE_TIMEOUT": "2.5",
        "SENDSTAT_LOG_FORMAT": "json",
        "SENDSTAT_QUIET": "yes",
        "SENDSTAT_ANSWER_CACHE_BYTES": "0",
        "SENDSTAT_RELOAD_INTERVAL": "off",
        "SENDSTAT_WARNINGS": "false",
    }
    options = serve_options(_mock_parser().parse_args(["mock"]), environ)
    assert (options.graceful_timeout, options.idle_timeout, options.log) == (3, 2.5, LogSettings("json", True))
    assert options.config["SENDSTAT_SEED"] == 9
    assert options.config["SENDSTAT_CORS_ORIGINS"] == ["http://localhost:5173", "http://127.0.0.1:3000"]
    assert options.config["SENDSTAT_ANSWER_CACHE_BYTES"] == 0
    assert options.config["SENDSTAT_RELOAD_INTERVAL"] is None
    assert options.config["SENDSTAT_WARNINGS"] is False
    given = _mock_parser().parse_args(["mock", "--log-format", "text", "--graceful-timeout", "7", "--seed", "1"])
    options = serve_options(given, environ)
    assert (options.graceful_timeout, options.log.format, options.config["SENDSTAT_SEED"]) == (7, "text", 1)


@pytest.mark.parametrize(
    ("environ", "fragment"),
    [
        ({"SENDSTAT_SEED": "x"}, "SENDSTAT_SEED: expected a whole number, got 'x'"),
        ({"SENDSTAT_QUIET": "maybe"}, "SENDSTAT_QUIET: expected 1 or 0"),
        ({"SENDSTAT_LOG_FORMAT": "xml"}, "SENDSTAT_LOG_FORMAT: expected one of text, json, got 'xml'"),
        ({"SENDSTAT_ANSWER_CACHE_BYTES": "lots"}, "SENDSTAT_ANSWER_CACHE_BYTES: expected a whole number"),
    ],
)
def test_a_bad_environment_variable_is_one_clear_line(environ: dict[str, str], fragment: str) -> None:
    """A variable that does not read as its type is a ConfigError naming it (the CLI prints it, exit 2)."""
    with pytest.raises(ConfigError, match=re.escape(fragment)):
        serve_options(_mock_parser().parse_args(["mock"]), environ)


def test_scenario_options_become_the_app_config(tmp_path: Path) -> None:
    """--scenario-dir adds directories, --seed overrides, and a --scenario file brings its own directory."""
    (tmp_path / "mine.yaml").write_text("name: mine\n")
    args = _mock_parser().parse_args(
        ["mock", "--scenario", str(tmp_path / "mine.yaml"), "--scenario-dir", str(tmp_path), "--seed", "7"]
    )
    config = app_config(args, {})
    assert config["SENDSTAT_SCENARIO"] == str((tmp_path / "mine.yaml").resolve())
    assert config["SENDSTAT_SCENARIO_DIRS"] == [str(tmp_path.resolve())] * 2
    assert config["SENDSTAT_SEED"] == 7


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (
            ["--scenario", "flakey"],
            r"^sendstat mock: error: no scenario named 'flakey' \(did you mean 'flaky'\?\); known: ",
        ),
        (["--scenario", "missing.yaml"], r"^sendstat mock: error: --scenario: no scenario file at missing\.yaml$"),
    ],
)
def test_an_unknown_scenario_exits_2_listing_the_names(
    argv: list[str], line: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A scenario that is not there stops the mock before it binds, with one line (naming every scenario)."""
    assert main(["mock", "--port", "0", *argv]) == 2
    captured = capsys.readouterr()
    assert re.match(line, captured.err)
    assert captured.err.count("\n") == 1
    assert captured.out == ""
    if "known" in line:
        assert all(name in captured.err for name in ("default", "empty", "flaky", "all-error-codes"))


@pytest.mark.parametrize(("host", "expected"), [("localhost", "127.0.0.1"), ("0.0.0.0", "0.0.0.0"), ("::1", "::1")])  # noqa: S104
def test_hosts_are_ip_addresses(host: str, expected: str) -> None:
    """--host takes an IP address; localhost means 127.0.0.1."""
    assert _mock_parser().parse_args(["mock", "--host", host]).host == expected


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--port", "70000"], "sendstat mock: error: argument --port: not a TCP port (0-65535): '70000'"),
        (["--port", "http"], "sendstat mock: error: argument --port: not a TCP port (0-65535): 'http'"),
        (["--workers", "0"], "sendstat mock: error: argument --workers: need at least 1 worker: '0'"),
        (["--host", "example.com"], "sendstat mock: error: argument --host: not an IP address: 'example.com'"),
        (["--seed", "x"], "sendstat mock: error: argument --seed: invalid int value: 'x'"),
        (
            ["--scenario-dir", "/nonexistent"],
            "sendstat mock: error: argument --scenario-dir: not a directory: '/nonexistent'",
        ),
        (["--bogus"], "sendstat: error: unrecognized arguments: --bogus"),
        (
            ["--graceful-timeout", "0"],
            "sendstat mock: error: argument --graceful-timeout: need whole seconds, at least 1",
        ),
        (["--idle-timeout", "-1"], "sendstat mock: error: argument --idle-timeout: need seconds, more than 0"),
        (["--log-format", "xml"], "sendstat mock: error: argument --log-format: invalid choice: 'xml'"),
        (
            ["--control-token", "a", "--control-token-file", "f"],
            "sendstat mock: error: argument --control-token-file: not allowed with argument --control-token",
        ),
    ],
)
def test_bad_options_exit_2_with_one_clear_line(
    argv: list[str], fragment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bad option exits with status 2 and an error line that names it."""
    with pytest.raises(SystemExit) as exit_info:
        main(["mock", *argv])
    assert exit_info.value.code == 2
    errors = [line for line in capsys.readouterr().err.splitlines() if "error:" in line]
    assert len(errors) == 1
    assert errors[0].startswith(fragment)


def test_a_port_in_use_exits_2_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    """A port another server listens on is refused with one line, before any worker starts."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        assert main(["mock", "--port", str(port)]) == 2
    captured = capsys.readouterr()
    assert captured.err.strip() == f"sendstat mock: error: cannot listen on 127.0.0.1:{port}: Address already in use"
    assert captured.out == ""


def test_the_state_comes_from_the_option_or_the_environment() -> None:
    """--state wins over SENDSTAT_STATE; the session TTL and the poll come from the environment."""
    environ = {"SENDSTAT_STATE": "redis://db:6379/1", "SENDSTAT_SESSION_TTL": "3600", "SENDSTAT_STATE_POLL": "0.05"}
    config = serve_options(_mock_parser().parse_args(["mock"]), environ).config
    assert (config["SENDSTAT_STATE"], config["SENDSTAT_SESSION_TTL"], config["SENDSTAT_STATE_POLL"]) == (
        "redis://db:6379/1",
        3600.0,
        0.05,
    )
    given = _mock_parser().parse_args(["mock", "--state", "local"])
    assert serve_options(given, environ).config["SENDSTAT_STATE"] == "local"
    assert "SENDSTAT_STATE" not in serve_options(_mock_parser().parse_args(["mock"]), {}).config


def state_arguments(redis_server: RedisServer) -> list[tuple[str, str]]:
    """--state values that cannot serve, with the start of the one line each gets."""
    port = redis_server.port
    return [
        ("http://db:6379/0", "sendstat mock: error: --state: 'http://db:6379/0' is neither `local` nor a redis://"),
        ("redis://127.0.0.1:1/0", "sendstat mock: error: --state redis://127.0.0.1:1/0: cannot use Redis: Error 111"),
        (
            f"redis://mock:wrong@127.0.0.1:{port}/0",
            f"sendstat mock: error: --state redis://***@127.0.0.1:{port}/0: Redis refused the credentials",
        ),
        ("redis://127.0.0.1:notaport/0", "sendstat mock: error: --state: redis://127.0.0.1:notaport/0: "),
    ]


def test_a_state_that_cannot_serve_exits_2_with_one_line(
    redis_server: RedisServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bad URL, a Redis that refuses connections or the credentials: one line, exit 2, the password never shown."""
    for value, fragment in state_arguments(redis_server):
        assert main(["mock", "--port", "0", "--state", value]) == 2, value
        captured = capsys.readouterr()
        assert captured.err.startswith(fragment), captured.err
        assert captured.err.count("\n") == 1
        assert "wrong" not in captured.err
        assert captured.out == ""
