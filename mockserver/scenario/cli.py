"""The `sendstat scenario` subcommand: validate scenario files, list the shipped scenarios."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mockserver.errors import ScenarioError, display_path
from mockserver.scenario.library import (
    SUFFIXES,
    LoadContext,
    ScenarioLibrary,
    default_scenario_dirs,
    load_scenario_file,
)

__all__ = ["register", "run_list", "run_validate"]

USAGE = 2


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `scenario validate` and `scenario list` to the sendstat command line."""
    parser = subparsers.add_parser(
        "scenario",
        help="validate and list mock scenarios",
        description="Work with the mock's scenario files (docs/scenarios.md is the guide).",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    validate = actions.add_parser(
        "validate",
        help="check scenario files against the format and the contract",
        description="Check scenario files; exit 0 when all are valid, 1 when one is not, 2 on a usage error.",
    )
    validate.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="a scenario file, or a directory of them")
    validate.set_defaults(handler=run_validate)
    listing = actions.add_parser(
        "list",
        help="list the scenarios the mock would serve, with their descriptions",
        description="List the scenarios `sendstat mock --scenario-dir DIR...` would serve: the files of each DIR "
        "first, then the shipped ones (the first file of a name wins); a file that does not load is marked BROKEN.",
    )
    listing.add_argument(
        "--dir", type=Path, action="append", metavar="DIR", help="a scenario directory, as --scenario-dir (repeatable)"
    )
    listing.set_defaults(handler=run_list)


def run_validate(args: argparse.Namespace) -> int:
    """Validate every file named (directories: their .yaml files); print one line per problem or per valid file."""
    files: list[Path] = []
    for path in args.paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix in SUFFIXES and p.is_file())
            if not found:
                return _usage(f"{path}: no scenario files (*.yaml) in this directory")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            return _usage(f"{path}: no such file or directory")
    context = LoadContext.create()
    invalid = 0
    for path in files:
        try:
            scenario = load_scenario_file(path, context)
        except ScenarioError as error:
            invalid += 1
            for problem in error.problems():
                print(problem.headline())
            continue
        for warning in scenario.warnings:
            print(f"warning: {warning}")
        count = len(scenario.source(scenario.clock).ids())
        print(f"{display_path(path)}: ok ({scenario.name}: {count:,} mailing{'' if count == 1 else 's'})")
    if invalid:
        print(f"{invalid} of {len(files)} scenario file{'s' if len(files) > 1 else ''} invalid", file=sys.stderr)
        return 1
    return 0


def run_list(args: argparse.Namespace) -> int:
    """Print the merged set the mock would serve (extra directories first, then the shipped ones); mark broken files."""
    extra: list[Path] = args.dir or []
    for directory in extra:
        if not directory.is_dir():
            return _usage(f"--dir {directory}: not a directory")
    library = ScenarioLibrary([*extra, *default_scenario_dirs()], LoadContext.create(), lazy=True)
    problems = library.problems()
    for name in library.names():
        try:
            description = library.get(name).description
        except ScenarioError as error:
            description = f"BROKEN: {error.headline()}"
        print(f"{name:24} {description}")
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    return 0


def _usage(message: str) -> int:
    print(f"sendstat scenario: error: {message}", file=sys.stderr)
    return USAGE
