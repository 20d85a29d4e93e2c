"""GitHub Actions output of a run: the human report with workflow commands off, then one annotation per finding.

Annotations are workflow commands (`::error title=RULE::MESSAGE`) that the runner reads on stdout; it reads
a command on any line that starts with `::` after spaces, and `##[name]` anywhere in a line
(actions/runner, ActionCommand.TryParseV2 and TryParse). The human report quotes the server (a body, a key),
so a server could otherwise write a line that the runner obeys: the report is printed between
`::stop-commands::TOKEN` and `::TOKEN::`, with a token the server cannot guess, and only the annotations
that follow are commands. GitHub shows at most 10 error and 10 warning annotations per step; past that
the tenth of each kind names the rest.
"""

from __future__ import annotations

import secrets

from contract.findings import Finding
from contract.report import human
from contract.report.model import Report

# GitHub keeps 10 annotations of each kind per step and drops the rest without a word.
PER_KIND = 10
UNJUDGED_TITLE = "sendstat check: could not judge"


def render(report: Report, token: str | None = None) -> str:
    """The stdout of `--format github`: the human report (commands off), then the annotations."""
    token = token or secrets.token_hex(16)
    lines: list[str] = []
    if report.error is None:
        lines += [f"::stop-commands::{token}", human.render(report).rstrip("\n"), f"::{token}::"]
    lines += annotation_lines(report)
    return "\n".join(lines) + "\n"


def annotation_lines(report: Report) -> list[str]:
    """One workflow command per finding, errors first; at most PER_KIND of each kind."""
    if report.error is not None:
        return [command("error", UNJUDGED_TITLE, f"{report.error} (exit 2: the server was not judged)")]
    found: list[str] = []
    for kind, findings in (("error", report.errors), ("warning", report.warnings)):
        shown = findings if len(findings) <= PER_KIND else findings[: PER_KIND - 1]
        found += [command(kind, finding.check, _message(report, finding)) for finding in shown]
        rest = findings[len(shown) :]
        if rest:
            rules = ", ".join(sorted({finding.check for finding in rest}))
            found.append(
                command(
                    kind,
                    f"sendstat check: {len(rest)} more {kind}s",
                    f"GitHub shows {PER_KIND} {kind} annotations per step; the others are in the step's log "
                    f"and the reports: {rules}",
                )
            )
    return found


def command(kind: str, title: str, message: str) -> str:
    """One workflow command line, its title and message escaped as the runner unescapes them."""
    return f"::{kind} title={escape_property(title)}::{escape_data(message)}"


def escape_data(text: str) -> str:
    """Escape a command's message: `%`, CR and LF (the runner turns them back)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a command's property: as a message, and `:` and `,` (which end a property)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _message(report: Report, finding: Finding) -> str:
    """The finding's title and count, received vs documented, and the curl line that replays it."""
    times = f" (x{finding.count})" if finding.count > 1 else ""
    strict = " [a warning: an error with --strict]" if finding.severity == "warning" else ""
    lines = [f"{finding.title}{times}{strict}", finding.message]
    curl = report.curl(finding)
    if curl:
        lines.append(f"Reproduce: {curl}")
    return "\n".join(lines)
