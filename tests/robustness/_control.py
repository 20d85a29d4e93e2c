"""Finds out what the mock's control plane offers: scenario selection by header, and the scenario list."""

from __future__ import annotations

from typing import Any

import requests

from tests.robustness._answers import INDEX

__all__ = ["SCENARIOS", "SCENARIO_HEADER", "honours_scenario_header", "listed"]

SCENARIO_HEADER = "X-Mock-Scenario"
SCENARIOS = "/__mock/scenarios"
TIMEOUT = 10


def honours_scenario_header(url: str) -> bool:
    """Whether the mock selects a scenario per request: the `empty` scenario's index answers 204."""
    return requests.get(f"{url}{INDEX}", headers={SCENARIO_HEADER: "empty"}, timeout=TIMEOUT).status_code == 204


def listed(url: str) -> list[str] | None:
    """Return the scenario names `GET /__mock/scenarios` lists, or None while the mock does not serve it."""
    response = requests.get(f"{url}{SCENARIOS}", timeout=TIMEOUT)
    if response.status_code != 200:
        return None
    return _names(response.json())


def _names(listing: Any) -> list[str]:
    """Read names from a list of names or of objects with a name, possibly under a `scenarios` key."""
    if isinstance(listing, dict):
        listing = listing.get("scenarios", list(listing))
    names = [entry["name"] if isinstance(entry, dict) else entry for entry in listing]
    assert names, f"no scenario listed: {listing!r}"
    assert all(isinstance(name, str) for name in names), f"unexpected scenario listing: {listing!r}"
    return names
