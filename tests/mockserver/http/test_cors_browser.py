"""CORS in a real browser: a page on another origin reads the API with credentials, and cannot touch /__mock/.

Debian's chromium, driven by Playwright (which may not download a browser of its own here), loads a page
from a second local server under the name evil.example (mapped to 127.0.0.1 by the browser's resolver),
so its origin is foreign to the mock on 127.0.0.1 in every respect the browser and the mock check.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests

from tests._tools import require_tool
from tests.robustness._mock import MockProcess, start_mock
from tests.ui._browser import CHROMIUM_ARGS

pytestmark = pytest.mark.slow

FOREIGN_HOST = "evil.example"
LAUNCH_ARGS = [*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {FOREIGN_HOST} 127.0.0.1"]
PAGE = b"<!doctype html><title>a page on another site</title><p>nothing here</p>"


class _Page(BaseHTTPRequestHandler):
    """Serves the same small page for every path."""

    def do_GET(self) -> None:
        """Answer the page."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test's output quiet."""


@pytest.fixture
def foreign_origin() -> Iterator[str]:
    """A second local server, on a free port, whose page the browser loads as http://evil.example:PORT."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{FOREIGN_HOST}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def mock(tmp_path: Path) -> Iterator[MockProcess]:
    """The mock with its defaults (credentialed CORS for any origin), on a free port."""
    running = start_mock([], tmp_path / "stderr.log")
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def in_page(tmp_path: Path, foreign_origin: str) -> Iterator[Callable[[str, Any], Any]]:
    """Run a script in the foreign page of a fresh headless chromium; return what it returns."""
    chromium = require_tool("chromium", "to prove CORS with credentials in a real browser")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        context = driver.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=chromium, headless=True, args=LAUNCH_ARGS
        )
        try:
            page = context.new_page()
            page.goto(foreign_origin + "/", timeout=30_000)

            def run(script: str, argument: Any) -> Any:
                return page.evaluate(script, argument)

            yield run
        finally:
            context.close()


API_FETCH = """async (url) => {
  const response = await fetch(url, {credentials: 'include', headers: {'X-Estis-Auth': 'qa-key-1'}});
  return {
    status: response.status,
    warning: response.headers.get('X-Mock-Warning'),
    scenario: response.headers.get('X-Mock-Scenario'),
    body: await response.json(),
  };
}"""

CONTROL_ATTEMPTS = """async (base) => {
  const outcome = async (request) => {
    try { const r = await request; return 'read ' + r.status; } catch (e) { return 'refused: ' + e.name; }
  };
  return {
    switch: await outcome(fetch(base + '/__mock/scenario', {method: 'PUT', credentials: 'include',
      headers: {'Content-Type': 'application/json'}, body: JSON.stringify({name: 'empty'})})),
    journal: await outcome(fetch(base + '/__mock/journal', {credentials: 'include'})),
    clock: await outcome(fetch(base + '/__mock/clock/advance', {method: 'POST', mode: 'no-cors',
      headers: {'Content-Type': 'text/plain'}, body: '{"seconds": 3600}'})),
    reset: await outcome(fetch(base + '/__mock/reset', {method: 'POST', mode: 'no-cors'})),
  };
}"""


def test_a_foreign_page_reads_the_api_with_credentials_and_the_warning_header(
    mock: MockProcess, in_page: Callable[[str, Any], Any], foreign_origin: str
) -> None:
    """fetch(credentials: 'include') with X-Estis-Auth from another origin succeeds and reads X-Mock-Warning."""
    url = f"{mock.url}/mailer/sendstatistics/2?fields=id,common&__scenario=auth-required"
    result = in_page(API_FETCH, url)
    assert result["status"] == 200  # the key reached the mock: without it auth-required answers 401
    assert result["scenario"] == "auth-required"
    assert "comma-separated" in result["warning"]
    assert result["body"] == {"id": 2}
    journal = requests.get(f"{mock.url}/__mock/journal", params={"scenario": "auth-required"}, timeout=10).json()
    # The browser's preflight (X-Estis-Auth is not a safelisted header), granted, then the credentialed GET.
    assert [(entry["method"], entry["status"]) for entry in journal["entries"]] == [("OPTIONS", 204), ("GET", 200)]


def test_a_foreign_page_cannot_switch_move_or_read_the_mock(
    mock: MockProcess, in_page: Callable[[str, Any], Any]
) -> None:
    """From the same foreign page, the control API's answers are unreadable and its changes refused (403)."""
    requests.get(f"{mock.url}/mailer/sendstatistics", timeout=10)
    result = in_page(CONTROL_ATTEMPTS, mock.url)
    assert result["switch"] == "refused: TypeError"  # the preflight is not granted: the PUT is never sent
    assert result["journal"] == "refused: TypeError"  # answered 403, and unreadable without CORS
    assert result["clock"].startswith("read ")  # no-cors: sent, opaque to the page, and refused by the mock
    assert result["reset"].startswith("read ")
    overview = requests.get(f"{mock.url}/__mock/", timeout=10).json()
    assert overview["active"]["name"] == "default"
    assert overview["clock"]["via"] == "scenario"
    assert overview["journal"] >= 1  # not reset
    deadline = time.monotonic() + 30
    expected = (" POST /__mock/reset 403 ", " POST /__mock/clock/advance 403 ", " GET /__mock/journal 403 ")
    while not all(line in mock.log_path.read_text() for line in expected):  # the access log is written in batches
        assert time.monotonic() < deadline, mock.log_path.read_text()[-2000:]
        time.sleep(0.02)
