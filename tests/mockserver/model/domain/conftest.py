"""Fixtures of the domain-model tests: the contract and the parsed data files, loaded once."""

from __future__ import annotations

import pytest

from contract.spec import Contract
from mockserver.model.domain.data import ModelData, load_model_data


@pytest.fixture(scope="package")
def contract() -> Contract:
    """The shipped contract."""
    return Contract.load(validate=False)


@pytest.fixture(scope="package")
def data(contract: Contract) -> ModelData:
    """The shipped data files."""
    return load_model_data(contract)
