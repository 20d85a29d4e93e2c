"""Tests of mockserver.model.domain.data: every data file loads and agrees with the contract."""

from __future__ import annotations

from contract.spec import Contract
from mockserver.model.domain.audience import KINDS
from mockserver.model.domain.data import ModelData, load_model_data


def test_loads_without_a_contract_given() -> None:
    """Loading reads the shipped contract when none is given."""
    assert load_model_data().profiles.profiles


def test_every_code_is_weighed(data: ModelData, contract: Contract) -> None:
    """Every code of the contract's catalogue can occur on some kind of domain."""
    reachable = {code for table in data.codes.tables.values() for code in table.codes}
    assert reachable == contract.error_codes


def test_every_link_theme_has_titles(data: ModelData) -> None:
    """Every title theme has link paths."""
    assert set(data.titles.themes) <= set(data.links.themes)


def test_kind_factors_cover_the_kinds(data: ModelData) -> None:
    """Every kind of domain but the misspelt ones has bounce factors."""
    assert set(data.kind_factors) == set(KINDS) - {"typo"}
