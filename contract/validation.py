"""Bodies against the document's schemas: jsonschema_rs decides at native speed, Python's jsonschema explains.

A valid body costs one native pass (the large index of 100,000 mailings: 20 ms, where Python's jsonschema
takes seconds and would eat a run's budget); only an invalid one is validated again by jsonschema, whose
errors carry the paths and keywords the report shows. Should the two engines disagree on a body, the
native engine's reasons are reported, in jsonschema's shape.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import jsonschema_rs
from jsonschema.exceptions import ValidationError

from contract.spec import Contract

__all__ = ["BodyValidator"]


class BodyValidator:
    """The schema at a JSON pointer into the document, compiled for jsonschema_rs and for jsonschema."""

    def __init__(self, contract: Contract, pointer: str) -> None:
        self.contract = contract
        self.pointer = pointer
        # The whole document is the root resource, so every $ref inside it resolves; a URI fragment must
        # escape what a JSON pointer may hold (`{id}`).
        root = {**contract.document, "$ref": "#" + quote(pointer, safe="/~")}
        self._fast = jsonschema_rs.Draft202012Validator(root)
        self._slow: Any = None

    def is_valid(self, body: Any) -> bool:
        """Whether the body is valid (one native pass)."""
        return bool(self._fast.is_valid(body))

    def errors(self, body: Any) -> list[ValidationError]:
        """Return the body's schema errors: none for a valid body; jsonschema's, else the native engine's."""
        if self._fast.is_valid(body):
            return []
        if self._slow is None:
            self._slow = self.contract.validator(self.pointer)
        found: list[ValidationError] = list(self._slow.iter_errors(body))
        if found:
            return found
        return [
            ValidationError(error.message, path=list(error.instance_path), instance=error.instance)
            for error in self._fast.iter_errors(body)
        ]
