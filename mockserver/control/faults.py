"""Latency and fault injection: reproducible decisions, and what each fault kind puts on the wire.

A decision is derived from (scenario seed, endpoint, request number), the number counted per
(session or server, scenario, endpoint) in the shared store: the n-th view request of a session meets
the same fault and delay in any process and any session, after a reset or a re-selection of the
scenario, whatever other clients do meanwhile.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from werkzeug.wrappers import Response

from mockserver.model.domain.draws import HashDraws
from mockserver.scenario.spec import Fault, Latency

__all__ = [
    "FLUSH_SECONDS",
    "PHP_NOTICE",
    "Decision",
    "decide",
    "dropped",
    "error_body",
    "malformed",
    "needs_count",
    "truncated",
]

# What a PHP backend with display_errors on prints before its JSON: the realistic "not JSON" answer.
PHP_NOTICE = (
    b'<br />\n<b>Warning</b>:  Undefined array key "fields" in '
    b"<b>/var/www/app/Controller/SendStatisticsController.php</b> on line <b>87</b><br />\n"
)
_ERROR_MESSAGES = {"500": "Internal Server Error", "503": "Service Unavailable"}
# How long a cut body waits before it ends, so that granian has written what came before (the status
# line, the headers, the first half): ending at once races with that write, and the client would see
# anything from no answer at all to the whole head. 50 ms made it deterministic under load (measured).
FLUSH_SECONDS = 0.05


@dataclass(frozen=True)
class Decision:
    """What happens to one request before its answer: a delay (ms) and at most one fault."""

    delay_ms: float
    fault: Fault | None


def needs_count(latency: Latency | None, faults: Sequence[Fault]) -> bool:
    """Tell whether the decision needs a request number (faults or jitter); if not, no shared counter is touched."""
    return bool(faults) or (latency is not None and latency.jitter_ms > 0)


def decide(seed: int, endpoint: str, number: int, latency: Latency | None, faults: Sequence[Fault]) -> Decision:
    """Decide the delay and the fault of an endpoint's request `number`; rates are shares of the requests."""
    delay = 0.0
    if latency is not None:
        jitter = HashDraws(seed, endpoint, number, "latency").unit() * latency.jitter_ms if latency.jitter_ms else 0.0
        delay = latency.fixed_ms + jitter
    if not faults:
        return Decision(delay, None)
    # One draw against the cumulative rates: fault i owns [sum of earlier rates, + its rate).
    draw, bound = HashDraws(seed, endpoint, number, "fault").unit(), 0.0
    for fault in faults:
        bound += fault.rate
        if draw < bound:
            return Decision(delay, fault)
    return Decision(delay, None)


def error_body(kind: str) -> tuple[int, dict[str, str]]:
    """Return the status and JSON body of a 500 or 503 fault."""
    return int(kind), {"message": _ERROR_MESSAGES[kind]}


def dropped() -> Response:
    """Return an answer whose connection closes after the status line and headers, before any body byte.

    It announces one byte (Content-Length: 1) and ends without it, so the server must close the connection.
    Granian gives a WSGI app no way to close a connection before the status line: ending the body at once
    only races with writing it (measured), so the head is let out first and the close follows.
    """
    response = Response(_chunks(b""), status=200)
    response.headers["Content-Length"] = "1"
    response.headers.remove("Content-Type")
    return response


def truncated(full: Response) -> Response:
    """Return the answer with its full Content-Length but only the first half of its body, then a close."""
    body = full.get_data()
    if not body:
        return dropped()  # Nothing to cut: a 204 can only be cut before it starts.
    response = Response(_chunks(body[: len(body) // 2]), status=full.status_code, headers=full.headers)
    response.headers["Content-Length"] = str(len(body))
    return response


def malformed(full: Response) -> Response:
    """Return 200 with a body that is not JSON: a PHP warning printed before the answer's JSON."""
    body = PHP_NOTICE + full.get_data()
    response = Response(body, status=200, headers=full.headers)
    response.headers["Content-Length"] = str(len(body))
    response.headers["Content-Type"] = "application/json; charset=UTF-8"
    return response


def _chunks(body: bytes) -> Iterator[bytes]:
    """Yield the body as one chunk (nothing when empty), then give the server time to send it before the end."""
    if body:
        yield body
    time.sleep(FLUSH_SECONDS)
