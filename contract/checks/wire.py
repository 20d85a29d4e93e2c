"""Rules of an answer's bytes that decoding hides: every number the seed types int is written as an integer."""

from __future__ import annotations

import json
from typing import Any

from contract.checks.context import CheckContext
from contract.errors import RuleViolation
from contract.exchange import Exchange

__all__ = ["integers_are_integer_literals"]


class _FloatLiteral(float):
    """A JSON number written with a fraction or an exponent, and how it was written."""

    text: str

    def __new__(cls, text: str) -> _FloatLiteral:
        number = super().__new__(cls, text)
        number.text = text
        return number


def integers_are_integer_literals(ctx: CheckContext, exchange: Exchange) -> None:
    """Every number of a JSON answer is an integer literal: the seed types them all int (no `1101.0`, no `1e3`).

    JSON Schema's `integer` admits 1101.0, so the schema cannot tell; typed clients (Go, Java, TypeScript
    decoders with integer types) refuse it, and PHP never writes it for an int.
    """
    if exchange.operation is None or "json" not in exchange.media_type:
        return
    try:
        body = json.loads(exchange.body.decode("utf-8"), parse_float=_FloatLiteral)
    except (UnicodeDecodeError, ValueError):
        return  # not JSON: the schema check says so
    found = _first_float(body)
    if found is not None:
        where, literal = found
        raise RuleViolation(
            "integers-are-integer-literals",
            f"A number of the {exchange.operation} answer is not written as an integer",
            f"Received: {where or '/'} = {literal.text} in {exchange.describe()}. "
            "Documented: the seed types ids and counts int, written without a fraction or exponent.",
        )


def _first_float(value: Any) -> tuple[str, _FloatLiteral] | None:
    """Return the JSON pointer and literal of the first number written with a fraction or an exponent."""
    todo: list[tuple[str, Any]] = [("", value)]
    while todo:
        where, item = todo.pop()
        if isinstance(item, _FloatLiteral):
            return where, item
        if isinstance(item, dict):
            todo.extend((f"{where}/{key}", entry) for key, entry in reversed(item.items()))
        elif isinstance(item, list):
            todo.extend((f"{where}/{index}", entry) for index, entry in reversed(list(enumerate(item))))
    return None
