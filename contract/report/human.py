"""The human summary of a run: verdict, each finding with its rule, received vs documented, and a curl line."""

from __future__ import annotations

import textwrap

from contract.findings import Finding
from contract.latency import describe
from contract.report.model import SOURCE_WORDS, Report

WIDTH = 110


def render(report: Report) -> str:
    """Render the report as plain text for a terminal or a CI log."""
    if report.error is not None:
        return f"sendstat check: COULD NOT JUDGE - {report.error}\n\nVerdict: the server was not judged (exit 2).\n"
    total = sum(report.requests.values())
    of_budget = f" of a {report.budget:g} s budget" if report.budget else ""
    lines = [
        f"sendstat check: {report.verdict.upper()} - {len(report.errors)} error(s), {len(report.warnings)} warning(s)",
        f"  {report.base_url} | profile {report.profile} | seed {report.seed} | {total} requests "
        f"({', '.join(f'{n} by {who}' for who, n in report.requests.items())}) in {report.duration:.1f} s{of_budget}",
        f"  latency: {describe(report.latency, report.max_latency)}",
        f"  document: {report.document}",
    ]
    for finding in [*report.errors, *report.warnings]:
        lines += ["", render_finding(report, finding)]
    if report.notes:
        lines += ["", "Notes:"]
        lines += [_wrap(note, "  - ", "    ") for note in report.notes]
    lines += ["", _verdict(report)]
    return "\n".join(lines) + "\n"


def render_finding(report: Report, finding: Finding) -> str:
    """One finding: severity, rule, title; received vs documented; why; who saw it; a curl line."""
    label = finding.severity.upper()
    if finding.severity == "warning":
        label += " (an error with --strict)"
    times = f" x{finding.count}" if finding.count > 1 else ""
    head = f"{label} [{finding.check}] {finding.title}{times}"
    lines = [head, _wrap(finding.message, "  ")]
    lines.append(_wrap(f"Why ({SOURCE_WORDS[finding.source]}): {finding.why}", "  "))
    lines.append(f"  Seen by: {', '.join(sorted(finding.seen_by))}")
    curl = report.curl(finding)
    if curl:
        lines.append(f"  Reproduce: {curl}")
    return "\n".join(lines)


def _wrap(text: str, indent: str, subsequent: str | None = None) -> str:
    return textwrap.fill(
        text,
        WIDTH,
        initial_indent=indent,
        subsequent_indent=indent + "  " if subsequent is None else subsequent,
        break_long_words=False,
        break_on_hyphens=False,
    )


def _verdict(report: Report) -> str:
    if report.errors:
        checks = sorted({finding.check for finding in report.errors})
        return f"Verdict: the server breaks the contract (exit 1): {', '.join(checks)}."
    if report.warnings:
        return "Verdict: the server keeps the contract (exit 0); the warnings break inferred rules only."
    return "Verdict: the server keeps the contract (exit 0)."
