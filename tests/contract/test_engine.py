"""schemathesis as a library (contract/engine.py): its exchanges reach the suite with their check results."""

from __future__ import annotations

import hypothesis.errors
import pytest
from schemathesis.engine import events

from contract.bounded import NoAnswer
from contract.budget import Clock
from contract.engine import NOTE_LENGTH, Observed, StFailure, note_for, run_engine
from contract.settings import Settings
from contract.spec import Contract
from tests.contract.faults.serve import AUTH, Running

PROBES = 2


def observe(
    contract: Contract, base_url: str, timeout: float | None = None
) -> tuple[list[Observed], list[str], list[str]]:
    """Run the engine and return the observed exchanges, the phases started and the notes."""
    observed: list[Observed] = []
    phases: list[str] = []
    config = Settings(base_url=base_url, headers=AUTH, seed=1, max_examples=3, timeout=timeout)
    base_path = "/" + base_url.rsplit("/", 1)[-1]
    result = run_engine(
        contract.document, config, Clock(60), base_path=base_path, on_observed=observed.append, on_phase=phases.append
    )
    # Every request reaches the suite, but for the probing phase's two requests to the base URL when answered.
    assert len(observed) <= result.sent <= len(observed) + PROBES
    return observed, phases, result.notes


@pytest.mark.slow
def test_every_phase_runs_and_hands_over_exchanges(contract: Contract, matrix: Running) -> None:
    """Examples, coverage, fuzzing and stateful run; each exchange carries schemathesis' schema verdict."""
    observed, phases, _ = observe(contract, matrix.url("reference"))
    assert {"examples", "coverage", "fuzzing", "stateful"} <= set(phases)
    assert {item.exchange.operation for item in observed} == {"index", "view"}
    assert all(item.exchange.method == "GET" and item.exchange.authenticated for item in observed)
    assert any(item.schema_valid for item in observed)
    assert not any(item.failures for item in observed)


@pytest.mark.slow
def test_schemathesis_failures_map_to_suite_checks(contract: Contract, matrix: Running) -> None:
    """A schema fault shows up as a failed response_schema_conformance, mapped to response-schema."""
    observed, _, _ = observe(contract, matrix.url("index-title-missing"))
    failures = [failure for item in observed for failure in item.failures]
    assert "response-schema" in {failure.check_id for failure in failures}


@pytest.mark.slow
def test_an_unanswering_operation_stops_the_engine(contract: Contract, matrix: Running) -> None:
    """Requests without an answer become status-0 exchanges and stop the run early, with a note."""
    observed, _, notes = observe(contract, matrix.url("slow"), timeout=0.3)
    assert sum(1 for item in observed if not item.exchange.answered) >= 1
    assert any("stopped early" in note for note in notes)


def test_unknown_schemathesis_checks_keep_their_own_id() -> None:
    """A schemathesis check without a suite counterpart is reported under `schemathesis`."""
    assert StFailure("some_new_check", "t", "m").check_id == "schemathesis"
    assert StFailure("not_a_server_error", "t", "m").check_id == "status-code"


def test_notes_carry_no_internal_reprs() -> None:
    """A schemathesis error becomes one short note line without `<... object at 0x...>` reprs or newlines."""
    error = RuntimeError("run_one_case(ctx=<schemathesis.checks.CheckContext object at 0x7f571a678b80>)\nmore")
    note = note_for(
        events.NonFatalError(error=error, phase=None, label="GET /mailer/sendstatistics", related_to_operation=True)
    )
    assert note is not None
    assert " at 0x" not in note
    assert "\n" not in note
    assert len(note) <= NOTE_LENGTH + 1


def test_a_flaky_input_is_one_plain_note() -> None:
    """Hypothesis' Flaky (an input that failed passed when replayed) is a plain sentence, not its repr."""
    flaky = hypothesis.errors.FlakyFailure(
        "Hypothesis run_one_case(case=, ctx=) produces unreliable results", [ValueError("x")]
    )
    note = note_for(
        events.NonFatalError(error=flaky, phase=None, label="GET /mailer/sendstatistics", related_to_operation=True)
    )
    assert note == (
        "schemathesis: GET /mailer/sendstatistics: an input that failed passed when it was sent again "
        "(the server does not answer the same request the same way)."
    )


def test_network_errors_are_not_notes() -> None:
    """A request error is the adapter's to report as an exchange, so it is not also a note."""
    error = NoAnswer("no answer within 1 s")
    assert note_for(events.NonFatalError(error=error, phase=None, label="GET /x", related_to_operation=True)) is None
