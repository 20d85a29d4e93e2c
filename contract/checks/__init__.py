"""Every check of the suite, by id: document checks (status, media type, schema) and the documented rules.

A rule id of `x-sendstat-rules` is implemented exactly once, here or in contract/invariants.py (through
BODY_CHECKS); `RULE_IMPLEMENTATIONS` is what a test compares with the document.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from contract.checks.body import BODY_CHECKS
from contract.checks.context import Check, CheckContext
from contract.checks.cross import CROSS_CHECKS, CrossCheck
from contract.checks.http import content_type, status_code
from contract.checks.schema import response_schema
from contract.checks.view import (
    unknown_fields_dropped,
    view_id_is_path_id,
    view_id_only_when_requested,
    view_no_unrequested_sections,
    view_requested_sections_present,
)
from contract.checks.wire import integers_are_integer_literals
from contract.errors import RuleViolation
from contract.exchange import Exchange

# Checks that read the document's responses and schemas rather than a rule: errors unless inferred.
DOCUMENT_CHECKS: Mapping[str, Check] = {
    "status-code": status_code,
    "content-type": content_type,
    "response-schema": response_schema,
}
# Findings the suite makes outside the per-exchange checks.
OTHER_CHECKS: Mapping[str, str] = {
    "no-answer": "the server answers every request within --timeout",
    "body-size": "no answer is larger than --max-body (decoded)",
    "latency": "each operation's p95 latency is within --max-latency",
    "budget": "the run sends all it planned within its time budget (--budget)",
    "validator-agreement": "schemathesis and jsonschema agree on every body",
    "schemathesis": "a check of schemathesis itself failed",
}
VIEW_RULES: Mapping[str, Check] = {
    "view-id-is-path-id": view_id_is_path_id,
    "view-requested-sections-present": view_requested_sections_present,
    "view-no-unrequested-sections": view_no_unrequested_sections,
    "view-id-only-when-requested": view_id_only_when_requested,
    "unknown-fields-dropped": unknown_fields_dropped,
}
# Rules of an answer's bytes, not of its decoded body.
WIRE_RULES: Mapping[str, Check] = {
    "integers-are-integer-literals": integers_are_integer_literals,
}


def _merge(*parts: Mapping[str, Callable[..., None]]) -> dict[str, Callable[..., None]]:
    merged: dict[str, Callable[..., None]] = {}
    for part in parts:
        twice = set(merged) & set(part)
        if twice:
            raise RuntimeError(f"rule ids implemented twice: {sorted(twice)}")
        merged.update(part)
    return merged


RULE_IMPLEMENTATIONS: Mapping[str, Callable[..., None]] = _merge(VIEW_RULES, WIRE_RULES, BODY_CHECKS, CROSS_CHECKS)
EXCHANGE_CHECKS: Mapping[str, Check] = {**DOCUMENT_CHECKS, **VIEW_RULES, **WIRE_RULES, **BODY_CHECKS}
CHECK_IDS: tuple[str, ...] = (*DOCUMENT_CHECKS, *OTHER_CHECKS, *RULE_IMPLEMENTATIONS)


def run_exchange(ctx: CheckContext, exchange: Exchange) -> list[RuleViolation]:
    """Run every per-exchange check and return the violations."""
    found: list[RuleViolation] = []
    for check in EXCHANGE_CHECKS.values():
        try:
            check(ctx, exchange)
        except RuleViolation as violation:
            found.append(violation)
    return found


def run_cross(ctx: CheckContext, exchanges: Sequence[Exchange]) -> list[RuleViolation]:
    """Run every cross-request check over all exchanges of a run and return the violations."""
    found: list[RuleViolation] = []
    for check in CROSS_CHECKS.values():
        try:
            check(ctx, exchanges)
        except RuleViolation as violation:
            found.append(violation)
    return found


__all__ = [
    "CHECK_IDS",
    "DOCUMENT_CHECKS",
    "EXCHANGE_CHECKS",
    "OTHER_CHECKS",
    "RULE_IMPLEMENTATIONS",
    "Check",
    "CheckContext",
    "CrossCheck",
    "run_cross",
    "run_exchange",
]
