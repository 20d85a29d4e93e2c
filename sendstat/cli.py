"""The `sendstat` command line: one parser, a subcommand per part of the kit."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence

from contract.errors import ContractError
from mockserver.errors import MockServerError
from sendstat import __version__

# Each part of the kit registers its subcommand: register(subparsers) adds a parser whose `handler`
# default takes the parsed namespace and returns the exit status.
Registrar = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]


# Where each subcommand's register() lives: only the one asked for is imported, so that a start of
# `sendstat mock` does not pay for the contract suite's, the proxy's and the recorder's imports.
COMMANDS = {
    "check": "contract.cli",
    "mock": "mockserver.serving.cli",
    "scenario": "mockserver.scenario.cli",
    "proxy": "mockserver.proxy.cli",
    "record": "mockserver.record.cli",
    "wait": "sendstat.wait",
}


def _registrars(argv: Sequence[str]) -> list[Registrar]:
    """Return the registrar of the subcommand argv names, or every one (help, a mistyped name, none given)."""
    named = next((arg for arg in argv if not arg.startswith("-")), None)
    modules = [COMMANDS[named]] if named in COMMANDS else list(COMMANDS.values())
    registrars: list[Registrar] = [importlib.import_module(module).register for module in modules]
    return registrars


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """Build the argument parser: with the subcommand argv names, or with every one (argv None: every one)."""
    parser = argparse.ArgumentParser(
        prog="sendstat",
        description="Mock server and contract suite for the Estismail SendStatistics API.",
    )
    parser.add_argument("--version", action="version", version=f"sendstat {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for register in _registrars(argv if argv is not None else ()):
        register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit status (2 for a usage or setup error)."""
    given = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(given)
    args = parser.parse_args(given)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except (MockServerError, ContractError) as exc:
        print(f"sendstat {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
