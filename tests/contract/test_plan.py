"""The suite's own requests (contract/plan.py): what it sends and what it learns about the account."""

from __future__ import annotations

import time

import pytest

from contract.budget import Clock
from contract.plan import BOGUS, GIVE_UP, field_battery, listed_ids, run_behaviour
from contract.settings import Settings
from contract.transport import Transport
from tests.contract.exchanges import make
from tests.contract.faults.serve import AUTH, Running

NAMES = ("id", "common", "open_time", "click_statistic", "domain_statistic", "errors")


@pytest.mark.parametrize(
    ("status", "body", "ids"),
    [
        (200, {"statistics": [{"id": 3}, {"id": 1}, {"id": "x"}, {"id": True}]}, (3, 1)),
        (204, None, ()),
        (200, {"statistics": "nope"}, ()),
        (200, [1, 2], ()),
    ],
)
def test_listed_ids(status: int, body: object, ids: tuple[int, ...]) -> None:
    """Integer ids come out in the index's order; anything malformed lists nothing."""
    assert listed_ids(make("/mailer/sendstatistics", status, body)) == ids


def test_field_battery_covers_the_documented_cases() -> None:
    """The battery asks for the default, each name alone, unknown names, an empty list, non-JSON and all."""
    battery = [params.get("fields") for params in field_battery(NAMES)]
    assert battery[0] is None
    assert all(f'["{name}"]' in battery for name in NAMES)
    assert f'["{BOGUS}"]' in battery
    assert f'["common","{BOGUS}"]' in battery
    assert "[]" in battery
    assert "id,common" in battery


@pytest.mark.slow
def test_behaviour_learns_the_account(matrix: Running) -> None:
    """Against the reference the suite lists the ids and views each with every field."""
    transport = Transport(Settings(base_url=matrix.url("reference"), headers=AUTH))
    behaviour = run_behaviour(transport, NAMES, known_id=None, max_listed=10, sample=1, on_sent=lambda _: None)
    assert behaviour.account.listed == (1, 5, 7, 42)
    viewed = {exchange.segment for exchange in behaviour.exchanges if exchange.operation == "view"}
    assert {"1", "5", "7", "42", "999999999", "not-a-number"} <= viewed
    assert behaviour.notes == []


@pytest.mark.slow
def test_behaviour_gives_up_on_a_silent_server(matrix: Running) -> None:
    """After a few requests in a row without an answer the suite stops sending and says so."""
    transport = Transport(Settings(base_url=matrix.url("slow"), headers=AUTH, timeout=0.2))
    behaviour = run_behaviour(transport, NAMES, known_id=None, max_listed=10, sample=3, on_sent=lambda _: None)
    assert sum(1 for exchange in behaviour.exchanges if not exchange.answered) == GIVE_UP
    assert any("unanswered" in note for note in behaviour.notes)


def test_a_spent_budget_sends_nothing() -> None:
    """With its share of the time budget spent, the suite sends no request and says it was cut."""
    clock = Clock(10, started=time.monotonic() - 11)
    transport = Transport(Settings(base_url="http://127.0.0.1:9", headers=AUTH), clock)
    behaviour = run_behaviour(transport, NAMES, known_id=None, max_listed=10, sample=1, on_sent=lambda _: None)
    assert behaviour.cut
    assert (behaviour.exchanges, transport.sent) == ([], 0)
