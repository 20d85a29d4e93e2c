"""`sendstat check`: judge a server at --base-url against openapi.yaml; exit 0 pass, 1 contract failure, 2 setup."""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from contract.errors import UsageError
from contract.options import parse_base_url, parse_header, parse_rate, parse_seconds, parse_size
from contract.settings import PROFILES, Settings

if TYPE_CHECKING:
    from contract.report.model import Report

EPILOG = """exit status: 0 the server keeps the contract (warnings allowed), 1 a contract failure (the
server misbehaves), 2 a usage, network or document error (the server cannot be judged). Header values are
never printed in reports."""


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
    """Run the suite and write its reports; return the exit status."""
    from contract.progress import Progress
    from contract.runner import run

    settings = settings_from(args)
    report = run(settings, Progress(enabled=not args.quiet))
    write_reports(report, junit=args.junit, json_path=args.json)
    return report.exit_code


def write_reports(report: Report, *, junit: Path | None, json_path: Path | None) -> None:
    """Print the human summary and write the requested files."""
    from contract.report import human, json_report
    from contract.report import junit as junit_report

    sys.stdout.write(human.render(report))
    for path, text in ((junit, junit_report.render), (json_path, json_report.render)):
        if path is None:
            continue
        try:
            path.write_text(text(report), encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write {path}: {exc.strerror}") from exc
