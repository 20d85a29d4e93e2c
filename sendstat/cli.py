"""The `sendstat` command line: one parser, a subcommand per part of the kit."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from contract.errors import ContractError
from mockserver.errors import MockServerError
from sendstat import __version__

# Each part of the kit registers its subcommand: register(subparsers) adds a parser whose `handler`
# default takes the parsed namespace and returns the exit status.
Registrar = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]


def _registrars() -> list[Registrar]:
    """Return the subcommand registrars, imported here so that `sendstat --help` stays cheap."""
    from contract.cli import register as register_check
    from mockserver.proxy.cli import register as register_proxy
    from mockserver.record.cli import register as register_record
    from mockserver.scenario.cli import register as register_scenario
    from mockserver.serving.cli import register as register_mock
    from sendstat.wait import register as register_wait

    registrars: list[Registrar] = [
        register_check,
        register_mock,
        register_scenario,
        register_proxy,
        register_record,
        register_wait,
    ]
    return registrars


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="sendstat",
        description="Mock server and contract suite for the Estismail SendStatistics API.",
    )
    parser.add_argument("--version", action="version", version=f"sendstat {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for register in _registrars():
        register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit status (2 for a usage or setup error)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except (MockServerError, ContractError) as exc:
        print(f"sendstat {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
