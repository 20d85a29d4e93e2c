"""Tests of mockserver.scenario.scenario: the plain dataclasses and a scenario's mailings per clock."""

from __future__ import annotations

import dataclasses
import typing
from concurrent.futures import ThreadPoolExecutor

import pytest

from mockserver.model.account import DEFAULT_SENDS_UNTIL, AccountConfig
from mockserver.model.domain.data import ModelData, load_model_data
from mockserver.model.mailing import MailingSource
from mockserver.scenario.scenario import Scenario
from mockserver.scenario.spec import FAULT_KINDS, Fault, FaultKind, ForcedResponse, Latency, MailingsSpec

DAY = 86400


@pytest.fixture(scope="module")
def data() -> ModelData:
    """The shipped data files."""
    return load_model_data()


@pytest.fixture
def scenario(data: ModelData) -> Scenario:
    """A scenario of 30 mailings sent over 30 days, the clock in the middle."""
    config = AccountConfig(seed=8, mailings=30, sends_until=DEFAULT_SENDS_UNTIL, span_days=30)
    return Scenario(
        name="t",
        description="d",
        path=None,
        seed=8,
        clock=DEFAULT_SENDS_UNTIL - 15 * DAY,
        mailings=MailingsSpec(config=config),
        data=data,
    )


def test_defaults_serve_plainly(scenario: Scenario) -> None:
    """Without behaviour settings a scenario has no auth, latency, faults or forced answers, 204 and PHP's flags."""
    assert scenario.empty_index_status == 204
    assert scenario.auth_keys == frozenset()
    assert (dict(scenario.latency), dict(scenario.faults), dict(scenario.forced)) == ({}, {}, {})
    assert (scenario.json_flags, scenario.warnings) == ((), ())


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Latency(fixed_ms=100), Latency(100, 0)),
        (Fault(kind="timeout", rate=0.1), Fault("timeout", 0.1, 30_000)),
        (ForcedResponse(status=404), ForcedResponse(404, None, False)),
    ],
    ids=["latency-without-jitter", "fault-holds-30s", "forced-without-body"],
)
def test_behaviour_defaults(value: object, expected: object) -> None:
    """Optional parts of latency, faults and forced answers have documented defaults."""
    assert value == expected


def test_fault_kinds_match_the_type() -> None:
    """FAULT_KINDS lists exactly the kinds the FaultKind type allows."""
    assert set(FAULT_KINDS) == set(typing.get_args(FaultKind))


def test_scenario_is_frozen(scenario: Scenario) -> None:
    """A loaded scenario cannot be changed in place (threads share it)."""
    with pytest.raises(dataclasses.FrozenInstanceError):
        scenario.clock = 0  # type: ignore[misc]


def test_source_is_a_mailing_source(scenario: Scenario) -> None:
    """source(now) offers what the HTTP layer reads."""
    source: MailingSource = scenario.source(scenario.clock)
    first = source.ids()[0]
    assert source.title(first)
    assert source.mailing(first) is not None


def test_source_is_cached_per_clock(scenario: Scenario) -> None:
    """The same clock gives the same source object; another clock another one."""
    clock = scenario.clock
    assert scenario.source(clock) is scenario.source(clock)
    assert scenario.source(clock) is not scenario.source(None)


def test_the_clock_decides_what_exists(scenario: Scenario) -> None:
    """Earlier clocks list fewer mailings; no clock lists them all."""
    clock = scenario.clock or 0
    counts = [len(scenario.source(now).ids()) for now in (clock - 10 * DAY, clock, None)]
    assert counts[0] < counts[1] < counts[2] == 30


def test_many_clocks_keep_working(scenario: Scenario) -> None:
    """Moving the clock through many values (more than are cached) gives consistent sources."""
    clock = scenario.clock or 0
    first = [len(scenario.source(clock + hour * 3600).ids()) for hour in range(80)]
    again = [len(scenario.source(clock + hour * 3600).ids()) for hour in range(80)]
    assert first == again
    assert first == sorted(first)


def test_threads_share_one_scenario(scenario: Scenario) -> None:
    """Threads asking for the same clocks at once get the same mailings."""
    clocks = [(scenario.clock or 0) + (i % 5) * DAY for i in range(40)]

    def listing(now: int) -> list[int]:
        return list(scenario.source(now).ids())

    with ThreadPoolExecutor(max_workers=8) as pool:
        concurrent = list(pool.map(listing, clocks))
    assert concurrent == [listing(now) for now in clocks]


def test_replace_gives_a_cache_of_its_own(scenario: Scenario) -> None:
    """A copy with another config does not serve the original's cached mailings."""
    clock = scenario.clock
    scenario.source(clock)
    fewer = dataclasses.replace(scenario, mailings=MailingsSpec(config=AccountConfig(seed=8, mailings=2)))
    assert len(fewer.source(clock).ids()) <= 2
