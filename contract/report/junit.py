"""The JUnit XML report of a run: one test case per check, a failure per error, warnings as output."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from contract.findings import Finding
from contract.latency import describe
from contract.report.model import Report

SUITE = "sendstat check"


def render(report: Report) -> str:
    """The report as JUnit XML: a <testcase> for every check of the suite."""
    by_check: dict[str, list[Finding]] = {check: [] for check in report.checks}
    for finding in report.findings:
        by_check.setdefault(finding.check, []).append(finding)
    suite = ET.Element(
        "testsuite",
        name=SUITE,
        tests=str(len(by_check)),
        failures=str(sum(1 for found in by_check.values() if any(f.severity == "error" for f in found))),
        errors="0",
        time=f"{report.duration:.3f}",
    )
    properties = ET.SubElement(suite, "properties")
    for name, value in _properties(report):
        ET.SubElement(properties, "property", name=name, value=value)
    for check, found in by_check.items():
        case = ET.SubElement(suite, "testcase", classname="sendstat.check", name=check, time="0")
        errors = [finding for finding in found if finding.severity == "error"]
        if errors:
            failure = ET.SubElement(case, "failure", message=errors[0].title, type=check)
            failure.text = "\n\n".join(_text(report, finding) for finding in errors)
        warnings = [finding for finding in found if finding.severity == "warning"]
        output = ["WARNING " + _text(report, finding) for finding in warnings]
        if check == "latency":
            output.insert(0, f"latency: {describe(report.latency, report.max_latency)}")
        if output:
            ET.SubElement(case, "system-out").text = "\n\n".join(output)
    testsuites = ET.Element("testsuites", name=SUITE)
    testsuites.append(suite)
    ET.indent(testsuites)
    return ET.tostring(testsuites, encoding="unicode", xml_declaration=True) + "\n"


def _properties(report: Report) -> list[tuple[str, str]]:
    """The run's settings and latency figures as JUnit properties."""
    found = [
        ("base_url", report.base_url),
        ("profile", report.profile),
        ("seed", str(report.seed)),
        ("budget_seconds", f"{report.budget:g}"),
        ("duration_seconds", f"{report.duration:.3f}"),
        ("max_body", report.max_body),
        ("max_latency_seconds", f"{report.max_latency:g}"),
    ]
    for operation, figure in report.latency.items():
        for name, value in (("p50", figure.p50), ("p95", figure.p95), ("max", figure.max)):
            found.append((f"latency.{operation}.{name}_seconds", f"{value:.4f}"))
        found.append((f"latency.{operation}.count", str(figure.count)))
    return found


def _text(report: Report, finding: Finding) -> str:
    lines = [finding.title, finding.message, f"Why ({finding.source}): {finding.why}"]
    curl = report.curl(finding)
    if curl:
        lines.append(f"Reproduce: {curl}")
    return "\n".join(lines)
