"""The access log: one line per request (method, target, status, ms, fault, warnings) on stderr.

A logging call per request costs more than a cached answer (about 20 us: a LogRecord, a stack walk, a
write); under a server the lines are batched (mockserver.state.batching) and written as one record every 50 ms.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from mockserver.names import FAULT_HEADER, WARNING_HEADER
from mockserver.state.batching import Batcher, BatchSettings

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = ["ACCESS_LOGGER", "AccessLog", "access_logger", "target_of"]

ACCESS_LOGGER = "sendstat.mock"
# Characters left as they are in a logged path or query; anything else (controls, spaces, non-ASCII)
# is percent-encoded, so one request is always one printable line.
_LOG_SAFE = "/?&=%:@!$'()*+,;[]~-._\"{}<>|^`\\#"
_LOG_MAX = 300
# Rendered targets remembered per AccessLog (a load test repeats a handful of them).
_REMEMBERED = 1024
_WARNING, _FAULT = WARNING_HEADER.lower(), FAULT_HEADER.lower()


def access_logger() -> logging.Logger:
    """Return the logger of request lines: plain lines on stderr."""
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

    def __init__(self, app: WSGIApplication, logger: logging.Logger, batch: BatchSettings | None = None) -> None:
        self.app = app
        self.logger = logger
        self._lines: Batcher[str] | None = None
        if batch is not None:
            self._lines = Batcher(self._write, batch, name="sendstat-access-log")
        self._targets: dict[tuple[str, str], str] = {}

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Answer the request and log it."""
        started = time.perf_counter()
        seen: list[tuple[str, list[tuple[str, str]]]] = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], object]:
            seen.append((status, headers))
            return start_response(status, headers, exc_info)

        body = self.app(environ, capture)
        status, headers = seen[-1] if seen else ("-", [])
        elapsed = (time.perf_counter() - started) * 1000
        line = f"{environ.get('REQUEST_METHOD', '-')} {self._target(environ)} {status.split(' ')[0]} {elapsed:.1f} ms"
        faults, warnings = [], []
        for name, value in headers:
            if name[:1] not in "Xx":  # the logged headers are the mock's own X-Mock-*: skip the others cheaply
                continue
            lowered = name.lower()
            if lowered == _WARNING:
                warnings.append(f" | warning: {value}")
            elif lowered == _FAULT:
                faults.append(f" | fault: {value}")
        if faults or warnings:
            line += "".join(faults) + "".join(warnings)
        if self._lines is None:
            self.logger.info(line)
        else:
            self._lines.add(line)
        return body

    def close(self) -> None:
        """Write the lines still buffered."""
        if self._lines is not None:
            self._lines.close()

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


def target_of(environ: WSGIEnvironment) -> str:
    """Return the request's path and query as one printable, bounded string."""
    # PEP 3333: PATH_INFO holds the raw bytes as latin-1 text.
    path = quote(environ.get("PATH_INFO", "").encode("latin-1", "replace"), safe=_LOG_SAFE)
    query = environ.get("QUERY_STRING", "")
    target = path + ("?" + quote(query.encode("latin-1", "replace"), safe=_LOG_SAFE) if query else "")
    return target if len(target) <= _LOG_MAX else f"{target[:_LOG_MAX]}... ({len(target)} chars)"
