"""The API's blueprint: one route per operation of the document, and the app's error handlers."""

from __future__ import annotations

import logging
import re

from flask import Blueprint, Response, request
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as BaseResponse

from contract.spec import Contract
from mockserver.control.api import common as control_api
from mockserver.errors import ConfigError, ControlError
from mockserver.http.answers import ANSWERS, ENDPOINTS
from mockserver.http.context import mock_state
from mockserver.http.delivery import view_of
from mockserver.http.problems import ApiProblem, error_body
from mockserver.http.render import render

__all__ = ["INTERNAL_ERROR", "api_blueprint"]

# Texts the document does not give (it documents no 405 or 500); the mock's own, in the API's shape.
INTERNAL_ERROR = "Internal error (mock)"
_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
logger = logging.getLogger(__name__)


def api_blueprint(contract: Contract) -> Blueprint:
    """Build the API blueprint: one route per operation of the document, and the app's error handlers."""
    bp = Blueprint("api", __name__)
    for path, item in contract.document["paths"].items():
        for method, operation in item.items():
            if method not in _METHODS:
                continue
            operation_id = operation["operationId"]
            if operation_id not in ANSWERS:
                raise ConfigError(
                    f"the contract documents {operation_id} ({method.upper()} {path}); the mock has no answer"
                )
            rule = re.sub(r"\{(\w+)\}", r"<\1>", path)
            view = view_of(ANSWERS[operation_id], ENDPOINTS[operation_id], path)
            bp.add_url_rule(rule, operation_id, view, methods=[method.upper()])
    bp.app_errorhandler(HTTPException)(_http_error)
    bp.app_errorhandler(ControlError)(_control_error)
    bp.app_errorhandler(Exception)(_internal_error)
    return bp


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
