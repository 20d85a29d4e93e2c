"""The `sendstat` parser: every subcommand for help, only the one asked for otherwise."""

from __future__ import annotations

import argparse

import pytest

from sendstat.cli import COMMANDS, build_parser, main
from tests._imports import imported


def subcommands(parser: argparse.ArgumentParser) -> list[str]:
    """The names of a parser's subcommands."""
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return list(action.choices)


def test_every_subcommand_is_listed_without_a_command() -> None:
    """`sendstat --help` (no command named) lists the six subcommands."""
    assert subcommands(build_parser()) == list(COMMANDS)
    assert subcommands(build_parser(["--help"])) == list(COMMANDS)


@pytest.mark.parametrize("command", list(COMMANDS))
def test_each_module_registers_its_own_command(command: str) -> None:
    """The module COMMANDS names for a subcommand registers that subcommand, and only it is built."""
    assert subcommands(build_parser([command, "--help"])) == [command]


def test_a_mistyped_command_lists_every_choice(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown command exits 2 naming all six choices."""
    with pytest.raises(SystemExit) as stopped:
        main(["mokc"])
    assert stopped.value.code == 2
    said = capsys.readouterr().err
    assert all(f"'{name}'" in said for name in COMMANDS)


def test_starting_the_mock_imports_no_other_subcommand() -> None:
    """`sendstat mock` does not import the suite's, the proxy's or the recorder's command modules (start-up time)."""
    others = [module for command, module in COMMANDS.items() if command != "mock"]
    code = "from sendstat.cli import build_parser; build_parser(['mock', '--port', '0'])"
    assert imported(code, [*others, "faker"]) == []


def test_the_import_probe_sees_what_is_imported() -> None:
    """The probe above can fail: building every subcommand's parser imports their modules."""
    others = [module for command, module in COMMANDS.items() if command != "mock"]
    assert imported("from sendstat.cli import build_parser; build_parser()", others) == sorted(others)
