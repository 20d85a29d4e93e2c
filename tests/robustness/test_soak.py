"""A bounded soak: about 30 s of saturating loopback load, no connection errors, no memory growth."""

from __future__ import annotations

import statistics
import threading
from pathlib import Path
from urllib.parse import quote

import pytest
import requests

from tests.robustness._answers import INDEX
from tests.robustness._load import run_load
from tests.robustness._mock import MockProcess

SECONDS = 30
WINDOW = 10  # RSS samples (one a second) compared at the start and at the end.
MAX_GROWTH = 0.10
VIEWED = 40
FIELDS = [
    None,
    '["id","common"]',
    '["id","common","open_time","click_statistic","domain_statistic","errors"]',
    '["errors","domain_statistic"]',
]


def soak_paths(url: str) -> list[str]:
    """The index and views of listed mailings with several field choices: requests that all answer 200."""
    ids = [entry["id"] for entry in requests.get(f"{url}{INDEX}", timeout=30).json()["statistics"]][:VIEWED]
    paths = [INDEX]
    for n, mailing_id in enumerate(ids):
        fields = FIELDS[n % len(FIELDS)]
        query = f"?fields={quote(fields, safe='')}" if fields else ""
        paths.append(f"{INDEX}/{mailing_id}{query}")
    return paths


@pytest.mark.slow
def test_soak_has_no_errors_and_no_memory_growth(mock: MockProcess, tmp_path: Path) -> None:
    """30 s at saturation: every request answered 2xx, no connection error, RSS grows less than 10%."""
    paths = soak_paths(mock.url)
    for path in paths:  # Warm every answer once, so that the first window is not the cold start.
        assert requests.get(f"{mock.url}{path}", timeout=30).status_code == 200, path
    samples: list[int] = []
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(1.0):
            samples.append(mock.rss())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        result = run_load(mock.url, paths, SECONDS, tmp_path)
    finally:
        stop.set()
        sampler.join()
    assert result.requests > 0
    assert (result.errors, result.non_2xx) == (0, 0), result
    assert len(samples) >= 2 * WINDOW, samples
    first, last = statistics.median(samples[:WINDOW]), statistics.median(samples[-WINDOW:])
    assert last <= first * (1 + MAX_GROWTH), f"RSS grew from {first / 2**20:.1f} to {last / 2**20:.1f} MiB"
    assert mock.answers()
