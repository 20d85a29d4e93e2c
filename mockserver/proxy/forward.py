"""Forwarding one request to the target within bounds: one deadline, a body cap, hop-by-hop headers left out."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests

from contract.bounded import BoundedAdapter, Limits, NoAnswer, mount
from contract.budget import Clock
from contract.text import one_line

__all__ = ["HOP_BY_HOP", "Forwarder", "TargetFailed", "Upstream", "answer_headers", "request_headers"]

# RFC 9110 7.6.1: headers that describe one connection, never passed on by a proxy (with those `Connection` names).
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)
# Request headers the proxy sets itself: the target's Host and length, `identity` (so that the body passes on as
# the target wrote it), and no CORS (the proxy answers CORS as the mock does; the target is not a browser's).
_OWN_REQUEST = frozenset({"host", "content-length", "accept-encoding", "origin"})
# Answer headers the proxy replaces: the body's framing (the server frames it anew; a compressed body arrives
# decoded) and CORS, which the proxy grants as the mock does.
_OWN_ANSWER = frozenset({"content-length", "content-encoding"})
# No client waits longer than this for the target, whatever its budget: one request, not a run.
_NO_BUDGET = 365 * 86400.0


class TargetFailed(Exception):
    """The target gave no usable answer: refused, silent past the deadline, cut off, or larger than the cap."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Upstream:
    """The target's answer: status, headers (hop-by-hop left out), the decoded body, and seconds taken."""

    url: str
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    elapsed: float


def _connection_names(headers: Iterable[tuple[str, str]]) -> frozenset[str]:
    """The hop-by-hop names a `Connection` header adds (`Connection: close, X-Foo`)."""
    named: set[str] = set()
    for name, value in headers:
        if name.lower() == "connection":
            named.update(part.strip().lower() for part in value.split(","))
    return frozenset(named)


def request_headers(client: Iterable[tuple[str, str]], configured: Mapping[str, str]) -> dict[str, str]:
    """The headers sent to the target: the client's less hop-by-hop ones, with the configured ones winning."""
    pairs = list(client)
    dropped = HOP_BY_HOP | _OWN_REQUEST | _connection_names(pairs)
    wanted = {name.lower() for name in configured}
    sent: dict[str, str] = {}
    for name, value in pairs:
        lower = name.lower()
        if lower in dropped or lower in wanted or lower.startswith("access-control-"):
            continue
        sent[name] = f"{sent[name]}, {value}" if name in sent else value
    sent.update(configured)
    sent["Accept-Encoding"] = "identity"
    return sent


def answer_headers(headers: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """The target's answer headers as the client gets them: hop-by-hop, framing and CORS left out."""
    pairs = list(headers)
    dropped = HOP_BY_HOP | _OWN_ANSWER | _connection_names(pairs)
    return tuple(
        (name, value)
        for name, value in pairs
        if name.lower() not in dropped and not name.lower().startswith("access-control-")
    )


class Forwarder:
    """Sends requests to the target URL through the checker's bounded adapter; thread-safe."""

    def __init__(self, target: str, limits: Limits) -> None:
        self.target = target.rstrip("/")
        self.base_path = urlsplit(self.target).path.rstrip("/")
        self.limits = limits
        self.adapter = BoundedAdapter(limits, Clock(_NO_BUDGET))
        self.session = requests.Session()
        self.session.headers.clear()  # only what the client (and --header) send goes on
        self.session.trust_env = False  # the target is the URL given, never an environment proxy's choice
        mount(self.session, self.adapter)

    def close(self) -> None:
        """Release the connection pool."""
        self.session.close()

    def send(self, method: str, target: str, headers: Mapping[str, str]) -> Upstream:
        """Send `method target` (a path and query as the client sent them); TargetFailed when no usable answer came."""
        url = self.target + target
        started = time.monotonic()
        try:
            prepared = self.session.prepare_request(requests.Request(method, url, headers=dict(headers)))
            response = self.session.send(prepared, allow_redirects=False)
        except NoAnswer as exc:
            raise TargetFailed(exc.reason) from None
        except requests.ConnectionError as exc:
            raise TargetFailed(f"connection failed: {_reason(exc)}") from None
        except (requests.RequestException, ValueError) as exc:
            raise TargetFailed(one_line(str(exc), 300)) from None
        raw = response.raw.headers.items() if response.raw is not None else response.headers.items()
        return Upstream(
            url=prepared.url or url,
            status=response.status_code,
            headers=answer_headers(raw),
            body=response.content,
            elapsed=time.monotonic() - started,
        )


def _reason(exc: requests.RequestException) -> str:
    """The innermost reason of a connection error (`Connection refused`), without urllib3's wrapping."""
    current: BaseException = exc
    for _ in range(10):
        inner = getattr(current, "reason", None) or (current.args[0] if current.args else None)
        if not isinstance(inner, BaseException):
            break
        current = inner
    text = str(current)
    if ": " in text and text.startswith(("HTTPConnection", "<")):
        text = text.rsplit(": ", 1)[1]
    return one_line(text, 300)
