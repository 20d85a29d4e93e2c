"""Whether a violation is an error or a warning, and why: the document's `source` of each rule decides.

Rules with `source: seed`, statuses and schemas are errors. Rules with `source: inferred`, and expectations
resting on an `x-inferred` part of the document, are warnings; `--strict` makes them errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from contract.errors import RuleViolation
from contract.spec import Contract

Severity = Literal["error", "warning"]
Source = Literal["seed", "inferred", "document"]

DOCUMENT_WHY = {
    "status-code": "openapi.yaml documents the statuses of each operation and the seed's 200, 400 / 20620 and 404.",
    "content-type": "openapi.yaml documents every body as application/json and the 204 as empty.",
    "response-schema": "openapi.yaml documents the schema of every body (additionalProperties: false where "
    "the seed lists all keys).",
    "no-answer": "A client waits --timeout seconds at most; no answer is no answer.",
    "body-size": "A client reads an answer into memory; one larger than --max-body cannot be read, so not judged.",
    "latency": "The document gives no latency; the threshold (--max-latency) is our judgement.",
    "budget": "A run stops at its time budget (--budget); what was not sent was not judged.",
    "validator-agreement": "Two JSON Schema engines read the same document differently: one of them, or the "
    "document, needs a look.",
    "schemathesis": "A built-in check of schemathesis failed.",
}


@dataclass(frozen=True)
class Classification:
    """The severity of a violation, the source of the rule it breaks, and the document's reason."""

    severity: Severity
    source: Source
    why: str


def classify(violation: RuleViolation, contract: Contract, *, strict: bool) -> Classification:
    """Classify a violation by the document: a rule's `source`, or whether the expectation was inferred."""
    widen: Severity = "error" if strict else "warning"
    try:
        rule = contract.rule(violation.rule_id)
    except KeyError:
        if violation.inferred:
            return Classification(widen, "inferred", violation.inferred)
        return Classification("error", "document", DOCUMENT_WHY.get(violation.rule_id, "openapi.yaml."))
    if rule.source == "seed":
        return Classification("error", "seed", rule.why)
    return Classification(widen, "inferred", rule.why)
