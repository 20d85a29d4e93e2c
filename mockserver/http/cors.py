"""CORS for browser apps: `*` (or the echoed Origin with credentials), preflight, exposed warnings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, request

from contract.spec import Contract
from mockserver.control.api.common import is_control_path
from mockserver.errors import ConfigError
from mockserver.http.auth import api_key_header
from mockserver.names import FAULT_HEADER, SCENARIO_RESPONSE_HEADER, WARNING_HEADER

__all__ = ["ALLOWED_METHODS", "EXPOSED_HEADERS", "READS", "Cors", "init_app"]

# The request headers an API answer's CORS headers depend on (the fast path keys answers by them); a
# preflight reads Access-Control-Request-* too, but preflights are never kept.
READS = ("Origin",)
# The API is read-only.
ALLOWED_METHODS = "GET, OPTIONS"
# What a browser app may read of an answer besides the safelisted headers: the mock's own headers.
EXPOSED_HEADERS = ", ".join((WARNING_HEADER, SCENARIO_RESPONSE_HEADER, FAULT_HEADER))


@dataclass(frozen=True)
class Cors:
    """How the API answers browsers: echo the Origin with credentials, or allow any; how long a preflight lasts."""

    credentials: bool
    max_age: int

    @classmethod
    def of(cls, config: Mapping[str, Any]) -> Cors | None:
        """Read SENDSTAT_CORS, _CORS_CREDENTIALS and _CORS_MAX_AGE; None when CORS is off."""
        if not config["SENDSTAT_CORS"]:
            return None
        max_age = config["SENDSTAT_CORS_MAX_AGE"]
        if not isinstance(max_age, int) or isinstance(max_age, bool) or max_age < 0:
            raise ConfigError(f"SENDSTAT_CORS_MAX_AGE must be a number of seconds, not {max_age!r}")
        return cls(bool(config["SENDSTAT_CORS_CREDENTIALS"]), max_age)

    def answer_headers(self, origin: str | None) -> list[tuple[str, str]]:
        """Return the CORS headers of an answer (not a preflight) to a request from origin, in order."""
        if self.credentials and origin:
            allowed = [("Access-Control-Allow-Origin", origin), ("Access-Control-Allow-Credentials", "true")]
            allowed.append(("Vary", "Origin"))
        else:
            allowed = [("Access-Control-Allow-Origin", "*")]
        allowed.append(("Access-Control-Expose-Headers", EXPOSED_HEADERS))
        return allowed


def init_app(app: Flask, contract: Contract) -> None:
    """Add CORS headers to every answer and answer preflights; off when SENDSTAT_CORS is false.

    The control API (/__mock/) is left to its own, narrower CORS (mockserver.control.api.common).
    """
    cors = Cors.of(app.config)
    if cors is None:
        return
    base_headers = (api_key_header(contract), "Content-Type")

    @app.before_request
    def preflight() -> Response | None:
        """Answer a CORS preflight to a known path with 204, before authentication."""
        if request.method != "OPTIONS" or "Access-Control-Request-Method" not in request.headers:
            return None
        if request.url_rule is None or is_control_path(request.path):
            return None
        requested = [name.strip() for name in request.headers.get("Access-Control-Request-Headers", "").split(",")]
        # Header names are case-insensitive: list each once, as the client spelled it first.
        allowed: dict[str, str] = {}
        for name in [*requested, *base_headers]:
            if name:
                allowed.setdefault(name.lower(), name)
        response = Response(status=204)
        response.headers.remove("Content-Type")
        response.headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
        response.headers["Access-Control-Allow-Headers"] = ", ".join(allowed.values())
        response.headers["Access-Control-Max-Age"] = str(cors.max_age)
        return response

    @app.after_request
    def cors_headers(response: Response) -> Response:
        """Allow any origin (the echoed Origin when credentials are on) and expose the mock's headers."""
        if is_control_path(request.path):
            return response
        for name, value in cors.answer_headers(request.headers.get("Origin")):
            # An API answer has no Vary of its own: setting it is what response.vary.add would do.
            response.headers[name] = value
        return response
