"""Rules across requests: the index agrees with the details, and repeated requests agree with each other."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from contract.checks.context import CheckContext
from contract.errors import RuleViolation
from contract.exchange import Exchange

CrossCheck = Callable[[CheckContext, Sequence[Exchange]], None]
SHOWN = 5


class CrossViolation(RuleViolation):
    """A violation of a rule across requests, with one exchange that shows it."""

    def __init__(self, rule_id: str, title: str, message: str, *, example: Exchange | None) -> None:
        super().__init__(rule_id, title, message)
        self.example = example


def index_detail_agree(ctx: CheckContext, exchanges: Sequence[Exchange]) -> None:
    """Every id the index lists has a detail (200) whose id is that id."""
    views: dict[str, list[Exchange]] = defaultdict(list)
    for exchange in exchanges:
        reading = ctx.reading(exchange)
        if exchange.authenticated and reading is not None and not reading.invalid and exchange.segment:
            views[exchange.segment].append(exchange)
    problems: list[tuple[Exchange, str]] = []
    for mailing_id in ctx.account.listed:
        tried = views.get(str(mailing_id), [])
        answered = [exchange for exchange in tried if exchange.status == 200]
        if tried and not answered:
            problems.append((tried[0], f"id {mailing_id}: {tried[0].status}"))
            continue
        for exchange in answered:
            body = _json(exchange)
            if isinstance(body, dict) and "id" in body and body["id"] != mailing_id:
                problems.append((exchange, f"id {mailing_id}: the detail says id {body['id']!r}"))
                break
    if problems:
        shown = "; ".join(text for _, text in problems[:SHOWN])
        more = f" (and {len(problems) - SHOWN} more)" if len(problems) > SHOWN else ""
        raise CrossViolation(
            "index-detail-agree",
            "Listed mailings have no matching detail",
            f"Received: {shown}{more} ({len(problems)} of {len(ctx.account.listed)} listed). "
            "Documented: every listed id answers 200 with that id.",
            example=problems[0][0],
        )


def deterministic_answers(ctx: CheckContext, exchanges: Sequence[Exchange]) -> None:
    """Two identical view requests answered 200 give the same body."""
    bodies: dict[str, list[tuple[Exchange, Any]]] = defaultdict(list)
    for exchange in exchanges:
        if exchange.operation == "view" and exchange.status == 200 and exchange.authenticated:
            body = _json(exchange)
            if body is not None:
                bodies[exchange.url].append((exchange, body))
    for answers in bodies.values():
        first_exchange, first = answers[0]
        for _, other in answers[1:]:
            if other != first:
                where = _first_difference(first, other)
                raise CrossViolation(
                    "deterministic-answers",
                    "The same request got different answers",
                    f"Received: {first_exchange.describe()} answered {where}. "
                    "Documented (inferred): a finished mailing's statistics no longer change.",
                    example=first_exchange,
                )


def _json(exchange: Exchange) -> Any:
    try:
        return exchange.json()
    except ValueError:
        return None


def _first_difference(first: Any, second: Any, path: str = "") -> str:
    if isinstance(first, dict) and isinstance(second, dict):
        for key in sorted(set(first) | set(second)):
            if first.get(key, ...) != second.get(key, ...):
                return _first_difference(first.get(key), second.get(key), f"{path}/{key}")
    before, after = (json.dumps(value, ensure_ascii=False)[:60] for value in (first, second))
    return f"{path or '/'} = {before} then {after}"


CROSS_CHECKS: Mapping[str, CrossCheck] = {
    "index-detail-agree": index_detail_agree,
    "deterministic-answers": deterministic_answers,
}
