"""The `sendstat mock` subcommand: serve the mock API under granian."""

from __future__ import annotations

import argparse
import ipaddress
import os
from pathlib import Path
from typing import Any

from mockserver.errors import ConfigError
from mockserver.serving.server import ServeOptions, Started, serve, url_of

__all__ = ["app_config", "register", "run"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `mock` to the sendstat command line."""
    parser = subparsers.add_parser(
        "mock",
        help="serve the mock SendStatistics API",
        description="Serve the mock SendStatistics API under granian, with its docs at /docs.",
    )
    parser.add_argument("--host", type=_host, default="127.0.0.1", help="IP address to bind (default: 127.0.0.1)")
    parser.add_argument("--port", type=_port, default=8000, help="TCP port; 0 picks a free one (default: 8000)")
    parser.add_argument(
        "--scenario",
        default="default",
        metavar="NAME|PATH",
        help="the scenario to start with: a name, or a scenario file (its directory joins the scenario "
        "directories) (default: default)",
    )
    parser.add_argument(
        "--scenario-dir",
        action="append",
        default=[],
        type=_directory,
        metavar="DIR",
        help="a directory of scenario files, searched before the shipped ones (repeatable)",
    )
    parser.add_argument(
        "--control-token",
        default=os.environ.get("SENDSTAT_CONTROL_TOKEN") or None,
        metavar="TOKEN",
        help="require 'Authorization: Bearer TOKEN' on the control API (/__mock/) from every client, "
        "remote ones included (default: $SENDSTAT_CONTROL_TOKEN; unset: loopback clients only)",
    )
    parser.add_argument(
        "--seed", type=int, default=None, help="seed of the generated mailings, for every scenario (default: theirs)"
    )
    parser.add_argument("--workers", type=_workers, default=1, help="worker processes (default: 1)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C or SIGTERM, printing the URL once the port is known; return the exit status."""
    options = ServeOptions(host=args.host, port=args.port, workers=args.workers, config=app_config(args))

    def announce(started: Started) -> None:
        workers = f"{args.workers} worker{'s' if args.workers != 1 else ''}"
        print(
            f"sendstat mock: serving {url_of(args.host, started.port)} "
            f"(scenario {started.scenario}, seed {started.seed}, {workers}); "
            "docs at /docs, UI at /__mock/ui, contract at /openapi.yaml, control at /__mock/; Ctrl-C to stop",
            flush=True,
        )

    return serve(options, announce)


def app_config(args: argparse.Namespace) -> dict[str, Any]:
    """Return the app's config (JSON-able, for the workers) from the options."""
    dirs = [str(directory) for directory in args.scenario_dir]
    scenario: str = args.scenario
    if scenario.endswith((".yaml", ".yml")) or os.sep in scenario:
        # A file named on the command line: the operator's choice makes its directory a scenario directory.
        path = Path(scenario).expanduser().resolve()
        if not path.is_file():
            raise ConfigError(f"--scenario: no scenario file at {scenario}")
        dirs.append(str(path.parent))
        scenario = str(path)
    config: dict[str, Any] = {"SENDSTAT_SCENARIO": scenario, "SENDSTAT_SCENARIO_DIRS": dirs}
    if args.seed is not None:
        config["SENDSTAT_SEED"] = args.seed
    if args.control_token is not None:
        config["SENDSTAT_CONTROL_TOKEN"] = args.control_token
    return config


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


def _directory(text: str) -> Path:
    """Read --scenario-dir: an existing directory."""
    path = Path(text).expanduser()
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"not a directory: {text!r}")
    return path.resolve()


def _workers(text: str) -> int:
    """Read --workers: at least 1."""
    try:
        workers = int(text)
    except ValueError:
        workers = 0
    if workers < 1:
        raise argparse.ArgumentTypeError(f"need at least 1 worker: {text!r}")
    return workers
