"""The PHP backend (index.php) under `php -S`: a scenario exported for it, and the server run until a block ends."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import requests

from mockserver.http.app import create_app
from tests._tools import require_tool

__all__ = ["ROUTER", "export", "serving"]

ROUTER = Path(__file__).with_name("index.php")
ALL_FIELDS = quote(json.dumps(["id", "common", "open_time", "click_statistic", "domain_statistic", "errors"]))
READY_SECONDS = 10.0


def export(scenario: str, path: Path) -> int:
    """Write a scenario's mailings as the PHP backend reads them (each one's sections as the mock sends them)."""
    client = create_app({"SENDSTAT_SCENARIO": scenario, "SENDSTAT_RELOAD_INTERVAL": None}).test_client()
    index = client.get("/mailer/sendstatistics")
    listed = index.get_json()["statistics"] if index.status_code == 200 else []
    mailings: list[dict[str, Any]] = []
    for entry in listed:
        sections = client.get(f"/mailer/sendstatistics/{entry['id']}?fields={ALL_FIELDS}").get_json()
        mailings.append({"id": entry["id"], "letter_title": entry["letter_title"], "sections": sections})
    path.write_text(json.dumps({"scenario": scenario, "mailings": mailings}), encoding="utf-8")
    return len(mailings)


def free_port() -> int:
    """A loopback port nobody listens on now (PHP's built-in server cannot take port 0)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@contextmanager
def serving(data: Path) -> Iterator[str]:
    """Run `php -S` on index.php over exported mailings until the block ends; yield its base URL."""
    php = require_tool("php", "to run a real PHP backend (install php-cli)")
    url = f"http://127.0.0.1:{free_port()}"
    process = subprocess.Popen(
        [php, "-n", "-d", "display_errors=0", "-S", url.removeprefix("http://"), str(ROUTER)],
        env={**os.environ, "MAILINGS_JSON": str(data)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + READY_SECONDS
        while True:
            try:
                requests.get(f"{url}/mailer/sendstatistics", timeout=1)
                break
            except requests.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"php -S did not start on {url}") from None
                time.sleep(0.05)  # polling for readiness, not synchronising
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
