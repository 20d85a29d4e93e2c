"""The JUnit XML report of a run: one test case per check, a failure per error, warnings as output."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from contract.findings import Finding
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
    for name, value in (("base_url", report.base_url), ("profile", report.profile), ("seed", str(report.seed))):
        ET.SubElement(properties, "property", name=name, value=value)
    for check, found in by_check.items():
        case = ET.SubElement(suite, "testcase", classname="sendstat.check", name=check, time="0")
        errors = [finding for finding in found if finding.severity == "error"]
        if errors:
            failure = ET.SubElement(case, "failure", message=errors[0].title, type=check)
            failure.text = "\n\n".join(_text(report, finding) for finding in errors)
        warnings = [finding for finding in found if finding.severity == "warning"]
        if warnings:
            out = ET.SubElement(case, "system-out")
            out.text = "\n\n".join("WARNING " + _text(report, finding) for finding in warnings)
    testsuites = ET.Element("testsuites", name=SUITE)
    testsuites.append(suite)
    ET.indent(testsuites)
    return ET.tostring(testsuites, encoding="unicode", xml_declaration=True) + "\n"


def _text(report: Report, finding: Finding) -> str:
    lines = [finding.title, finding.message, f"Why ({finding.source}): {finding.why}"]
    curl = report.curl(finding)
    if curl:
        lines.append(f"Reproduce: {curl}")
    return "\n".join(lines)
