"""The domain rules of contract/invariants.py, applied to every 200 body of the operation they judge."""

from __future__ import annotations

from collections.abc import Mapping

from contract.checks.context import Check, CheckContext
from contract.exchange import Exchange, Operation
from contract.invariants import INDEX_RULES, MAILING_RULES, BodyRule


def on_body(operation: Operation, rule: BodyRule) -> Check:
    """Wrap a body rule as a check of the 200 answers of one operation."""

    def check(ctx: CheckContext, exchange: Exchange) -> None:
        if exchange.operation != operation or exchange.status != 200:
            return
        try:
            body = exchange.json()
        except ValueError:
            return
        if isinstance(body, dict):
            rule(body)

    check.__name__ = rule.__name__
    check.__doc__ = rule.__doc__
    return check


BODY_CHECKS: Mapping[str, Check] = {
    **{rule_id: on_body("view", rule) for rule_id, rule in MAILING_RULES.items()},
    **{rule_id: on_body("index", rule) for rule_id, rule in INDEX_RULES.items()},
}
