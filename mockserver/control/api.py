"""The control API under /__mock/: the blueprint, its guard, its own CORS, JSON in and out, its errors.

The routes live beside it (api_scenarios, api_sessions, api_clock, api_journal); this module owns what
they share. Every answer is JSON and documented in mockserver/data/control-openapi.yaml.
"""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from mockserver.control import guard
from mockserver.control.errors import ControlError
from mockserver.control.runtime import Runtime

__all__ = [
    "PREFIX",
    "control_blueprint",
    "handle_error",
    "init_app",
    "is_control_path",
    "json_body",
    "reply",
    "runtime",
    "token",
]

PREFIX = "/__mock"
EXTENSION = "sendstat.control"
_METHODS = "GET, PUT, POST, DELETE, OPTIONS"
_MAX_BODY = 64 * 1024


def control_blueprint() -> Blueprint:
    """Build the /__mock/ blueprint with every control route."""
    from mockserver.control import api_clock, api_journal, api_scenarios, api_sessions

    bp = Blueprint("control", __name__, url_prefix=PREFIX)
    bp.before_request(_guard)
    bp.after_request(_cors)
    bp.register_error_handler(ControlError, handle_error)
    bp.add_url_rule("/openapi.yaml", "openapi", _openapi)
    for module in (api_scenarios, api_sessions, api_clock, api_journal):
        module.register(bp)
    return bp


def init_app(app: Flask, control: Runtime, control_token: str | None) -> None:
    """Keep the runtime and token for the control routes and register the blueprint."""
    app.extensions[EXTENSION] = (control, control_token)
    app.register_blueprint(control_blueprint())


def runtime() -> Runtime:
    """Return the control runtime of the current app."""
    found: Runtime = current_app.extensions[EXTENSION][0]
    return found


def token() -> str | None:
    """Return the configured control token, if any."""
    found: str | None = current_app.extensions[EXTENSION][1]
    return found


def reply(body: Any, status: int = 200) -> Response:
    """Answer JSON."""
    response = jsonify(body)
    response.status_code = status
    return response


def json_body(*allowed: str) -> dict[str, Any]:
    """Return the request's JSON object (empty without a body), refusing other types and unknown keys."""
    if (request.content_length or 0) > _MAX_BODY:
        raise ControlError(f"the body is larger than {_MAX_BODY} bytes", 413)
    raw = request.stream.read(_MAX_BODY + 1)
    if len(raw) > _MAX_BODY:
        raise ControlError(f"the body is larger than {_MAX_BODY} bytes", 413)
    if not raw:
        return {}
    # A JSON content type cannot be sent cross-site without a preflight, which CORS refuses (guard.py).
    if request.mimetype != "application/json":
        raise ControlError("send the body as JSON with Content-Type: application/json", 415)
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ControlError(f"the body is not valid JSON: {exc}") from None
    if not isinstance(body, dict):
        raise ControlError("the body must be a JSON object")
    unknown = sorted(set(body) - set(allowed))
    if unknown:
        raise ControlError(f"unknown field {unknown[0]!r}", allowed=sorted(allowed))
    return body


def is_control_path(path: str) -> bool:
    """Tell whether a path lies under the control prefix (its errors are the control API's)."""
    return path == PREFIX or path.startswith(PREFIX + "/")


def handle_error(exc: Exception) -> Response:
    """Render a control error, or an HTTP error (404, 405) on a control path, as JSON."""
    if isinstance(exc, ControlError):
        response = reply(exc.body(), exc.status)
        if exc.status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="sendstat mock control"'
        return response
    assert isinstance(exc, HTTPException)
    message = exc.description or exc.name
    if exc.code == 404:
        message = f"no control route {request.path}; see {PREFIX}/openapi.yaml"
    response = reply({"message": message}, exc.code or 500)
    for name, value in exc.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def _guard() -> Response | None:
    """Answer a preflight (it carries no credentials; _cors decides what it grants), then guard the rest."""
    if request.method == "OPTIONS":
        response = Response(status=204)
        response.headers.remove("Content-Type")
        return response
    guard.check(request.remote_addr, request.headers, token())
    return None


def _cors(response: Response) -> Response:
    """Grant CORS to loopback origins, or to any origin when a token guards the API."""
    origin = request.headers.get("Origin")
    response.vary.add("Origin")
    if guard.allowed_origin(origin, token()):
        response.headers["Access-Control-Allow-Origin"] = origin or ""
        response.headers["Access-Control-Allow-Methods"] = _METHODS
        response.headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type"
    return response


def _openapi() -> Response:
    """Serve the control API's own OpenAPI document."""
    text = files("mockserver").joinpath("data/control-openapi.yaml").read_bytes()
    return Response(text, content_type="application/yaml; charset=utf-8")
