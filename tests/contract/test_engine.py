"""schemathesis as a library (contract/engine.py): its exchanges reach the suite with their check results."""

from __future__ import annotations

import pytest

from contract.engine import Observed, StFailure, run_engine
from contract.settings import Settings
from contract.spec import Contract
from tests.contract.faults.serve import AUTH, Running

pytestmark = pytest.mark.slow


def observe(
    contract: Contract, base_url: str, timeout: float | None = None
) -> tuple[list[Observed], list[str], list[str]]:
    """Run the engine and return the observed exchanges, the phases started and the notes."""
    observed: list[Observed] = []
    phases: list[str] = []
    config = Settings(base_url=base_url, headers=AUTH, seed=1, max_examples=3, timeout=timeout)
    base_path = "/" + base_url.rsplit("/", 1)[-1]
    result = run_engine(
        contract.document, config, base_path=base_path, on_observed=observed.append, on_phase=phases.append
    )
    assert result.sent == len(observed)
    return observed, phases, result.notes


def test_every_phase_runs_and_hands_over_exchanges(contract: Contract, matrix: Running) -> None:
    """Examples, coverage, fuzzing and stateful run; each exchange carries schemathesis' schema verdict."""
    observed, phases, _ = observe(contract, matrix.url("reference"))
    assert {"examples", "coverage", "fuzzing", "stateful"} <= set(phases)
    assert {item.exchange.operation for item in observed} == {"index", "view"}
    assert all(item.exchange.method == "GET" and item.exchange.authenticated for item in observed)
    assert any(item.schema_valid for item in observed)
    assert not any(item.failures for item in observed)


def test_schemathesis_failures_map_to_suite_checks(contract: Contract, matrix: Running) -> None:
    """A schema fault shows up as a failed response_schema_conformance, mapped to response-schema."""
    observed, _, _ = observe(contract, matrix.url("index-title-missing"))
    failures = [failure for item in observed for failure in item.failures]
    assert "response-schema" in {failure.check_id for failure in failures}


def test_an_unanswering_operation_stops_the_engine(contract: Contract, matrix: Running) -> None:
    """Requests without an answer become status-0 exchanges and stop the run early, with a note."""
    observed, _, notes = observe(contract, matrix.url("slow"), timeout=0.3)
    assert sum(1 for item in observed if not item.exchange.answered) >= 1
    assert any("stopped early" in note for note in notes)


def test_unknown_schemathesis_checks_keep_their_own_id() -> None:
    """A schemathesis check without a suite counterpart is reported under `schemathesis`."""
    assert StFailure("some_new_check", "t", "m").check_id == "schemathesis"
    assert StFailure("not_a_server_error", "t", "m").check_id == "status-code"
