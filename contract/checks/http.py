"""HTTP-level checks of one exchange: the status the document expects, the media type it documents."""

from __future__ import annotations

from typing import Any

from contract.checks.context import CheckContext
from contract.errors import RuleViolation
from contract.exchange import INDEX_PATH, VIEW_PATH, Exchange
from contract.expect import expect


def template(exchange: Exchange) -> str | None:
    """The documented path template of the exchange's operation."""
    return {"index": INDEX_PATH, "view": VIEW_PATH}.get(exchange.operation or "")


def documented_response(ctx: CheckContext, exchange: Exchange) -> dict[str, Any] | None:
    """The documented response object (with $ref resolved) for the exchange's status, if any."""
    path = template(exchange)
    if path is None:
        return None
    try:
        response = ctx.contract.response(path, exchange.status)
    except KeyError:
        return None
    if "$ref" in response:
        name = response["$ref"].rsplit("/", 1)[-1]
        resolved: dict[str, Any] = ctx.contract.document["components"]["responses"][name]
        return resolved
    return response


def status_code(ctx: CheckContext, exchange: Exchange) -> None:
    """The status is documented for the operation and is the one this request must get."""
    expectation = expect(exchange, ctx.reading(exchange), ctx.account)
    if expectation is None:
        return
    if exchange.status in expectation.expected:
        return
    wanted = ", ".join(str(status) for status in sorted(expectation.expected))
    message = f"Received: {exchange.status} for {exchange.describe()}. Documented: {wanted} ({expectation.reason})."
    path = template(exchange)
    listed = path is not None and exchange.status in ctx.contract.documented_statuses(path)
    title = f"{exchange.operation} answered {exchange.status} where {wanted} is expected"
    if not listed:
        title = f"{exchange.operation} answered {exchange.status}, a status the document does not list"
    inferred = expectation.inferred if exchange.status in expectation.allowed else None
    raise RuleViolation("status-code", title, message, inferred=inferred)


def content_type(ctx: CheckContext, exchange: Exchange) -> None:
    """A documented body arrives as application/json; a documented empty answer (204) has no body."""
    response = documented_response(ctx, exchange)
    if response is None:
        return
    content = response.get("content")
    if not content:
        if exchange.body.strip():
            raise RuleViolation(
                "content-type",
                f"{exchange.operation} {exchange.status} has a body where none is documented",
                f"Received: {len(exchange.body)} bytes ('{exchange.body_text(80)}'). "
                f"Documented: {exchange.status} with an empty body.",
            )
        return
    if exchange.media_type not in content:
        shown = exchange.headers.get("content-type", "no Content-Type")
        raise RuleViolation(
            "content-type",
            f"{exchange.operation} {exchange.status} is not {' or '.join(content)}",
            f"Received: Content-Type {shown}. Documented: {', '.join(content)}.",
        )
