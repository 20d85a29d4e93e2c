"""Tests of mockserver/proxy/cli.py: `sendstat proxy` as a user runs it."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from collections.abc import Iterator

import pytest
import requests

from mockserver.http.app import create_app
from sendstat.cli import main
from tests.mockserver.threaded import served

SERVING = re.compile(r"serving (http://\S+) -> ")


@pytest.fixture(scope="module")
def target() -> Iterator[str]:
    """The mock on a free port, the stand-in of the real service."""
    with served(create_app({"SENDSTAT_SCENARIO": "single", "SENDSTAT_RELOAD_INTERVAL": None})) as url:
        yield url


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--target", "ftp://x"], "expected an http:// or https:// URL"),
        (["--target", "http://127.0.0.1:1", "--header", "no colon"], "--header: expected 'Name: value'"),
        (["--target", "http://127.0.0.1:1", "--timeout", "0"], "--timeout: expected a number of seconds"),
        (["--target", "http://127.0.0.1:1", "--max-body", "lots"], "--max-body 'lots': expected a size"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A malformed option is one line on stderr and exit status 2, never a traceback."""
    assert main(["proxy", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("sendstat proxy: error: ")
    assert message in err
    assert err.count("\n") == 1


@pytest.mark.slow
def test_sendstat_proxy_serves_until_sigterm(target: str) -> None:
    """`sendstat proxy --port 0` announces its URL, forwards, and stops on SIGTERM with exit status 0."""
    process = subprocess.Popen(
        [sys.executable, "-m", "sendstat", "proxy", "--target", target, "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        found = SERVING.search(process.stdout.readline())
        assert found is not None
        url = found[1]
        assert requests.get(f"{url}/mailer/sendstatistics", timeout=10).status_code == 200
        unknown = requests.get(f"{url}/mailer/sendstatistics/2", timeout=10)  # single lists only id 1: 404 is right
        assert unknown.status_code == 404
        assert "X-Contract-Violations" not in unknown.headers
        wrong = requests.get(f"{url}/mailer/sendstatistics/1?fields=7", timeout=10)
        assert wrong.status_code == 400
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert "Traceback" not in err
