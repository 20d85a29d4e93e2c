"""`sendstat proxy`: forward the API to a target, judge every answer, serve the journal and the UI beside it."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import tempfile
from types import FrameType
from typing import Any

from flask import Flask
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from contract.options import parse_base_url, parse_header, parse_seconds, parse_size
from mockserver.errors import ConfigError
from mockserver.http.app import close_app
from mockserver.proxy.app import create_proxy_app

__all__ = ["PassingHandler", "configure_logging", "register", "run", "serving"]

EPILOG = """Every answer is judged with the rules of `sendstat check`: a broken seed rule, status or schema is an
error, a broken inferred rule a warning (an error with --strict). Findings go to stderr (one line each), to the
X-Contract-Violations header of the answer (one header each), and to the journal (GET /__mock/journal; the UI
at /__mock/ui shows them in the entry opened in full). A target that refuses, stays silent past --timeout
(connect to last byte) or sends more than --max-body gets the client a 502 in the API's error format."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `proxy` to the sendstat command line."""
    parser = subparsers.add_parser(
        "proxy",
        help="forward the API to a real service and judge every answer against the contract",
        description="A validation proxy: forwards each API request to --target, returns its answer unchanged "
        "and reports every contract finding.",
        epilog=EPILOG,
    )
    parser.add_argument("--target", required=True, help="the service to forward to, e.g. https://v1.estismail.com")
    parser.add_argument("--host", default="127.0.0.1", help="IP address to bind (default: 127.0.0.1)")
    parser.add_argument("--port", type=_port, default=8010, help="TCP port; 0 picks a free one (default: 8010)")
    parser.add_argument(
        "--header",
        action="append",
        default=[],
        metavar="'NAME: VALUE'",
        help="a header for every forwarded request, winning over the client's, e.g. 'X-Estis-Auth: KEY' "
        "(repeatable; without it the client's own key goes on; values never printed)",
    )
    parser.add_argument(
        "--fail-on-violation",
        action="store_true",
        help="answer 502 (the API's error format, listing the findings) instead of an answer with an error finding",
    )
    parser.add_argument("--strict", action="store_true", help="inferred rules are errors too")
    parser.add_argument(
        "--timeout",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="one forwarded request, connect to last byte (default: 10)",
    )
    parser.add_argument("--max-body", default="64MiB", metavar="SIZE", help="decoded bytes read of one answer (64MiB)")
    parser.add_argument(
        "--cors-origin",
        action="append",
        default=None,
        metavar="ORIGIN",
        help="grant CORS to this origin only (repeatable; default: every origin, echoed with credentials)",
    )
    parser.set_defaults(handler=run)


def proxy_config(args: argparse.Namespace) -> dict[str, Any]:
    """The app's config from the options; a malformed option is a one-line error."""
    config: dict[str, Any] = {
        "SENDSTAT_PROXY_TARGET": parse_base_url(args.target),
        "SENDSTAT_PROXY_HEADERS": dict(parse_header(value) for value in args.header),
        "SENDSTAT_PROXY_FAIL_ON_VIOLATION": args.fail_on_violation,
        "SENDSTAT_PROXY_STRICT": args.strict,
        "SENDSTAT_PROXY_TIMEOUT": parse_seconds(args.timeout, "--timeout"),
        "SENDSTAT_PROXY_MAX_BODY": parse_size(args.max_body, "--max-body"),
    }
    if args.cors_origin is not None:
        config["SENDSTAT_CORS_ORIGINS"] = args.cors_origin
    return config


def run(args: argparse.Namespace) -> int:
    """Serve the proxy until Ctrl-C or SIGTERM; return the exit status."""
    config = proxy_config(args)
    configure_logging()
    with tempfile.TemporaryDirectory(prefix="sendstat-proxy-") as scratch:
        app = create_proxy_app({**config, "SENDSTAT_STATE_DIR": scratch})
        try:
            server = serving(app, args.host, args.port)
        except OSError as exc:
            close_app(app)
            raise ConfigError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from None
        url = (
            f"http://[{args.host}]:{server.server_port}"
            if ":" in args.host
            else f"http://{args.host}:{server.server_port}"
        )
        print(
            f"sendstat proxy: serving {url} -> {config['SENDSTAT_PROXY_TARGET']}; journal at /__mock/journal, "
            "UI at /__mock/ui; Ctrl-C to stop",
            flush=True,
        )
        previous = signal.signal(signal.SIGTERM, _interrupt)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
            server.server_close()
            close_app(app)
    return 0


class PassingHandler(WSGIRequestHandler):
    """A request handler that adds no Server or Date header of its own (the target's pass on) nor logs each request."""

    def send_response(self, code: int, message: str | None = None) -> None:
        """Send the status line only."""
        self.send_response_only(code, message)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Skip the access log: the journal has every request."""


def serving(app: Flask, host: str, port: int) -> BaseWSGIServer:
    """A threaded server of the app on host:port (0: a free port), bound and ready for serve_forever()."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server: BaseWSGIServer = make_server(host, port, app, threaded=True, request_handler=PassingHandler)
    return server


def configure_logging(stream: Any = None) -> None:
    """Send the proxy's findings and failures to stderr, one line each."""
    handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    handler.setFormatter(logging.Formatter("sendstat proxy: %(message)s"))
    log = logging.getLogger("sendstat.proxy")
    log.handlers[:] = [handler]
    log.setLevel(logging.INFO)
    log.propagate = False


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 0 to 65535, got {port}")
    return port
