"""Every shipped scenario's bodies are PHP's own: json_encode(json_decode($body, true), $flags) gives our bytes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import yaml
from flask import Flask
from werkzeug.test import Client

from contract.php import parse_flags
from mockserver.http.context import EXTENSION
from mockserver.names import FAULT_HEADER
from mockserver.scenario.library import default_scenario_dirs
from tests.conftest import MakeApp
from tests.contract.php._oracle import PhpOracle

INDEX = "/mailer/sendstatistics"
ALL_FIELDS = quote(json.dumps(["id", "common", "open_time", "click_statistic", "domain_statistic", "errors"]), safe="")
# A deliberate fault (flaky's) is drawn per request: asking again this often finds the real answer.
TRIES = 25
SAMPLE = 6


def shipped() -> list[Path]:
    """The shipped scenario files."""
    return sorted(path for directory in default_scenario_dirs() for path in directory.glob("*.yaml"))


@pytest.fixture
def build(make_app: MakeApp, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Build a scenario's app that never sleeps (latency, timeouts, cut bodies); closed after the test."""
    monkeypatch.setattr("mockserver.control.faults.FLUSH_SECONDS", 0.0)  # no socket here to flush
    built: list[Flask] = []

    def make(scenario: str) -> Flask:
        app = make_app(SENDSTAT_SOURCE=None, SENDSTAT_SCENARIO=scenario, SENDSTAT_SLEEP=lambda _: None)
        built.append(app)
        return app

    yield make
    for app in built:
        app.extensions[EXTENSION].control.close()


def answer(client: Client, target: str, headers: dict[str, str]) -> tuple[int, bytes] | None:
    """The status and body of the first answer that is not a deliberate fault (None: only faults came)."""
    for _ in range(TRIES):
        response = client.get(target, headers=headers)
        body = response.get_data()
        if FAULT_HEADER not in response.headers:
            return response.status_code, body
    return None


def sample(ids: list[int]) -> list[int]:
    """A spread of listed ids: the first, the last and evenly between (all of a short list)."""
    if len(ids) <= SAMPLE:
        return ids
    step = (len(ids) - 1) / (SAMPLE - 1)
    return sorted({ids[round(index * step)] for index in range(SAMPLE)})


@pytest.mark.parametrize("path", shipped(), ids=lambda path: path.stem)
def test_scenario_bodies_are_what_php_prints(php: PhpOracle, build: Any, path: Path) -> None:
    """The index and views of listed ids (all six fields) equal PHP's json_encode of their decoded data."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    flags = parse_flags(document.get("json_flags") or None)
    keys = document.get("auth_keys") or []
    headers = {"X-Estis-Auth": keys[0]} if keys else {}
    client = Client(build(document["name"]))
    index = answer(client, INDEX, headers)
    assert index is not None
    ids = [entry["id"] for entry in json.loads(index[1])["statistics"]] if index[0] == 200 else []
    # An empty account answers 204 without a body; the view of id 1 then is the 404's body.
    views = [answer(client, f"{INDEX}/{mailing_id}?fields={ALL_FIELDS}", headers) for mailing_id in sample(ids) or [1]]
    bodies = [body for _, body in [index, *filter(None, views)] if body]
    assert len(bodies) > len(views) // 2
    assert php.json_encode(bodies, int(flags)) == bodies
