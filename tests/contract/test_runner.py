"""One run of the suite (contract/runner.py): the judge merges the suite's and schemathesis' verdicts."""

from __future__ import annotations

import dataclasses

import pytest

from contract.engine import Observed, StFailure
from contract.findings import FindingSet
from contract.progress import Progress
from contract.runner import Judge, run
from contract.settings import Settings
from contract.spec import Contract
from tests.contract.exchanges import SEED_BODY, context, make
from tests.contract.faults.serve import AUTH, Running

VIEW = "/mailer/sendstatistics/1"


@pytest.fixture
def judge(contract: Contract) -> Judge:
    """A judge over the shipped contract and an account listing 1, 7 and 42."""
    return Judge(context(contract), FindingSet(contract, strict=False), Progress(enabled=False))


def test_both_engines_seeing_one_fault_give_one_finding(judge: Judge) -> None:
    """A fault both the suite and schemathesis see is one finding, seen by both."""
    exchange = make(VIEW, 200, {**SEED_BODY, "status": "x"}, source="schemathesis/fuzzing")
    failure = StFailure("response_schema_conformance", "Response violates schema", "...")
    judge.observed(Observed(exchange, (failure,), schema_valid=False))
    (finding,) = judge.findings.by_check("response-schema")
    assert finding.seen_by == {"sendstat", "schemathesis"}


def test_a_fault_only_schemathesis_sees_is_kept(judge: Judge) -> None:
    """A schemathesis failure the suite's checks do not share becomes its own finding."""
    failure = StFailure("not_a_server_error", "Server error", "Received 500")
    judge.observed(Observed(make(VIEW, 200, {"id": 1}, source="schemathesis/coverage"), (failure,), True))
    (finding,) = judge.findings.by_check("status-code")
    assert finding.title == "schemathesis: Server error"


def test_disagreeing_validators_are_a_warning(judge: Judge) -> None:
    """schemathesis rejecting a body that jsonschema accepts is reported as a validator-agreement warning."""
    judge.observed(Observed(make(VIEW, 200, {"id": 1}, source="schemathesis/examples"), (), schema_valid=False))
    (finding,) = judge.findings.by_check("validator-agreement")
    assert finding.severity == "warning"


def test_no_answer_is_an_error(judge: Judge) -> None:
    """An exchange without an answer is a no-answer error and is not judged further."""
    judge.exchange(dataclasses.replace(make(VIEW), status=0, error="no answer within 1 s"))
    (finding,) = judge.findings.by_check("no-answer")
    assert finding.severity == "error"
    assert judge.exchanges == []


@pytest.mark.slow
def test_run_returns_a_full_report(matrix: Running) -> None:
    """A run against the reference reports both senders' requests, every check and a pass."""
    report = run(Settings(base_url=matrix.url("reference"), headers=AUTH, seed=2, max_examples=3))
    assert report.exit_code == 0
    assert report.requests["sendstat"] > 20
    assert report.requests["schemathesis"] > 20
    assert "index-detail-agree" in report.checks
