"""The JSON report of a run: every finding with its rule, severity, source, reason and a masked curl line."""

from __future__ import annotations

import json
from typing import Any

from contract.findings import Finding
from contract.report.model import Report

FORMAT_VERSION = 2


def as_dict(report: Report) -> dict[str, Any]:
    """The report as plain JSON-ready data."""
    return {
        "format": FORMAT_VERSION,
        "verdict": report.verdict,
        "exit_code": report.exit_code,
        "error": report.error,
        "base_url": report.base_url,
        "profile": report.profile,
        "strict": report.strict,
        "seed": report.seed,
        "document": report.document,
        "duration_seconds": round(report.duration, 3),
        "budget_seconds": report.budget,
        "max_body": report.max_body,
        "requests": dict(report.requests),
        "latency": {
            operation: {
                "count": figure.count,
                "p50": round(figure.p50, 4),
                "p95": round(figure.p95, 4),
                "max": round(figure.max, 4),
            }
            for operation, figure in report.latency.items()
        },
        "max_latency_seconds": report.max_latency,
        "summary": {"errors": len(report.errors), "warnings": len(report.warnings)},
        "rules": sorted({finding.check for finding in report.findings}),
        "findings": [_finding(report, finding) for finding in report.findings],
        "notes": list(report.notes),
        "checks": list(report.checks),
    }


def render(report: Report) -> str:
    """The report as a JSON document."""
    return json.dumps(as_dict(report), ensure_ascii=False, indent=2) + "\n"


def _finding(report: Report, finding: Finding) -> dict[str, Any]:
    example = finding.example
    return {
        "rule": finding.check,
        "severity": finding.severity,
        "source": finding.source,
        "why": finding.why,
        "title": finding.title,
        "message": finding.message,
        "count": finding.count,
        "seen_by": sorted(finding.seen_by),
        "request": None
        if example is None
        else {
            "method": example.method,
            "url": example.url,
            "status": example.status,
            "sent_by": example.source,
            "curl": report.curl(finding),
        },
    }
