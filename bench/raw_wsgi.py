"""The baseline: a bare WSGI app under granian that returns precomputed bytes and headers per request target.

`python -m bench.raw_wsgi --port N --responses FILE` serves the answers recorded in FILE (JSON: a list
of {target, status, headers, body_b64}) with the granian settings `sendstat mock` uses (mockserver/serving/server.py:
WSGI, the same worker count, blocking threads and log level), so that the two differ only in the app.
With `--granian-defaults` it runs under granian's own defaults instead (one worker, its default blocking
threads: 512 for WSGI), the fastest that serves those bytes: the limit the mock's cached answers are held to.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

RESPONSES_ENV = "RAW_WSGI_RESPONSES"
NOT_FOUND = (
    "404 Not Found",
    [("Content-Type", "application/json"), ("Content-Length", "23")],
    b'{"message":"Not found"}',
)

Answer = tuple[str, list[tuple[str, str]], bytes]


def load(path: str) -> dict[str, Answer]:
    """Read the recorded answers, keyed by path and query as the WSGI environ gives them."""
    with open(path, encoding="utf-8") as handle:  # noqa: PTH123 - a plain file read in a worker
        recorded = json.load(handle)
    return {
        entry["target"]: (entry["status"], [tuple(h) for h in entry["headers"]], base64.b64decode(entry["body_b64"]))
        for entry in recorded
    }


def app() -> WSGIApplication:
    """Build the WSGI app in a granian worker from the file named by RAW_WSGI_RESPONSES."""
    answers = load(os.environ[RESPONSES_ENV])

    def serve(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        query = environ.get("QUERY_STRING", "")
        target = environ.get("PATH_INFO", "") + ("?" + query if query else "")
        status, headers, body = answers.get(target, NOT_FOUND)
        start_response(status, headers)
        return [body]

    return serve


def main() -> None:
    """Serve the recorded answers on 127.0.0.1:PORT until SIGTERM or Ctrl-C."""
    from granian.constants import Interfaces
    from granian.log import LogLevels
    from granian.server import Server

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--responses", required=True)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--granian-defaults", action="store_true", help="granian's default settings (the limit)")
    args = parser.parse_args()
    os.environ[RESPONSES_ENV] = os.path.abspath(args.responses)  # noqa: PTH100
    load(args.responses)  # Fail here rather than in the worker.
    if args.granian_defaults:
        # Only what serving needs: the address, WSGI, and the factory that reads the answers; the rest is granian's.
        target = "bench.raw_wsgi:app"
        Server(target, address="127.0.0.1", port=args.port, interface=Interfaces.WSGI, factory=True).serve()
        return
    cpus = os.cpu_count() or 1
    Server(
        "bench.raw_wsgi:app",
        address="127.0.0.1",
        port=args.port,
        interface=Interfaces.WSGI,
        workers=args.workers,
        blocking_threads=min(2 * cpus + 1, 16),  # As mockserver/serving/server.py.
        factory=True,
        websockets=False,
        log_level=LogLevels.warning,
    ).serve()


if __name__ == "__main__":
    main()
