"""Fixtures of the HTTP layer's tests: an app with the answer cache beside one without, on one scenario."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from mockserver.http.context import EXTENSION
from tests.conftest import MakeApp


@pytest.fixture
def make_pair(make_app: MakeApp, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Build an app with the answer cache and one without, on the same scenario, that never sleep."""
    monkeypatch.setattr("mockserver.control.faults.FLUSH_SECONDS", 0.0)  # a socket's pause; no socket here
    built: list[Flask] = []

    def make(scenario: str, **config: Any) -> tuple[Flask, Flask]:
        settings = {"SENDSTAT_SOURCE": None, "SENDSTAT_SCENARIO": scenario, "SENDSTAT_SLEEP": lambda _: None, **config}
        pair = (make_app(**settings), make_app(**settings, SENDSTAT_ANSWER_CACHE_BYTES=0))
        built.extend(pair)
        return pair

    yield make
    for app in built:
        app.extensions[EXTENSION].control.close()
