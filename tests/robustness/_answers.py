"""Judges an answer of the mock against openapi.yaml: a JSON body of a documented status must validate."""

from __future__ import annotations

import json

from contract.spec import Contract

__all__ = ["INDEX", "VIEW", "assert_valid_answer"]

INDEX = "/mailer/sendstatistics"
VIEW = "/mailer/sendstatistics/{id}"


def assert_valid_answer(
    contract: Contract, status: int, content_type: str | None, body: bytes, path: str | None
) -> None:
    """Fail unless the answer is no server error and its body is what openapi.yaml documents for it.

    path is the operation's path template, or None for a request that matches no operation: its error
    body must then have the API's error shape (a 404 the documented NotFound body).
    """
    assert status < 500, f"server error {status}: {body[:300]!r}"
    if not body:
        return
    assert content_type is not None, f"{status} with a body but no Content-Type"
    assert content_type.startswith("application/json"), f"{status} answered {content_type!r}"
    document = json.loads(body)
    if path is not None and status in contract.documented_statuses(path):
        contract.response_validator(path, status).validate(document)
    elif status == 404:
        contract.response_validator(VIEW, 404).validate(document)
    else:
        assert status >= 400, f"undocumented success {status}"
        contract.component_validator("Error").validate(document)
