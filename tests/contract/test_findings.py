"""Findings (contract/findings.py): one per check and title, counted, with the first example kept."""

from __future__ import annotations

from contract.errors import RuleViolation
from contract.findings import FindingSet
from contract.spec import Contract
from tests.contract.exchanges import make


def test_repeats_are_counted_once(contract: Contract) -> None:
    """The same violation twice is one finding with count 2, the first exchange as its example."""
    findings = FindingSet(contract, strict=False)
    first, second = make("/a"), make("/b")
    findings.add(RuleViolation("status-code", "t", "m"), first)
    findings.add(RuleViolation("status-code", "t", "m2"), second, seen_by="schemathesis")
    (finding,) = list(findings)
    assert (finding.count, finding.example, finding.seen_by) == (2, first, {"sendstat", "schemathesis"})


def test_errors_and_warnings_are_split(contract: Contract) -> None:
    """Seed rules are errors and inferred ones warnings."""
    findings = FindingSet(contract, strict=False)
    findings.add(RuleViolation("index-unique-ids", "t", "m"), None)
    findings.add(RuleViolation("index-sorted-ascending", "t", "m"), None)
    assert [f.check for f in findings.errors] == ["index-unique-ids"]
    assert [f.check for f in findings.warnings] == ["index-sorted-ascending"]
    assert len(findings.by_check("index-unique-ids")) == 1
