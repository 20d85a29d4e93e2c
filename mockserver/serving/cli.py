"""The `sendstat mock` subcommand: serve the mock API under granian."""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mockserver.errors import ConfigError
from mockserver.serving.logs import FORMATS, LogSettings
from mockserver.serving.server import ServeOptions, Started, serve, url_of
from mockserver.serving.settings import environment_config, environment_value, help_text, settings

__all__ = ["app_config", "register", "run", "serve_options"]

_TOKEN_BYTES = 4096


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `mock` to the sendstat command line."""
    parser = subparsers.add_parser(
        "mock",
        help="serve the mock SendStatistics API",
        description="Serve the mock SendStatistics API under granian, with its docs at /docs.",
        epilog=help_text(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", type=_host, default="127.0.0.1", help="IP address to bind (default: 127.0.0.1)")
    parser.add_argument("--port", type=_port, default=8000, help="TCP port; 0 picks a free one (default: 8000)")
    parser.add_argument(
        "--scenario",
        default=None,
        metavar="NAME|PATH",
        help="the scenario to start with: a name, or a scenario file (its directory joins the scenario "
        "directories) (default: $SENDSTAT_SCENARIO, else default)",
    )
    parser.add_argument(
        "--scenario-dir",
        action="append",
        default=None,
        type=_directory,
        metavar="DIR",
        help="a directory of scenario files, searched before the shipped ones (repeatable)",
    )
    token = parser.add_mutually_exclusive_group()
    token.add_argument(
        "--control-token",
        default=None,
        metavar="TOKEN",
        help="require 'Authorization: Bearer TOKEN' on the control API (/__mock/) from every client, "
        "remote ones included; shown by `ps`: prefer --control-token-file or $SENDSTAT_CONTROL_TOKEN "
        "(unset: loopback clients only)",
    )
    token.add_argument(
        "--control-token-file",
        type=Path,
        default=None,
        metavar="FILE",
        help="read the control token from FILE (its first line)",
    )
    parser.add_argument(
        "--state",
        default=None,
        metavar="local|redis://HOST:PORT/DB",
        help="where the control state lives (scenario, sessions, clocks, journal): `local` to this server "
        "(default), or a Redis database shared by every instance behind a load balancer; a password in the URL "
        "is shown by `ps`: prefer $SENDSTAT_STATE",
    )
    parser.add_argument(
        "--seed", type=int, default=None, help="seed of the generated mailings, for every scenario (default: theirs)"
    )
    parser.add_argument("--workers", type=_workers, default=1, help="worker processes (default: 1)")
    parser.add_argument(
        "--cors-origin",
        action="append",
        default=None,
        metavar="ORIGIN",
        help="grant CORS on the API to this origin only, e.g. http://localhost:5173 (repeatable; default: "
        "every origin, echoed with credentials allowed); the control API never grants foreign origins",
    )
    parser.add_argument(
        "--graceful-timeout",
        type=_whole_seconds,
        default=None,
        metavar="SECONDS",
        help="on SIGTERM or Ctrl-C, stop accepting and give answers in flight this long, then close them "
        "(default: 5); a second signal stops at once",
    )
    parser.add_argument(
        "--idle-timeout",
        type=_seconds,
        default=None,
        metavar="SECONDS",
        help="close a connection silent this long, before its first request or between two (default: 15)",
    )
    parser.add_argument(
        "--log-format", choices=FORMATS, default=None, help="lines on stderr as text or JSON (default: text)"
    )
    parser.add_argument(
        "--quiet", action="store_true", default=None, help="no access log; warnings and errors are still written"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C or SIGTERM, printing the URL once the port is known; return the exit status."""
    options = serve_options(args, os.environ)

    def announce(started: Started) -> None:
        workers = f"{args.workers} worker{'s' if args.workers != 1 else ''}"
        url = url_of(args.host, started.port)
        shared = "" if started.state is None else f"state shared in {started.state}; "
        line = (
            f"sendstat mock: serving {url} (scenario {started.scenario}, seed {started.seed}, {workers}); {shared}"
            "docs at /docs, UI at /__mock/ui, contract at /openapi.yaml, control at /__mock/; Ctrl-C to stop"
        )
        if options.log.format == "json":
            shown = {"event": "serving", "url": url, "scenario": started.scenario, "seed": started.seed}
            shown["state"] = started.state or "local"
            line = json.dumps({**shown, "workers": args.workers, "message": line})
        print(line, flush=True)

    return serve(options, announce)


def serve_options(args: argparse.Namespace, environ: Mapping[str, str]) -> ServeOptions:
    """Return how to serve: the options given, else their environment variables, else the defaults."""
    log = LogSettings(
        format=_given(args.log_format, "SENDSTAT_LOG_FORMAT", environ, "text"),
        quiet=bool(_given(args.quiet, "SENDSTAT_QUIET", environ, False)),
    )
    if log.format not in FORMATS:
        raise ConfigError(f"SENDSTAT_LOG_FORMAT: expected one of {', '.join(FORMATS)}, got {log.format!r}")
    graceful = _given(args.graceful_timeout, "SENDSTAT_GRACEFUL_TIMEOUT", environ, 5)
    idle = _given(args.idle_timeout, "SENDSTAT_IDLE_TIMEOUT", environ, 15.0)
    if graceful < 1 or idle <= 0:
        raise ConfigError("SENDSTAT_GRACEFUL_TIMEOUT must be at least 1 s, SENDSTAT_IDLE_TIMEOUT more than 0")
    return ServeOptions(
        host=args.host,
        port=args.port,
        workers=args.workers,
        config=app_config(args, environ),
        graceful_timeout=graceful,
        idle_timeout=float(idle),
        log=log,
    )


def app_config(args: argparse.Namespace, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Return the app's config (JSON-able, for the workers) from the options and the environment."""
    environ = os.environ if environ is None else environ
    config: dict[str, Any] = environment_config(environ)
    given_dirs = args.scenario_dir
    if given_dirs is None:
        given_dirs = [_directory_setting(d) for d in _given(None, "SENDSTAT_SCENARIO_DIRS", environ, [])]
    dirs = [str(directory) for directory in given_dirs]
    scenario: str = _given(args.scenario, "SENDSTAT_SCENARIO", environ, "default")
    if scenario.endswith((".yaml", ".yml")) or os.sep in scenario:
        # A file named on the command line: the operator's choice makes its directory a scenario directory.
        path = Path(scenario).expanduser().resolve()
        if not path.is_file():
            raise ConfigError(f"--scenario: no scenario file at {scenario}")
        dirs.append(str(path.parent))
        scenario = str(path)
    config.update({"SENDSTAT_SCENARIO": scenario, "SENDSTAT_SCENARIO_DIRS": dirs})
    seed = _given(args.seed, "SENDSTAT_SEED", environ, None)
    if seed is not None:
        config["SENDSTAT_SEED"] = seed
    state = _given(args.state, "SENDSTAT_STATE", environ, None)
    if state is not None:
        config["SENDSTAT_STATE"] = state
    token = _token(args, environ)
    if token is not None:
        config["SENDSTAT_CONTROL_TOKEN"] = token
    origins = _given(args.cors_origin, "SENDSTAT_CORS_ORIGINS", environ, None)
    if origins is not None:
        config["SENDSTAT_CORS_ORIGINS"] = origins
    return config


def _given(value: Any, name: str, environ: Mapping[str, str], default: Any) -> Any:
    """Return an option's value if given, else its environment variable's (read by its type), else the default."""
    if value is not None:
        return value
    setting = next(s for s in settings() if s.name == name)
    found = environment_value(setting, environ)
    return default if found is None else found


def _token(args: argparse.Namespace, environ: Mapping[str, str]) -> str | None:
    """Return the control token: --control-token, --control-token-file, then their environment variables."""
    token: str | None = args.control_token
    path: Path | None = args.control_token_file
    if token is None and path is None:
        token = environ.get("SENDSTAT_CONTROL_TOKEN") or None
        named = environ.get("SENDSTAT_CONTROL_TOKEN_FILE")
        if token is None and named:
            path = Path(named)
    if path is None:
        return token
    try:
        with path.expanduser().open("rb") as handle:
            raw = handle.read(_TOKEN_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"--control-token-file: cannot read {path}: {exc.strerror or exc}") from None
    lines = raw.decode("utf-8", "replace").splitlines()
    if len(raw) > _TOKEN_BYTES or not lines or not lines[0].strip():
        raise ConfigError(f"--control-token-file: {path} must hold the token on its first line (at most 4 KiB)")
    return lines[0].strip()


def _directory_setting(text: str) -> Path:
    """Read a directory of SENDSTAT_SCENARIO_DIRS."""
    try:
        return _directory(text)
    except argparse.ArgumentTypeError as exc:
        raise ConfigError(f"SENDSTAT_SCENARIO_DIRS: {exc}") from None


def _whole_seconds(text: str) -> int:
    """Read --graceful-timeout: whole seconds, at least 1."""
    try:
        seconds = int(text)
    except ValueError:
        seconds = 0
    if seconds < 1:
        raise argparse.ArgumentTypeError(f"need whole seconds, at least 1: {text!r}")
    return seconds


def _seconds(text: str) -> float:
    """Read --idle-timeout: seconds, more than 0, at most a day."""
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds <= 86400:
        raise argparse.ArgumentTypeError(f"need seconds, more than 0 and at most 86400: {text!r}")
    return seconds


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
