"""The access log: one line per request on stderr, as text or JSON, written once the answer has gone out.

A line holds the request's start (ISO 8601 UTC), the client's address, method, target, status, bytes sent,
duration, the scenario and session that answered, and the mock's fault and warnings. A logging call per
request costs more than a cached answer (about 20 us: a LogRecord, a stack walk, a write); under a server
the lines are batched (mockserver.state.batching) and written as one record every 50 ms.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from mockserver.names import FAULT_HEADER, SCENARIO_RESPONSE_HEADER, SESSION_HEADER, WARNING_HEADER
from mockserver.serving.logs import ACCESS_LOGGER, LogFormat, iso_time
from mockserver.state.batching import Batcher, BatchSettings

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = ["ACCESS_LOGGER", "AccessLog", "access_logger", "target_of"]

# Characters left as they are in a logged path or query; anything else (controls, spaces, non-ASCII)
# is percent-encoded, so one request is always one printable line.
_LOG_SAFE = "/?&=%:@!$'()*+,;[]~-._\"{}<>|^`\\#"
_LOG_MAX = 300
# Rendered targets remembered per AccessLog (a load test repeats a handful of them).
_REMEMBERED = 1024
_WARNING, _FAULT = WARNING_HEADER.lower(), FAULT_HEADER.lower()
_SCENARIO, _SESSION = SCENARIO_RESPONSE_HEADER.lower(), SESSION_HEADER.lower()


def access_logger() -> logging.Logger:
    """Return the logger of request lines: plain lines on stderr (unless the logging config gave it handlers)."""
    logger = logging.getLogger(ACCESS_LOGGER)
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger


class AccessLog:
    """WSGI middleware logging one line per request; batched when given BatchSettings, else one record each."""

    def __init__(
        self,
        app: WSGIApplication,
        logger: logging.Logger,
        batch: BatchSettings | None = None,
        format: LogFormat = "text",
    ) -> None:
        self.app = app
        self.logger = logger
        self.format = format
        self._lines: Batcher[str] | None = None
        if batch is not None:
            self._lines = Batcher(self._write, batch, name="sendstat-access-log")
        self._targets: dict[tuple[str, str], str] = {}
        self._second = -1  # the second whose ISO text is remembered: one strftime per second, not per line
        self._second_text = ""

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Answer the request; log it once its body has gone out (bytes and duration are then known)."""
        started_at, started = time.time(), time.perf_counter()
        seen: list[tuple[str, list[tuple[str, str]]]] = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], object]:
            seen.append((status, headers))
            return start_response(status, headers, exc_info)

        body = self.app(environ, capture)

        def done(sent: int) -> None:
            status, headers = seen[-1] if seen else ("-", [])
            self._log(environ, started_at, started, status, headers, sent)

        if isinstance(body, list | tuple):  # the fast path's answers, and small ones: the size is known now
            done(sum(len(chunk) for chunk in body))
            return body
        return _Counted(body, done)

    def close(self) -> None:
        """Write the lines still buffered."""
        if self._lines is not None:
            self._lines.close()

    def _log(
        self,
        environ: WSGIEnvironment,
        started_at: float,
        started: float,
        status: str,
        headers: Sequence[tuple[str, str]],
        sent: int,
    ) -> None:
        """Render and write (or buffer) the line of one request."""
        scenario = session = None
        faults: list[str] = []
        warnings: list[str] = []
        for name, value in headers:
            if name[:1] not in "Xx":  # the logged headers are the mock's own X-Mock-*: skip the others cheaply
                continue
            lowered = name.lower()
            if lowered == _WARNING:
                warnings.append(value)
            elif lowered == _FAULT:
                faults.append(value)
            elif lowered == _SCENARIO:
                scenario = value
            elif lowered == _SESSION:
                session = value
        fields = {
            "time": self._time(started_at),
            "client": environ.get("REMOTE_ADDR") or "-",
            "method": environ.get("REQUEST_METHOD", "-"),
            "target": self._target(environ),
            "status": int(status[:3]) if status[:3].isdigit() else None,
            "bytes": sent,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            "scenario": scenario,
            "session": session,
        }
        line = _json_line(fields, faults, warnings) if self.format == "json" else _text_line(fields, faults, warnings)
        if self._lines is None:
            self.logger.info(line)
        else:
            self._lines.add(line)

    def _time(self, seconds: float) -> str:
        """Return iso_time(seconds), the date part remembered for the rest of the second."""
        whole = int(seconds)
        if whole != self._second:
            self._second, self._second_text = whole, iso_time(whole)[:-5]
        return f"{self._second_text}.{int((seconds - whole) * 1000):03d}Z"

    def _target(self, environ: WSGIEnvironment) -> str:
        """Return the request's rendered target, remembered for the next requests to it."""
        key = (environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""))
        found = self._targets.get(key)
        if found is None:
            found = target_of(environ)
            if len(self._targets) >= _REMEMBERED:
                self._targets.clear()
            self._targets[key] = found
        return found

    def _write(self, lines: Sequence[str], _answered: int) -> None:
        """Log a batch of lines as one record."""
        self.logger.info("\n".join(lines))


class _Counted:
    """A WSGI body passed through chunk by chunk, counting the bytes; tells `done` once the server closes it."""

    def __init__(self, body: Iterable[bytes], done: Callable[[int], None]) -> None:
        self._body = body
        self._done: Callable[[int], None] | None = done
        self.sent = 0

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._body:
            self.sent += len(chunk)
            yield chunk

    def close(self) -> None:
        """Close the app's body (as a WSGI server must) and log the request, once."""
        try:
            close = getattr(self._body, "close", None)
            if close is not None:
                close()
        finally:
            done, self._done = self._done, None
            if done is not None:
                done(self.sent)


def _text_line(fields: dict[str, Any], faults: Sequence[str], warnings: Sequence[str]) -> str:
    """`TIME CLIENT METHOD TARGET STATUS BYTES bytes MS ms scenario=S session=S | fault: F | warning: W`."""
    status = fields["status"] if fields["status"] is not None else "-"
    line = (
        f"{fields['time']} {fields['client']} {fields['method']} {fields['target']} {status} "
        f"{fields['bytes']} bytes {fields['duration_ms']:.1f} ms "
        f"scenario={fields['scenario'] or '-'} session={fields['session'] or '-'}"
    )
    return line + "".join(f" | fault: {f}" for f in faults) + "".join(f" | warning: {w}" for w in warnings)


def _json_line(fields: dict[str, Any], faults: Sequence[str], warnings: Sequence[str]) -> str:
    """One JSON object: the fields, the fault (or null) and the list of warnings."""
    return json.dumps({**fields, "fault": faults[0] if faults else None, "warnings": list(warnings)})


def target_of(environ: WSGIEnvironment) -> str:
    """Return the request's path and query as one printable, bounded string."""
    # PEP 3333: PATH_INFO holds the raw bytes as latin-1 text.
    path = quote(environ.get("PATH_INFO", "").encode("latin-1", "replace"), safe=_LOG_SAFE)
    query = environ.get("QUERY_STRING", "")
    target = path + ("?" + quote(query.encode("latin-1", "replace"), safe=_LOG_SAFE) if query else "")
    return target if len(target) <= _LOG_MAX else f"{target[:_LOG_MAX]}... ({len(target)} chars)"
