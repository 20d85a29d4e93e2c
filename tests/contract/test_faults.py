"""The fault matrix: `sendstat check` against each broken server and each correct variant, verdict by verdict."""

from __future__ import annotations

import pytest

from tests.contract.conftest import Check
from tests.contract.faults.catalogue import CASES, CORRECT, FAULTS, WARNING_ONLY, Case
from tests.contract.faults.serve import Running

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_verdict(case: Case, matrix: Running, check: Check) -> None:
    """The suite gives each server its expected exit code and names the broken rules in the JSON report."""
    outcome = check(matrix.url(case.name), *case.args)
    assert outcome.exit == case.exit, outcome.stdout
    assert set(case.rules) <= set(outcome.rules), outcome.stdout
    if not case.is_fault:
        assert outcome.report["summary"] == {"errors": 0, "warnings": 0}, outcome.stdout


@pytest.mark.parametrize("case", WARNING_ONLY, ids=lambda case: case.name)
def test_strict_turns_inferred_rules_into_errors(case: Case, matrix: Running, check: Check) -> None:
    """A server that breaks only inferred rules passes with warnings, and fails with --strict."""
    outcome = check(matrix.url(case.name), *case.args, "--strict")
    assert outcome.exit == case.exit_strict == 1, outcome.stdout
    assert all(outcome.rules[rule] == "error" for rule in case.rules)


def test_the_real_mock_passes_strictly(matrix: Running, check: Check) -> None:
    """The project's own mock (mockserver.http.app) keeps the contract, inferred rules included."""
    outcome = check(matrix.url("mock"), "--strict")
    assert outcome.exit == 0, outcome.stdout
    assert outcome.report["summary"] == {"errors": 0, "warnings": 0}


def test_matrix_is_big_enough() -> None:
    """The matrix holds at least 25 faults and the correct variants the brief names."""
    assert len(FAULTS) >= 25
    assert {"reference", "raw-utf8", "keys-reordered", "empty-as-200"} <= {case.name for case in CORRECT}
