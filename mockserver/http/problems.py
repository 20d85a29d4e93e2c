"""Error answers in the API's own shape: the documented bodies, and the exception that carries one."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from http import HTTPStatus
from typing import Any

from werkzeug.exceptions import HTTPException

from contract.spec import ApiError, Contract
from mockserver.errors import ConfigError

__all__ = ["ApiProblem", "documented_body", "documented_error", "error_body"]


class ApiProblem(HTTPException):
    """An error answer in the API's own shape, with the warnings gathered so far."""

    def __init__(self, status: int, body: Mapping[str, Any], warnings: Iterable[str] = ()) -> None:
        super().__init__()
        self.code = status
        self.body = dict(body)
        self.warnings = tuple(warnings)


def error_body(error: ApiError) -> dict[str, Any]:
    """Return a documented error's body: code (where the document gives one), then message."""
    return {"code": error.code, "message": error.message} if error.code is not None else {"message": error.message}


def documented_body(contract: Contract, status: int) -> dict[str, Any]:
    """Return the first example body of a documented error status (401, 403) of any operation."""
    for item in contract.document["paths"].values():
        response = item.get("get", {}).get("responses", {}).get(str(status))
        if response is None:
            continue
        if "$ref" in response:
            response = contract.document["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
        examples = response["content"]["application/json"]["examples"]
        body: dict[str, Any] = dict(next(iter(examples.values()))["value"])
        return body
    raise ConfigError(f"the contract documents no {status} answer")


def documented_error(contract: Contract, status: int) -> dict[str, Any]:
    """Return the document's body for an error status (400, 401, 403, 404), else {"message": reason}."""
    for error in (contract.invalid_fields, contract.not_found):
        if status == error.status:
            return error_body(error)
    try:
        return documented_body(contract, status)
    except ConfigError:
        pass
    try:
        return {"message": HTTPStatus(status).phrase}
    except ValueError:
        return {"message": f"Status {status}"}
