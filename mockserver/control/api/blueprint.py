"""The /__mock/ blueprint: every control route, its guard, and its own CORS (narrower than the API's)."""

from __future__ import annotations

from importlib.resources import files

from flask import Blueprint, Flask, Response, request

from mockserver.control import guard
from mockserver.control.api import clock_routes, journal_routes, scenarios_routes, sessions_routes
from mockserver.control.api.common import EXTENSION, PREFIX, handle_error, runtime, token
from mockserver.control.runtime import Runtime
from mockserver.errors import ControlError

__all__ = ["control_blueprint", "init_app"]

_METHODS = "GET, PUT, POST, DELETE, OPTIONS"


def control_blueprint() -> Blueprint:
    """Build the /__mock/ blueprint with every control route."""
    bp = Blueprint("control", __name__, url_prefix=PREFIX)
    bp.before_request(_guard)
    bp.after_request(_cors)
    bp.register_error_handler(ControlError, handle_error)
    bp.add_url_rule("/openapi.yaml", "openapi", _openapi)
    for module in (scenarios_routes, sessions_routes, clock_routes, journal_routes):
        module.register(bp)
    return bp


def init_app(app: Flask, control: Runtime, control_token: str | None) -> None:
    """Keep the runtime and token for the control routes and register the blueprint."""
    app.extensions[EXTENSION] = (control, control_token)
    app.register_blueprint(control_blueprint())


def _guard() -> Response | None:
    """Answer a preflight (it carries no credentials; _cors decides what it grants), then guard the rest.

    While the shared state cannot be reached, every call but the document's is a 503 saying why.
    """
    if request.method == "OPTIONS":
        response = Response(status=204)
        response.headers.remove("Content-Type")
        return response
    guard.check(request.remote_addr, request.headers, token())
    if request.endpoint != "control.openapi":
        runtime().require_state()
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
