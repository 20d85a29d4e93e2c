"""The `sendstat mock` subcommand: serve the mock API under granian."""

from __future__ import annotations

import argparse
import ipaddress

from mockserver.serve import ServeOptions, serve, url_of

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `mock` to the sendstat command line."""
    parser = subparsers.add_parser(
        "mock",
        help="serve the mock SendStatistics API",
        description="Serve the mock SendStatistics API under granian, with its docs at /docs.",
    )
    parser.add_argument("--host", type=_host, default="127.0.0.1", help="IP address to bind (default: 127.0.0.1)")
    parser.add_argument("--port", type=_port, default=8000, help="TCP port; 0 picks a free one (default: 8000)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated account (default: 1)")
    parser.add_argument("--workers", type=_workers, default=1, help="worker processes (default: 1)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C or SIGTERM, printing the URL once the port is known; return the exit status."""
    options = ServeOptions(host=args.host, port=args.port, workers=args.workers, config={"SENDSTAT_SEED": args.seed})

    def announce(port: int) -> None:
        workers = f"{args.workers} worker{'s' if args.workers != 1 else ''}"
        print(
            f"sendstat mock: serving {url_of(args.host, port)} (scenario default, seed {args.seed}, {workers}); "
            "docs at /docs, contract at /openapi.yaml; Ctrl-C to stop",
            flush=True,
        )

    return serve(options, announce)


def _host(text: str) -> str:
    """Read --host: an IP address (granian binds addresses, not names); `localhost` is 127.0.0.1."""
    if text == "localhost":
        return "127.0.0.1"
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an IP address: {text!r} (use 127.0.0.1, 0.0.0.0 or ::1)") from None


def _port(text: str) -> int:
    """Read --port: 0 to 65535."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"not a TCP port (0-65535): {text!r}")
    return port


def _workers(text: str) -> int:
    """Read --workers: at least 1."""
    try:
        workers = int(text)
    except ValueError:
        workers = 0
    if workers < 1:
        raise argparse.ArgumentTypeError(f"need at least 1 worker: {text!r}")
    return workers
