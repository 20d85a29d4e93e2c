"""Fixtures of the recording's tests: the model's data, loaded once."""

from __future__ import annotations

import pytest

from contract.spec import Contract
from mockserver.model.domain.data import ModelData, load_model_data


@pytest.fixture(scope="session")
def model_data(contract: Contract) -> ModelData:
    """The domain model's data files, parsed."""
    return load_model_data(contract)
