"""Rules of an answer's bytes that decoding hides: every number the seed types int is written as an integer."""

from __future__ import annotations

from typing import Any

from contract.checks.context import CheckContext
from contract.errors import RuleViolation
from contract.exchange import Exchange

__all__ = ["integers_are_integer_literals"]


def integers_are_integer_literals(ctx: CheckContext, exchange: Exchange) -> None:
    """Every number of a JSON answer is an integer literal: the seed types them all int (no `1101.0`, no `1e3`).

    JSON Schema's `integer` admits 1101.0, so the schema cannot tell; typed clients (Go, Java, TypeScript
    decoders with integer types) refuse it, and PHP never writes it for an int. Python's JSON decoder keeps the
    difference (a literal with a fraction or an exponent decodes to a float), so the decoded body tells.
    """
    if exchange.operation is None or "json" not in exchange.media_type:
        return
    try:
        body = exchange.json()
    except ValueError:
        return  # not JSON: the schema check says so
    found = _first_float(body)
    if found is not None:
        where, number = found
        raise RuleViolation(
            "integers-are-integer-literals",
            f"A number of the {exchange.operation} answer is not written as an integer",
            f"Received: {where or '/'} = {number!r} (a literal with a fraction or an exponent) in "
            f"{exchange.describe()}. Documented: the seed types ids and counts int, written as integers.",
        )


def _first_float(value: Any) -> tuple[str, float] | None:
    """Return the JSON pointer and value of the first number that decoded as a float."""
    todo: list[tuple[str, Any]] = [("", value)]
    while todo:
        where, item = todo.pop()
        if isinstance(item, float):
            return where, item
        if isinstance(item, dict):
            todo.extend((f"{where}/{key}", entry) for key, entry in reversed(item.items()))
        elif isinstance(item, list):
            todo.extend((f"{where}/{index}", entry) for index, entry in reversed(list(enumerate(item))))
    return None
