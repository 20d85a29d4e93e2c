"""CORS for browser apps on the API: the echoed Origin with credentials (or a list of origins), preflights.

A frontend that sends cookies or `credentials: 'include'` (axios `withCredentials`) needs its own origin
echoed with `Access-Control-Allow-Credentials: true`: browsers refuse `*` with credentials. That is the
default; SENDSTAT_CORS_ORIGINS (`--cors-origin`) restricts it to given origins, and turning credentials
off gives the plain `*`. The control API under /__mock/ never gets this CORS: it keeps its own, narrower one
(mockserver.control.api.blueprint), so a page on another site cannot switch the mock through a browser.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, request

from contract.spec import Contract
from mockserver.control.api.common import is_control_path
from mockserver.errors import ConfigError
from mockserver.http.auth import api_key_header
from mockserver.names import FAULT_HEADER, SCENARIO_RESPONSE_HEADER, SESSION_HEADER, WARNING_HEADER

__all__ = ["ALLOWED_METHODS", "EXPOSED_HEADERS", "READS", "Cors", "allowed_origins", "init_app"]

_ORIGIN = re.compile(r"^[a-z][a-z0-9+.-]*://[^/?#\s]+$")
# The request headers an API answer's CORS headers depend on (the fast path keys answers by them); a
# preflight reads Access-Control-Request-* too, but preflights are never kept.
READS = ("Origin",)
# The API is read-only.
ALLOWED_METHODS = "GET, OPTIONS"
# What a browser app may read of an answer besides the safelisted headers: the mock's own headers.
EXPOSED_HEADERS = ", ".join((WARNING_HEADER, SCENARIO_RESPONSE_HEADER, SESSION_HEADER, FAULT_HEADER))


@dataclass(frozen=True)
class Cors:
    """How the API answers browsers: the request's origin with credentials, or any; which origins; preflights' age."""

    credentials: bool
    max_age: int
    origins: frozenset[str] | None = None  # None: every origin

    @classmethod
    def of(cls, config: Mapping[str, Any]) -> Cors | None:
        """Read SENDSTAT_CORS, _CORS_CREDENTIALS, _CORS_ORIGINS and _CORS_MAX_AGE; None when CORS is off."""
        if not config["SENDSTAT_CORS"]:
            return None
        max_age = config["SENDSTAT_CORS_MAX_AGE"]
        if not isinstance(max_age, int) or isinstance(max_age, bool) or max_age < 0:
            raise ConfigError(f"SENDSTAT_CORS_MAX_AGE must be a number of seconds, not {max_age!r}")
        origins = allowed_origins(config["SENDSTAT_CORS_ORIGINS"])
        return cls(bool(config["SENDSTAT_CORS_CREDENTIALS"]), max_age, origins)

    def answer_headers(self, origin: str | None) -> list[tuple[str, str]]:
        """Return the CORS headers of an answer (not a preflight) to a request from origin, in order."""
        # An API answer has no Vary of its own: the Origin always shapes what follows.
        found = [("Vary", "Origin")]
        if self.origins is not None and (origin is None or origin.lower() not in self.origins):
            return found  # not an origin the operator allowed: the browser keeps the answer from the page
        if self.credentials and origin:
            found += [("Access-Control-Allow-Origin", origin), ("Access-Control-Allow-Credentials", "true")]
        else:
            found.append(("Access-Control-Allow-Origin", "*"))
        found.append(("Access-Control-Expose-Headers", EXPOSED_HEADERS))
        return found


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
        """Grant the request's origin (with credentials) or any origin, and expose the mock's headers."""
        if is_control_path(request.path):
            return response
        for name, value in cors.answer_headers(request.headers.get("Origin")):
            response.headers[name] = value
        return response


def allowed_origins(value: object) -> frozenset[str] | None:
    """Read SENDSTAT_CORS_ORIGINS: None (every origin) or origins such as http://localhost:5173, lowercased."""
    if value is None:
        return None
    if not isinstance(value, list | tuple | set | frozenset) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"SENDSTAT_CORS_ORIGINS must be a list of origins, not {value!r}")
    origins = frozenset(str(item).strip().rstrip("/").lower() for item in value)
    bad = sorted(o for o in origins if not _ORIGIN.match(o))
    if bad:
        raise ConfigError(f"SENDSTAT_CORS_ORIGINS: not an origin (scheme://host[:port]): {bad[0]!r}")
    return origins
