"""The body of one exchange against the documented schema, validated with Python `jsonschema`.

schemathesis validates every response with its own engine; this second validation must agree with it
(the engine module reports a disagreement), and names undocumented keys plainly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from jsonschema.exceptions import ValidationError, best_match

from contract.checks.context import CheckContext
from contract.checks.http import documented_response, template
from contract.errors import RuleViolation
from contract.exchange import Exchange

JSON = "application/json"
UNEXPECTED = re.compile(r"\('(.+)' (?:was|were) unexpected\)")
SHOWN_ERRORS = 3


def schema_errors(ctx: CheckContext, exchange: Exchange) -> list[ValidationError] | None:
    """The schema errors of a JSON body (None when no JSON body is documented or the body is not JSON)."""
    response = documented_response(ctx, exchange)
    path = template(exchange)
    if response is None or path is None or JSON not in response.get("content", {}):
        return None
    try:
        body = exchange.json()
    except ValueError:
        return None
    validator = ctx.response_validator(path, exchange.status)
    return sorted(validator.errors(body), key=lambda error: list(error.absolute_path))


def response_schema(ctx: CheckContext, exchange: Exchange) -> None:
    """A documented JSON body is JSON and valid against its schema (undocumented keys named)."""
    response = documented_response(ctx, exchange)
    if response is None or JSON not in response.get("content", {}):
        return
    try:
        exchange.json()
    except ValueError as exc:
        shown = f"'{exchange.body_text(80)}'" if exchange.body else "an empty body"
        raise RuleViolation(
            "response-schema",
            f"{exchange.operation} {exchange.status} body is not JSON",
            f"Received: {shown} ({exc}). Documented: a JSON body ({response.get('description', '').strip()}).",
        ) from None
    errors = schema_errors(ctx, exchange) or []
    if not errors:
        return
    undocumented = sorted(_undocumented_keys(errors))
    title = f"{exchange.operation} {exchange.status} body violates the documented schema"
    if undocumented:
        title = f"{exchange.operation} {exchange.status} body has undocumented keys: {', '.join(undocumented)}"
    lines = [_describe(error) for error in errors[:SHOWN_ERRORS]]
    more = f" (and {len(errors) - SHOWN_ERRORS} more)" if len(errors) > SHOWN_ERRORS else ""
    main = best_match(errors)
    raise RuleViolation(
        "response-schema",
        title,
        f"Received: {'; '.join(lines)}{more}. Documented: the schema at {_schema_location(main)}.",
    )


def _describe(error: ValidationError) -> str:
    where = "/" + "/".join(str(part) for part in error.absolute_path)
    return f"at {where}: {error.message}"


def _schema_location(error: ValidationError) -> str:
    return "/".join(str(part) for part in error.absolute_schema_path) or "the body"


def _undocumented_keys(errors: Iterable[ValidationError]) -> set[str]:
    found: set[str] = set()
    for error in errors:
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            match = UNEXPECTED.search(error.message)
            if match:
                found.update(key.strip("' ") for key in match.group(1).split(", "))
    return found
