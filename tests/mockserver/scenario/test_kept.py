"""Kept values: a bounded LRU shared by threads; a scenario keeps the mailings it generated."""

from __future__ import annotations

from typing import Any

import pytest

from contract.spec import Contract
from mockserver.model.account import generate_mailing
from mockserver.scenario.kept import Kept
from mockserver.scenario.library import LoadContext, ScenarioLibrary, default_scenario_dirs
from mockserver.scenario.scenario import KEPT_MAILINGS


@pytest.fixture
def fresh(contract: Contract) -> ScenarioLibrary:
    """The shipped scenarios, loaded for this test alone (nothing kept by other tests)."""
    return ScenarioLibrary(default_scenario_dirs(), LoadContext.create(contract), lazy=True)


def test_a_value_is_made_once_and_the_oldest_leaves_first() -> None:
    """A key's value is made on its first get; past the size, the least recently used key is made again."""
    made: list[int] = []
    kept: Kept[int, str] = Kept(2)

    def make(key: int) -> str:
        made.append(key)
        return str(key)

    assert [kept.get(key, make) for key in (1, 2, 1, 3, 1, 2)] == ["1", "2", "1", "3", "1", "2"]
    assert made == [1, 2, 3, 2]
    assert len(kept) == 2


def test_none_is_never_kept() -> None:
    """A value of None is made again on every get and takes no room."""
    made: list[int] = []
    kept: Kept[int, str | None] = Kept(2)
    for _ in range(3):
        assert kept.get(7, lambda key: made.append(key)) is None
    assert made == [7, 7, 7]
    assert len(kept) == 0


def test_a_scenario_draws_a_mailing_once_per_clock(fresh: ScenarioLibrary, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same mailing asked twice at one clock is generated once; at another clock it is generated anew."""
    drawn: list[Any] = []

    def counted(*args: Any) -> Any:
        drawn.append(args[0].mailing_id)
        return generate_mailing(*args)

    monkeypatch.setattr("mockserver.model.account.generate_mailing", counted)
    scenario = fresh.get("large")
    source = scenario.source(scenario.clock)
    first = source.ids()[10]
    assert source.mailing(first) is scenario.source(scenario.clock).mailing(first)
    assert drawn == [first]
    assert scenario.source(scenario.clock - 86400).mailing(first) is not None
    assert drawn == [first, first]


def test_a_scenario_keeps_a_bounded_number_of_mailings(fresh: ScenarioLibrary) -> None:
    """After more distinct mailings than KEPT_MAILINGS, the scenario keeps KEPT_MAILINGS of them."""
    scenario = fresh.get("large")
    source = scenario.source(scenario.clock)
    for mailing_id in source.ids()[: KEPT_MAILINGS + 10]:
        source.mailing(mailing_id)
    assert len(scenario._mailings) == KEPT_MAILINGS
