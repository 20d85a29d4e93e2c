"""What the control API's routes share: the runtime and token of the app, JSON in and out, its errors.

Every answer is JSON and documented in mockserver/data/control-openapi.yaml.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Response, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from mockserver.control.runtime import Runtime
from mockserver.errors import ControlError

__all__ = [
    "EXTENSION",
    "PREFIX",
    "handle_error",
    "is_control_path",
    "json_body",
    "reply",
    "runtime",
    "token",
]

PREFIX = "/__mock"
EXTENSION = "sendstat.control"
_MAX_BODY = 64 * 1024


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
