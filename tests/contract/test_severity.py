"""Severity (contract/severity.py): the document's `source` decides, --strict widens."""

from __future__ import annotations

import pytest

from contract.errors import RuleViolation
from contract.severity import classify
from contract.spec import Contract


@pytest.mark.parametrize(
    ("rule_id", "inferred", "strict", "severity", "source"),
    [
        ("delivered-bounce-within-count", None, False, "error", "seed"),
        ("opened-within-delivered", None, False, "warning", "inferred"),
        ("opened-within-delivered", None, True, "error", "inferred"),
        ("status-code", None, False, "error", "document"),
        ("status-code", "a guess", False, "warning", "inferred"),
        ("status-code", "a guess", True, "error", "inferred"),
    ],
)
def test_classify(
    contract: Contract, rule_id: str, inferred: str | None, strict: bool, severity: str, source: str
) -> None:
    """Seed rules and document checks are errors; inferred ones are warnings unless strict."""
    kind = classify(RuleViolation(rule_id, "t", "m", inferred=inferred), contract, strict=strict)
    assert (kind.severity, kind.source) == (severity, source)


def test_why_quotes_the_rule(contract: Contract) -> None:
    """The reason of a rule's finding is the document's own `why`."""
    kind = classify(RuleViolation("index-unique-ids", "t", "m"), contract, strict=False)
    assert kind.why == contract.rule("index-unique-ids").why
