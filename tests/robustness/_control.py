"""Finds out what the mock's control plane offers: the scenario header, the scenario list, the control API."""

from __future__ import annotations

from typing import Any

import requests

from tests.robustness._answers import INDEX

__all__ = ["CONTROL_DOCUMENT", "SCENARIOS", "SCENARIO_HEADER", "control_document", "honours_scenario_header", "listed"]

SCENARIO_HEADER = "X-Mock-Scenario"
CONTROL_DOCUMENT = "/__mock/openapi.yaml"
SCENARIOS = "/__mock/scenarios"
TIMEOUT = 10


def honours_scenario_header(url: str) -> bool:
    """Whether the mock selects a scenario per request: the `empty` scenario's index answers 204."""
    return requests.get(f"{url}{INDEX}", headers={SCENARIO_HEADER: "empty"}, timeout=TIMEOUT).status_code == 204


def control_document(url: str) -> str | None:
    """Return the control API's OpenAPI document, or None while the mock does not serve it."""
    response = requests.get(f"{url}{CONTROL_DOCUMENT}", timeout=TIMEOUT)
    return response.text if response.status_code == 200 else None


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
