"""Optional API-key authentication, as the document's security scheme describes (X-Estis-Auth)."""

from __future__ import annotations

import hmac

from flask import Flask, request

from contract.spec import Contract
from mockserver.errors import ConfigError
from mockserver.http.context import request_notes
from mockserver.http.problems import ApiProblem, documented_body

__all__ = ["api_key_header", "init_app", "reads", "refusal"]


def api_key_header(contract: Contract) -> str:
    """Return the header name of the document's apiKey security scheme."""
    for scheme in contract.document["components"]["securitySchemes"].values():
        if scheme.get("type") == "apiKey" and scheme.get("in") == "header":
            name: str = scheme["name"]
            return name
    raise ConfigError("the contract declares no apiKey security scheme in a header")


def reads(contract: Contract) -> tuple[str, ...]:
    """Return the request headers authentication reads (an answer depends on them: the fast path's key)."""
    return (api_key_header(contract),)


def refusal(keys: tuple[bytes, ...], given: str | None) -> int | None:
    """Return 401 (no key), 403 (a key not configured) or None (allowed) for the API key a request sent."""
    if not keys:
        return None
    # Surrounding whitespace is not part of a header value (RFC 9110, 5.5); servers strip it too.
    sent = (given or "").strip()
    if not sent:
        return 401
    # Compare every key in constant time, so timing does not tell how much of a key matched.
    matches = [hmac.compare_digest(sent.encode("utf-8"), key) for key in keys]
    return None if any(matches) else 403


def init_app(app: Flask, contract: Contract) -> None:
    """Require one of the scenario's keys (or SENDSTAT_AUTH_KEYS) on the API's routes; none: no authentication."""
    header = api_key_header(contract)
    missing, wrong = documented_body(contract, 401), documented_body(contract, 403)

    @app.before_request
    def require_key() -> None:
        """Answer 401 without the header and 403 with a key that is not configured."""
        # Preflight OPTIONS never carries credentials (Fetch standard), so it never needs the key.
        if request.blueprint != "api" or request.method == "OPTIONS":
            return
        chosen = request_notes().selection
        keys = chosen.scene.behaviour.auth_keys if chosen is not None else ()
        if not keys:
            return
        refused = refusal(keys, request.headers.get(header))
        if refused is not None:
            raise ApiProblem(refused, missing if refused == 401 else wrong)
