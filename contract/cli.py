"""`sendstat check`: judge a server at --base-url against openapi.yaml; exit 0 pass, 1 contract failure, 2 setup."""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from contract.errors import ContractError, UsageError
from contract.options import parse_base_url, parse_header, parse_rate, parse_seconds, parse_size
from contract.settings import PROFILES, Settings

if TYPE_CHECKING:
    from contract.report.model import Report

EPILOG = """exit status: 0 the server keeps the contract (warnings allowed), 1 a contract failure (the
server misbehaves), 2 a usage, network or document error (the server cannot be judged; --junit and --json
are still written, saying why). Header values are never printed in reports."""
# What stdout holds: the human report, or (github) the same followed by one GitHub Actions annotation per finding.
FORMATS = ("human", "github")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `check` subcommand."""
    parser = subparsers.add_parser(
        "check",
        help="judge a SendStatistics implementation against the contract",
        description="Judge any SendStatistics implementation against openapi.yaml: schemathesis phases, "
        "statuses, schemas and the document's domain rules.",
        epilog=EPILOG,
    )
    parser.add_argument("--base-url", required=True, help="the server to judge, e.g. https://v1.estismail.com")
    parser.add_argument("--spec", type=Path, help="another OpenAPI document (default: the shipped openapi.yaml)")
    parser.add_argument(
        "--header",
        action="append",
        default=[],
        metavar="'NAME: VALUE'",
        help="a header for every request, e.g. 'X-Estis-Auth: KEY' (repeatable; values never printed)",
    )
    parser.add_argument("--profile", choices=sorted(PROFILES), default="ci", help="budget: ci (default) or production")
    parser.add_argument("--rate-limit", metavar="N/s", help="at most N requests per s, m or h (production: 5/s)")
    parser.add_argument(
        "--timeout", type=float, metavar="SECONDS", help="one request, connect to last byte (ci 10, production 15)"
    )
    parser.add_argument(
        "--budget", type=float, metavar="SECONDS", help="hard wall-clock budget of the whole run (ci 60, production 60)"
    )
    parser.add_argument("--max-body", metavar="SIZE", help="decoded bytes read of one answer (default 64MiB)")
    parser.add_argument(
        "--max-latency",
        type=float,
        metavar="SECONDS",
        help="an operation whose p95 latency passes this is a finding (ci 1, production 2)",
    )
    parser.add_argument("--seed", type=int, help="seed of the generated inputs; a run prints its seed")
    parser.add_argument("--max-examples", type=int, metavar="N", help="examples per operation and phase")
    parser.add_argument("--strict", action="store_true", help="inferred rules fail the run too")
    parser.add_argument("--known-id", type=int, metavar="N", help="a mailing id that exists (for an empty index)")
    parser.add_argument("--junit", type=Path, metavar="PATH", help="write a JUnit XML report")
    parser.add_argument("--json", type=Path, metavar="PATH", help="write a JSON report")
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="human",
        help="stdout: the human report (default), or github: the same, then one GitHub Actions annotation per "
        "finding (::error / ::warning, title the rule)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    parser.set_defaults(handler=handle)


def settings_from(args: argparse.Namespace) -> Settings:
    """Build run settings from parsed options, rejecting malformed ones with UsageError."""
    base_url = parse_base_url(args.base_url)
    if args.max_examples is not None and args.max_examples < 1:
        raise UsageError("--max-examples: expected N >= 1")
    parse_rate(args.rate_limit)
    headers = dict(parse_header(value) for value in args.header)
    return Settings(
        base_url=base_url,
        profile=args.profile,
        spec=args.spec,
        headers=headers,
        rate_limit=args.rate_limit,
        timeout=parse_seconds(args.timeout, "--timeout"),
        max_time=parse_seconds(args.budget, "--budget"),
        max_body=parse_size(args.max_body, "--max-body") if args.max_body is not None else None,
        max_latency=parse_seconds(args.max_latency, "--max-latency"),
        seed=args.seed if args.seed is not None else random.SystemRandom().randrange(2**31),
        max_examples=args.max_examples,
        strict=args.strict,
        known_id=args.known_id,
    )


def handle(args: argparse.Namespace) -> int:
    """Run the suite and write its reports; return the exit status.

    A run that cannot judge the server still writes the reports asked for, saying why (exit 2), so that a
    CI job's test view and artifacts show the cause instead of nothing; then the error goes on to the one
    line on stderr.
    """
    from contract.progress import Progress
    from contract.runner import run

    settings: Settings | None = None
    try:
        settings = settings_from(args)
        report = run(settings, Progress(enabled=not args.quiet))
    except ContractError as exc:
        _write_unjudged(args, settings, str(exc))
        raise
    write_reports(report, junit=args.junit, json_path=args.json, output=args.format)
    return report.exit_code


def write_reports(report: Report, *, junit: Path | None, json_path: Path | None, output: str = "human") -> None:
    """Print the report to stdout in the chosen format (none for a server not judged) and write the files."""
    from contract.report import github, human, json_report
    from contract.report import junit as junit_report

    if output == "github":
        sys.stdout.write(github.render(report))
    elif report.error is None:
        sys.stdout.write(human.render(report))
    for path, text in ((junit, junit_report.render), (json_path, json_report.render)):
        if path is None:
            continue
        try:
            path.write_text(text(report), encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write {path}: {exc.strerror}") from exc


def _write_unjudged(args: argparse.Namespace, settings: Settings | None, error: str) -> None:
    """Write the reports of a run that could not judge the server; a report that cannot be written is left out.

    Only values already checked are shown: a --base-url that did not read may hold a key in its query.
    """
    from contract.bounded import size_text
    from contract.report.model import Report

    report = Report(
        base_url="",
        profile=args.profile,
        strict=args.strict,
        seed=0,
        document=str(args.spec) if args.spec is not None else "",
        error=error,
    )
    if settings is not None:
        budget = settings.budget
        report.base_url, report.seed = settings.base_url, settings.seed
        report.budget, report.max_body, report.max_latency = (
            budget.max_time,
            size_text(budget.max_body),
            budget.max_latency,
        )
    try:
        write_reports(report, junit=args.junit, json_path=args.json, output=args.format)
    except UsageError:
        return  # the error that stopped the run is the one to report
