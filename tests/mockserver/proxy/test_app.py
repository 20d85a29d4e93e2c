"""Tests of mockserver/proxy/app.py against live stand-ins of the real service: the mock, faulty servers, nothing."""

from __future__ import annotations

import json
import logging
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

import pytest
import requests

from mockserver.http.app import create_app
from mockserver.proxy.app import VIOLATIONS_HEADER, create_proxy_app
from mockserver.proxy.cli import PassingHandler
from tests.contract.faults.reference import create_app as reference_app
from tests.mockserver.threaded import served

pytestmark = pytest.mark.slow
ALL = quote(json.dumps(["id", "common", "open_time", "click_statistic", "domain_statistic", "errors"]))
KEY = {"X-Estis-Auth": "test-key-do-not-print"}
# Headers a hop, or the proxy's own CORS, may change; everything else must arrive as the target sent it.
CHANGED = {"connection", "content-length", "vary", "access-control-allow-origin", "access-control-allow-credentials"}
CHANGED |= {"access-control-expose-headers", "transfer-encoding"}


@contextmanager
def proxy_to(target: str, **config: Any) -> Iterator[str]:
    """A proxy to the target, served on a free port; yields its base URL."""
    app = create_proxy_app({"SENDSTAT_PROXY_TARGET": target, **config})
    with served(app, PassingHandler) as url:
        yield url


@pytest.fixture(scope="module")
def mock_target() -> Iterator[str]:
    """The mock itself on a free port: the stand-in of a correct service (scenario per request)."""
    with served(create_app({"SENDSTAT_SCENARIO": "default", "SENDSTAT_RELOAD_INTERVAL": None})) as url:
        yield url


def paths(ids: list[int]) -> list[str]:
    """The index, every listed view with all sections, and a few answers of other statuses."""
    views = [f"/mailer/sendstatistics/{i}?fields={ALL}" for i in ids]
    return ["/mailer/sendstatistics", *views, "/mailer/sendstatistics/999999", "/mailer/sendstatistics/1?fields=5"]


@pytest.mark.parametrize("scenario", ["php-empty-maps", "all-error-codes", "unicode-and-extremes", "unescaped-json"])
def test_answers_pass_through_unchanged(mock_target: str, scenario: str) -> None:
    """Status, body bytes and headers (less hop-by-hop ones and CORS) are the target's, with no finding."""
    picked = {"X-Mock-Scenario": scenario}
    ids = [
        item["id"]
        for item in requests.get(f"{mock_target}/mailer/sendstatistics", headers=picked, timeout=10).json()[
            "statistics"
        ]
    ]
    with proxy_to(mock_target) as proxy:
        for path in paths(ids):
            direct = requests.get(mock_target + path, headers=picked, timeout=10)
            through = requests.get(proxy + path, headers=picked, timeout=10)
            assert (through.status_code, through.content) == (direct.status_code, direct.content), path
            kept = [(k, v) for k, v in through.raw.headers.items() if k.lower() not in CHANGED]
            wanted = [(k, v) for k, v in direct.raw.headers.items() if k.lower() not in CHANGED | {"date"}]
            assert [pair for pair in kept if pair[0].lower() != "date"] == wanted, path
            assert VIOLATIONS_HEADER not in through.headers, through.headers.get(VIOLATIONS_HEADER)


def test_a_php_empty_account_passes_through_as_204(mock_target: str) -> None:
    """An empty account's 204 has no body and no Content-Type added on the way."""
    with proxy_to(mock_target) as proxy:
        answer = requests.get(f"{proxy}/mailer/sendstatistics", headers={"X-Mock-Scenario": "empty"}, timeout=10)
    assert answer.status_code == 204
    assert answer.content == b""
    assert "Content-Type" not in answer.headers
    assert VIOLATIONS_HEADER not in answer.headers


@pytest.fixture(scope="module")
def faulty() -> Iterator[str]:
    """The fault matrix's reference server with a broken seed rule (delivered + bounce over count)."""
    with served(reference_app(("delivered-bounce-over-count",))) as url:
        yield url


def test_findings_go_to_the_header_the_journal_and_stderr(faulty: str, caplog: pytest.LogCaptureFixture) -> None:
    """A broken seed rule is an error line in X-Contract-Violations, the journal's entry and the log."""
    with proxy_to(faulty) as proxy, caplog.at_level(logging.WARNING, logger="sendstat.proxy"):
        requests.get(f"{proxy}/mailer/sendstatistics", headers=KEY, timeout=10)
        answer = requests.get(f"{proxy}/mailer/sendstatistics/42?fields={ALL}", headers=KEY, timeout=10)
        journal = requests.get(f"{proxy}/__mock/journal?path=/mailer/sendstatistics/42", timeout=10).json()
        entry = requests.get(f"{proxy}/__mock/journal/{journal['entries'][-1]['seq']}", timeout=10).json()
    assert answer.status_code == 200
    lines = answer.raw.headers.getlist(VIOLATIONS_HEADER)
    assert any(line.startswith("error delivered-bounce-within-count: ") for line in lines), lines
    assert journal["entries"][-1]["warnings"] == lines
    assert [VIOLATIONS_HEADER, lines[0]] in entry["response"]["headers"]
    logged = [r.getMessage() for r in caplog.records]
    assert any(
        "GET /mailer/sendstatistics/42" in m and "delivered-bounce-within-count" in m and "Received" in m
        for m in logged
    )
    assert not any("test-key-do-not-print" in m for m in logged)


def test_fail_on_violation_answers_502_listing_the_findings(faulty: str) -> None:
    """With --fail-on-violation an answer with an error finding becomes a 502 in the API's error format."""
    with proxy_to(faulty, SENDSTAT_PROXY_FAIL_ON_VIOLATION=True) as proxy:
        index = requests.get(f"{proxy}/mailer/sendstatistics", headers=KEY, timeout=10)
        broken = requests.get(f"{proxy}/mailer/sendstatistics/42?fields={ALL}", headers=KEY, timeout=10)
    assert index.status_code == 200
    assert broken.status_code == 502
    body = broken.json()
    assert body["message"].startswith("Bad gateway: the target's 200 answer breaks the contract")
    assert {"check": "delivered-bounce-within-count", "severity": "error"}.items() <= body["findings"][0].items()
    assert "Received" in body["findings"][0]["message"]


def test_warnings_alone_do_not_fail_an_answer(mock_target: str) -> None:
    """Only error findings become a 502; an answer that only breaks an inferred rule passes with its header."""
    with (
        served(reference_app(("opened-over-delivered",))) as target,
        proxy_to(target, SENDSTAT_PROXY_FAIL_ON_VIOLATION=True) as proxy,
    ):
        requests.get(f"{proxy}/mailer/sendstatistics", headers=KEY, timeout=10)
        answers = [
            requests.get(f"{proxy}/mailer/sendstatistics/{i}?fields={ALL}", headers=KEY, timeout=10) for i in (1, 5, 42)
        ]
    lines = [line for a in answers for line in a.raw.headers.getlist(VIOLATIONS_HEADER)]
    assert lines
    assert all(line.startswith("warning ") for line in lines), lines
    assert {a.status_code for a in answers} == {200}


def test_a_dead_target_is_a_502_and_one_log_line(caplog: pytest.LogCaptureFixture) -> None:
    """A target nobody listens on answers 502 in the API's error format at once, logged in one line."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with proxy_to(f"http://127.0.0.1:{port}") as proxy, caplog.at_level(logging.ERROR, logger="sendstat.proxy"):
        answer = requests.get(f"{proxy}/mailer/sendstatistics", timeout=10)
    assert answer.status_code == 502
    assert answer.json()["message"].startswith("Bad gateway: the target gave no usable answer (connection failed")
    assert len([r for r in caplog.records if "gave no answer" in r.getMessage()]) == 1


def test_a_silent_target_is_a_502_at_the_timeout() -> None:
    """A target that takes the connection and never answers gets the client a 502 after --timeout."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        with proxy_to(f"http://127.0.0.1:{silent.getsockname()[1]}", SENDSTAT_PROXY_TIMEOUT=0.5) as proxy:
            started = time.monotonic()
            answer = requests.get(f"{proxy}/mailer/sendstatistics", timeout=10)
            took = time.monotonic() - started
    assert answer.status_code == 502
    assert "no answer within 0.5 s" in answer.json()["message"]
    assert took < 5


def test_cors_as_the_mock_does_it(mock_target: str) -> None:
    """A preflight is answered by the proxy and answers expose X-Contract-Violations to the page."""
    with proxy_to(mock_target) as proxy:
        preflight = requests.options(
            f"{proxy}/mailer/sendstatistics",
            headers={
                "Origin": "http://localhost:5173",
                "Access-Control-Request-Method": "GET",
                "Access-Control-Request-Headers": "X-Estis-Auth",
            },
            timeout=10,
        )
        answer = requests.get(f"{proxy}/mailer/sendstatistics", headers={"Origin": "http://localhost:5173"}, timeout=10)
    assert preflight.status_code == 204
    assert "X-Estis-Auth" in preflight.headers["Access-Control-Allow-Headers"]
    assert answer.headers["Access-Control-Allow-Origin"] == "http://localhost:5173"
    assert VIOLATIONS_HEADER in answer.headers["Access-Control-Expose-Headers"]


def test_the_configured_key_replaces_the_clients(faulty: str) -> None:
    """--header's key goes to the target instead of the client's (the reference server refuses other keys)."""
    with proxy_to(faulty, SENDSTAT_PROXY_HEADERS=KEY) as proxy:
        answer = requests.get(f"{proxy}/mailer/sendstatistics", headers={"X-Estis-Auth": "wrong"}, timeout=10)
    assert answer.status_code == 200
