"""The API: a blueprint with the document's two operations, their answers, and the one error handler."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from itertools import islice
from typing import Any

from flask import Blueprint, Response, g, request
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as BaseResponse

from contract.spec import ApiError, Contract
from mockserver.app import MockState, mock_state
from mockserver.auth import documented_body
from mockserver.control import api as control_api
from mockserver.control.behaviour import Scene
from mockserver.control.errors import ControlError
from mockserver.control.hooks import selection
from mockserver.errors import ConfigError
from mockserver.fields import read_fields
from mockserver.model import MailingSource
from mockserver.phpjson import PhpJsonFlag, encode
from mockserver.request_rules import (
    WARNING_HEADER,
    Query,
    read_path_id,
    sort_field_warnings,
    unknown_parameter_warnings,
)

__all__ = [
    "CONTENT_TYPE",
    "STREAM_FROM",
    "Answer",
    "ApiProblem",
    "Listing",
    "api_blueprint",
    "documented_error",
    "index_answer",
    "render",
    "view_answer",
]

CONTENT_TYPE = "application/json; charset=UTF-8"
# Texts the document does not give (it documents no 405 or 500); the mock's own, in the API's shape.
INTERNAL_ERROR = "Internal error (mock)"
LIST, VIEW = "listSendStatistics", "viewSendStatistics"
# The scenario format names the two operations by these endpoint keys (latency and faults).
ENDPOINTS = {LIST: "index", VIEW: "view"}
_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
# An index of more mailings than this streams: encoded a chunk of entries at a time as it is sent, so the
# first byte leaves at once and no list of every entry is built (the large scenario lists 100,000).
STREAM_FROM = 2000
_CHUNK = 1000
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Answer:
    """An answer: status, body as plain data (None: no body), warnings, and "forced" for a scenario's fault."""

    status: int
    body: Any
    warnings: tuple[str, ...] = ()
    fault: str | None = None


@dataclass(frozen=True)
class Listing:
    """The index's body, {"statistics": [{"id", "letter_title"}, ...]}, encoded as it is sent."""

    source: MailingSource
    ids: Sequence[int]

    def chunks(self, flags: PhpJsonFlag, size: int = _CHUNK) -> Iterator[bytes]:
        """Yield the bytes encode() gives the whole body, a few entries at a time."""
        yield b'{"statistics":['
        ids, first = iter(self.ids), True
        while batch := list(islice(ids, size)):
            entries = [{"id": mailing_id, "letter_title": self.source.title(mailing_id)} for mailing_id in batch]
            # A PHP list prints as [a,b,...]: its inside is the entries joined by commas.
            yield (b"" if first else b",") + encode(entries, flags)[1:-1]
            first = False
        yield b"]}"


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


def index_answer(state: MockState, scene: Scene, query: Query, *, preferred: int | None = None) -> Answer:
    """List the account's mailings by id, ascending; an empty account gets the scenario's empty answer.

    preferred: a code the client prefers (Prefer: code=200 lists an empty account as 200).
    """
    warnings = [*_query_warnings(state, query, LIST), *sort_field_warnings(query, state.contract.sortable_fields)]
    source = scene.source
    ids = source.ids()
    empty_status = preferred if preferred in (200, 204) else scene.behaviour.empty_index_status
    if not ids and empty_status == 204:
        return Answer(204, None, tuple(warnings))
    # ids() is ascending by the MailingSource contract, the order the document promises.
    if len(ids) > STREAM_FROM:
        return Answer(200, Listing(source, ids), tuple(warnings))
    statistics = [{"id": mailing_id, "letter_title": source.title(mailing_id)} for mailing_id in ids]
    return Answer(200, {"statistics": statistics}, tuple(warnings))


def view_answer(state: MockState, scene: Scene, query: Query, segment: str, *, preferred: int | None = None) -> Answer:
    """Answer one mailing's requested sections; a bad `fields` is 400, an unknown id 404.

    A scenario's forced answer for the id comes first, whatever the request, unless a code is preferred.
    """
    contract = state.contract
    warnings = _query_warnings(state, query, VIEW)
    mailing_id, id_warnings = read_path_id(segment)
    warnings += id_warnings
    forcing = None
    if preferred is None and mailing_id is not None:
        forcing = scene.behaviour.scenario.forced.get(mailing_id)
    if forcing is not None and (forcing.status != 200 or forcing.body is not None):
        body = forcing.body if forcing.body is not None else documented_error(contract, forcing.status)
        return Answer(forcing.status, body, tuple(warnings), "forced" if forcing.fault else None)
    choice = read_fields(query, contract.field_names, contract.default_fields)
    warnings += choice.warnings
    # Decision: `fields` is judged before the id is looked up (it needs no database), so a bad `fields`
    # on an unknown id is 400; the seed does not say which comes first.
    if choice.names is None:
        raise ApiProblem(contract.invalid_fields.status, error_body(contract.invalid_fields), warnings)
    mailing = scene.source.mailing(mailing_id) if mailing_id is not None else None
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
    from mockserver.control.delivery import view_of

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
            view = view_of(_ANSWERS[operation_id], ENDPOINTS[operation_id], path)
            bp.add_url_rule(rule, operation_id, view, methods=[method.upper()])
    bp.app_errorhandler(HTTPException)(_http_error)
    bp.app_errorhandler(ControlError)(_control_error)
    bp.app_errorhandler(Exception)(_internal_error)
    return bp


def render(state: MockState, status: int, body: Any, warnings: Iterable[str] = ()) -> Response:
    """Encode a body the PHP way (the scenario's flags) and attach every warning, one X-Mock-Warning each."""
    chosen = selection()
    flags = chosen.scene.behaviour.json_flags if chosen is not None else state.json_flags
    if isinstance(body, Listing):
        response = Response(body.chunks(flags), status=status)
    else:
        response = Response(b"" if body is None else encode(body, flags), status=status)
    if body is not None:
        response.content_type = CONTENT_TYPE
    else:
        response.headers.remove("Content-Type")
    every = (*(chosen.warnings if chosen else ()), *g.get("sendstat_extra_warnings", ()), *warnings)
    g.sendstat_warnings = every
    if state.warnings:
        # Decision: one header per warning, not one joined header. The sentences hold commas, so a
        # comma-joined list could not be split again; clients that join repeated headers (fetch,
        # requests) still show every sentence, and `curl -i` shows one per line.
        for warning in every:
            response.headers.add(WARNING_HEADER, warning)
    return response


def _http_error(exc: HTTPException) -> BaseResponse:
    """Render any HTTP error as the API does: the documented body where there is one, else the status name."""
    if control_api.is_control_path(request.path):
        return control_api.handle_error(exc)
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


def _control_error(exc: ControlError) -> BaseResponse:
    """Render the mock's own refusal of an API request (an unknown scenario) in the API's error shape."""
    if control_api.is_control_path(request.path):
        return control_api.handle_error(exc)
    return render(mock_state(), exc.status, exc.body())


def _internal_error(exc: Exception) -> Response:
    """Log an unexpected exception and answer a JSON 500, never a traceback."""
    logger.exception("unexpected error answering %s %s", request.method, request.full_path)
    return render(mock_state(), 500, {"message": INTERNAL_ERROR})
