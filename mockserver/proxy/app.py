"""The proxy's app: the mock's app (journal, UI, CORS, control API) whose API requests go to the target instead.

Every request the mock would journal (the API's paths, and paths no route serves) is forwarded as it came,
judged with the checker's rules, and answered with the target's status, headers and body, with one
X-Contract-Violations header per finding. The mock's own hooks still run around it: CORS as the mock grants
it, and the journal, whose entry lists the findings as its warnings. Nothing of the mock's scenarios answers:
the selection the mock made is dropped before the journal names it.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, Response, request

from contract.bounded import Limits
from contract.errors import UsageError
from contract.exchange import Exchange, flatten_headers
from contract.options import parse_base_url
from contract.php import PhpJsonError, encode
from mockserver.control.api.common import is_control_path
from mockserver.errors import ConfigError
from mockserver.http.app import create_app
from mockserver.http.auth import api_key_header
from mockserver.http.context import request_notes, state_of
from mockserver.proxy.forward import Forwarder, TargetFailed, Upstream, request_headers
from mockserver.proxy.watch import Finding, Watch

__all__ = ["EXTENSION", "PROXY_DEFAULTS", "VIOLATIONS_HEADER", "Proxy", "create_proxy_app"]

EXTENSION = "sendstat.proxy"
VIOLATIONS_HEADER = "X-Contract-Violations"
CONTENT_TYPE = "application/json; charset=UTF-8"
MiB = 1024 * 1024
PROXY_DEFAULTS: dict[str, Any] = {
    # The service the proxy forwards to (http(s)://host[:port][/prefix]); required.
    "SENDSTAT_PROXY_TARGET": None,
    # Headers sent with every forwarded request, winning over the client's (the API key): name -> value.
    "SENDSTAT_PROXY_HEADERS": {},
    # A violating answer (an error finding) becomes a 502 listing the findings.
    "SENDSTAT_PROXY_FAIL_ON_VIOLATION": False,
    # Inferred rules are errors too (as `sendstat check --strict`).
    "SENDSTAT_PROXY_STRICT": False,
    # One forwarded request, connect to last byte, in seconds; and the decoded bytes read of one answer.
    "SENDSTAT_PROXY_TIMEOUT": 10.0,
    "SENDSTAT_PROXY_MAX_BODY": 64 * MiB,
}
# What the mock underneath does in a proxy: no answers of its own kept, no key of its own asked, no warnings.
_MOCK_CONFIG: dict[str, Any] = {
    "SENDSTAT_ANSWER_CACHE_BYTES": 0,
    "SENDSTAT_AUTH_KEYS": (),
    "SENDSTAT_WARNINGS": False,
    "SENDSTAT_SCENARIO": "empty",
    "SENDSTAT_RELOAD_INTERVAL": None,
}
logger = logging.getLogger("sendstat.proxy")


@dataclass(frozen=True)
class ProxySettings:
    """The proxy's SENDSTAT_PROXY_* keys, checked."""

    target: str
    headers: Mapping[str, str] = field(default_factory=dict)
    fail_on_violation: bool = False
    strict: bool = False
    timeout: float = 10.0
    max_body: int = 64 * MiB

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ProxySettings:
        """Read and check the keys; ConfigError names the bad one."""
        target = config["SENDSTAT_PROXY_TARGET"]
        if not isinstance(target, str):
            raise ConfigError("SENDSTAT_PROXY_TARGET: the URL of the service to forward to is required")
        try:
            target = parse_base_url(target)
        except UsageError as exc:
            raise ConfigError(f"SENDSTAT_PROXY_TARGET: {str(exc).removeprefix('--base-url ')}") from None
        headers = config["SENDSTAT_PROXY_HEADERS"]
        if not isinstance(headers, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in headers.items()
        ):
            raise ConfigError("SENDSTAT_PROXY_HEADERS must map header names to values")
        timeout = config["SENDSTAT_PROXY_TIMEOUT"]
        if not isinstance(timeout, int | float) or isinstance(timeout, bool) or not (0 < timeout <= 86400):
            raise ConfigError(f"SENDSTAT_PROXY_TIMEOUT must be seconds > 0 and <= 86400, not {timeout!r}")
        max_body = config["SENDSTAT_PROXY_MAX_BODY"]
        if not isinstance(max_body, int) or isinstance(max_body, bool) or max_body < 1024:
            raise ConfigError(f"SENDSTAT_PROXY_MAX_BODY must be a number of bytes >= 1024, not {max_body!r}")
        return cls(
            target=target,
            headers=dict(headers),
            fail_on_violation=bool(config["SENDSTAT_PROXY_FAIL_ON_VIOLATION"]),
            strict=bool(config["SENDSTAT_PROXY_STRICT"]),
            timeout=float(timeout) if math.isfinite(timeout) else 10.0,
            max_body=max_body,
        )


class Proxy:
    """Forwards an API request, judges the exchange, and builds the client's answer."""

    def __init__(self, settings: ProxySettings, watch: Watch, key_header: str) -> None:
        self.settings = settings
        self.watch = watch
        self.key_header = key_header.lower()
        self.forwarder = Forwarder(settings.target, Limits(settings.timeout, settings.max_body))

    def answer(self) -> Response | None:
        """Answer an API request (GET, HEAD) from the target; None leaves other requests to the mock's app."""
        if is_control_path(request.path) or not (request.blueprint == "api" or request.url_rule is None):
            return None
        if request.method not in ("GET", "HEAD"):
            return None
        notes = request_notes()
        notes.selection = None  # nothing of the mock's scenarios answers here, nor is named in the answer
        target = _raw_target()
        sent = request_headers(request.headers.items(), self.settings.headers)
        shown = f"{request.method} {target}"
        try:
            upstream = self.forwarder.send(request.method, target, sent)
        except TargetFailed as failure:
            logger.error("%s: the target %s gave no answer: %s; answered 502", shown, self.settings.target, failure)
            notes.warnings = (f"the target gave no answer: {failure.reason}",)
            return _json(502, {"message": f"Bad gateway: the target gave no usable answer ({failure.reason})"})
        findings = self.watch.judge(self._exchange(upstream, sent))
        for finding in findings:
            log = logger.error if finding.severity == "error" else logger.warning
            log("%s -> %s: %s", shown, upstream.status, finding.line())
        notes.warnings = tuple(finding.header() for finding in findings)
        errors = [finding for finding in findings if finding.severity == "error"]
        if errors and self.settings.fail_on_violation:
            response = _json(502, _violation_body(upstream, findings))
        else:
            response = _passed_on(upstream)
        for finding in findings:
            response.headers.add(VIOLATIONS_HEADER, finding.header())
        return response

    def _exchange(self, upstream: Upstream, sent: Mapping[str, str]) -> Exchange:
        """The exchange as the checker judges it: authenticated when the API key went along."""
        return Exchange(
            source="proxy",
            method=request.method,
            url=upstream.url,
            request_headers=dict(sent),
            status=upstream.status,
            headers=flatten_headers(dict(upstream.headers)),
            body=upstream.body,
            elapsed=upstream.elapsed,
            base_path=self.forwarder.base_path,
            authenticated=any(name.lower() == self.key_header and value for name, value in sent.items()),
        )


def create_proxy_app(config: Mapping[str, Any]) -> Flask:
    """Build the proxy: the mock's app (SENDSTAT_* keys as for create_app) with its API forwarded to the target."""
    merged = {**PROXY_DEFAULTS, **config}
    settings = ProxySettings.from_config(merged)
    app = create_app({key: value for key, value in merged.items() if key not in PROXY_DEFAULTS} | _MOCK_CONFIG)
    contract = state_of(app.extensions).contract
    proxy = Proxy(settings, Watch(contract, strict=settings.strict), api_key_header(contract))
    app.extensions[EXTENSION] = proxy
    app.before_request(proxy.answer)
    # First in the list, so run last (Flask runs after-request functions in reverse): after the mock's CORS,
    # whose exposed headers it extends.
    app.after_request_funcs.setdefault(None, []).insert(0, _expose_findings)
    return app


def _expose_findings(response: Response) -> Response:
    """Let a browser app read X-Contract-Violations where CORS exposes the mock's own headers."""
    exposed = response.headers.get("Access-Control-Expose-Headers")
    if exposed is not None and VIOLATIONS_HEADER not in exposed:
        response.headers["Access-Control-Expose-Headers"] = f"{exposed}, {VIOLATIONS_HEADER}"
    return response


def _raw_target() -> str:
    """The request's path and query exactly as the client sent them (percent-encoding kept)."""
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
    if isinstance(raw, str) and raw.startswith("/"):
        return raw
    query = request.query_string.decode("latin-1")
    path = str(request.environ.get("PATH_INFO") or "/")
    return request.script_root + path + (f"?{query}" if query else "")


def _passed_on(upstream: Upstream) -> Response:
    """The target's answer as the client gets it: status, headers (less hop-by-hop) and body unchanged."""
    response = Response(upstream.body, status=upstream.status)
    response.headers.clear()
    for name, value in upstream.headers:
        response.headers.add(name, value)
    return response


def _json(status: int, body: Mapping[str, Any]) -> Response:
    """An answer of the proxy's own in the API's error shape, encoded as the PHP backend encodes."""
    try:
        data = encode(dict(body))
    except PhpJsonError:  # a finding quoting text PHP could not encode (a lone surrogate): plain JSON then
        data = json.dumps(dict(body)).encode("ascii")
    return Response(data, status=status, content_type=CONTENT_TYPE)


def _violation_body(upstream: Upstream, findings: list[Finding]) -> dict[str, Any]:
    """The 502 body of --fail-on-violation: a message, then every finding in full."""
    errors = sum(1 for finding in findings if finding.severity == "error")
    return {
        "message": f"Bad gateway: the target's {upstream.status} answer breaks the contract ({errors} error(s))",
        "findings": [finding.to_json() for finding in findings],
    }
