"""The API: a blueprint with the document's two operations, their answers, and the one error handler."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, request
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as BaseResponse

from contract.spec import ApiError, Contract
from mockserver.app import MockState, mock_state
from mockserver.errors import ConfigError
from mockserver.fields import read_fields
from mockserver.phpjson import encode
from mockserver.request_rules import (
    WARNING_HEADER,
    Query,
    read_path_id,
    sort_field_warnings,
    unknown_parameter_warnings,
)

__all__ = ["CONTENT_TYPE", "Answer", "ApiProblem", "api_blueprint", "index_answer", "view_answer"]

CONTENT_TYPE = "application/json; charset=UTF-8"
# Texts the document does not give (it documents no 405 or 500); the mock's own, in the API's shape.
INTERNAL_ERROR = "Internal error (mock)"
LIST, VIEW = "listSendStatistics", "viewSendStatistics"
_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Answer:
    """A successful answer: status, body as plain data (None: no body), warnings."""

    status: int
    body: Any
    warnings: tuple[str, ...] = ()


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


def index_answer(state: MockState, query: Query) -> Answer:
    """List the account's mailings by id, ascending; an empty account gets the configured empty answer."""
    warnings = [*_query_warnings(state, query, LIST), *sort_field_warnings(query, state.contract.sortable_fields)]
    source = state.source
    ids = source.ids()
    if not ids and state.empty_index_status == 204:
        return Answer(204, None, tuple(warnings))
    # ids() is ascending by the MailingSource contract, the order the document promises.
    statistics = [{"id": mailing_id, "letter_title": source.title(mailing_id)} for mailing_id in ids]
    return Answer(200, {"statistics": statistics}, tuple(warnings))


def view_answer(state: MockState, query: Query, segment: str) -> Answer:
    """Answer one mailing's requested sections; a bad `fields` is 400, an unknown id 404."""
    contract = state.contract
    warnings = _query_warnings(state, query, VIEW)
    mailing_id, id_warnings = read_path_id(segment)
    choice = read_fields(query, contract.field_names, contract.default_fields)
    warnings += [*id_warnings, *choice.warnings]
    # Decision: `fields` is judged before the id is looked up (it needs no database), so a bad `fields`
    # on an unknown id is 400; the seed does not say which comes first.
    if choice.names is None:
        raise ApiProblem(contract.invalid_fields.status, error_body(contract.invalid_fields), warnings)
    mailing = state.source.mailing(mailing_id) if mailing_id is not None else None
    if mailing is None:
        raise ApiProblem(contract.not_found.status, error_body(contract.not_found), warnings)
    return Answer(200, {name: mailing.section(name) for name in choice.names}, tuple(warnings))


def _query_warnings(state: MockState, query: Query, operation_id: str) -> list[str]:
    documented = frozenset().union(*state.query_parameters.values())
    known = state.query_parameters[operation_id]
    return [*query.warnings(), *unknown_parameter_warnings(query, known, documented)]


_ANSWERS: dict[str, Callable[..., Answer]] = {LIST: index_answer, VIEW: view_answer}


def api_blueprint(contract: Contract) -> Blueprint:
    """Build the API blueprint: one route per operation of the document, and the app's error handlers."""
    bp = Blueprint("api", __name__)
    for path, item in contract.document["paths"].items():
        for method, operation in item.items():
            if method not in _METHODS:
                continue
            operation_id = operation["operationId"]
            if operation_id not in _ANSWERS:
                raise ConfigError(
                    f"the contract documents {operation_id} ({method.upper()} {path}); the mock has no answer"
                )
            rule = re.sub(r"\{(\w+)\}", r"<\1>", path)
            bp.add_url_rule(rule, operation_id, _view(_ANSWERS[operation_id]), methods=[method.upper()])
    bp.app_errorhandler(HTTPException)(_http_error)
    bp.app_errorhandler(Exception)(_internal_error)
    return bp


def _view(answer: Callable[..., Answer]) -> Callable[..., Response]:
    """Wrap an answer function as a Flask view: read the request, answer, encode."""

    def view(**path: str) -> Response:
        state = mock_state()
        result = answer(state, Query.parse(request.query_string), *path.values())
        return render(state, result.status, result.body, result.warnings)

    view.__name__ = answer.__name__
    return view


def render(state: MockState, status: int, body: Any, warnings: Iterable[str] = ()) -> Response:
    """Encode a body the PHP way and attach the warnings, one X-Mock-Warning header each."""
    response = Response(b"" if body is None else encode(body, state.json_flags), status=status)
    if body is not None:
        response.content_type = CONTENT_TYPE
    else:
        response.headers.remove("Content-Type")
    if state.warnings:
        # Decision: one header per warning, not one joined header. The sentences hold commas, so a
        # comma-joined list could not be split again; clients that join repeated headers (fetch,
        # requests) still show every sentence, and `curl -i` shows one per line.
        for warning in warnings:
            response.headers.add(WARNING_HEADER, warning)
    return response


def _http_error(exc: HTTPException) -> BaseResponse:
    """Render any HTTP error as the API does: the documented body where there is one, else the status name."""
    if exc.code is None or exc.code < 400:
        return exc.get_response()
    state = mock_state()
    if isinstance(exc, ApiProblem):
        return render(state, exc.code, exc.body, exc.warnings)
    body = error_body(state.contract.not_found) if exc.code == 404 else {"message": exc.name}
    response = render(state, exc.code, body)
    for name, value in exc.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def _internal_error(exc: Exception) -> Response:
    """Log an unexpected exception and answer a JSON 500, never a traceback."""
    logger.exception("unexpected error answering %s %s", request.method, request.full_path)
    return render(mock_state(), 500, {"message": INTERNAL_ERROR})
