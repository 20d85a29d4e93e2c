"""The JUnit XML report of a run: one test case per check, a failure per check with errors, warnings as output.

Written for CI test views: Jenkins and the GitHub actions that read JUnit show a failure's `message`
attribute as its headline, GitLab's test report shows its text. So the headline is the finding itself (title,
count, received vs documented) and the text starts with it, then gives every error of the check in full. A run
that could not judge the server (exit 2) is one test case with an `<error>`: JUnit's own word for a test
that could not run, shown apart from failures.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from contract.findings import Finding
from contract.latency import describe
from contract.report.model import SOURCE_WORDS, Report

SUITE = "sendstat check"
CLASSNAME = "sendstat.check"


def render(report: Report) -> str:
    """The report as JUnit XML: a <testcase> for every check of the suite."""
    suite = _suite(report)
    if report.error is not None:
        _unjudged(suite, report.error)
    else:
        _cases(suite, report)
    cases = suite.findall("testcase")
    counts = {
        "tests": str(len(cases)),
        "failures": str(sum(1 for case in cases if case.find("failure") is not None)),
        "errors": str(sum(1 for case in cases if case.find("error") is not None)),
        "skipped": "0",
        "time": f"{report.duration:.3f}",
    }
    suite.attrib.update(counts)
    testsuites = ET.Element("testsuites", {"name": SUITE, **counts})
    testsuites.append(suite)
    ET.indent(testsuites)
    return ET.tostring(testsuites, encoding="unicode", xml_declaration=True) + "\n"


def _suite(report: Report) -> ET.Element:
    """The <testsuite> element with the run's settings and figures as properties."""
    suite = ET.Element("testsuite", name=SUITE)
    properties = ET.SubElement(suite, "properties")
    for name, value in _properties(report):
        ET.SubElement(properties, "property", name=name, value=value)
    return suite


def _cases(suite: ET.Element, report: Report) -> None:
    """One <testcase> per check, in the suite's order, then any check only a finding names."""
    by_check: dict[str, list[Finding]] = {check: [] for check in report.checks}
    for finding in report.findings:
        by_check.setdefault(finding.check, []).append(finding)
    for check, found in by_check.items():
        case = ET.SubElement(suite, "testcase", classname=CLASSNAME, name=check, time="0")
        errors = [finding for finding in found if finding.severity == "error"]
        if errors:
            failure = ET.SubElement(case, "failure", message=_headline(errors), type=check)
            failure.text = "\n\n".join(_text(report, finding) for finding in errors)
        output = [f"WARNING {_text(report, finding)}" for finding in found if finding.severity == "warning"]
        if check == "latency":
            output.insert(0, f"latency: {describe(report.latency, report.max_latency)}")
        if output:
            ET.SubElement(case, "system-out").text = "\n\n".join(output)


def _unjudged(suite: ET.Element, error: str) -> None:
    """The one test case of a run that could not judge the server."""
    case = ET.SubElement(suite, "testcase", classname=CLASSNAME, name="judge the server", time="0")
    headline = f"could not judge the server: {error}"
    error_element = ET.SubElement(case, "error", message=headline, type="could-not-judge")
    error_element.text = f"{headline}\nNo rule was judged (exit 2): check the URL, the key (--header) and the options."


def _headline(errors: list[Finding]) -> str:
    """A failure's message: the first error in one line (title, count, received vs documented), and how many more."""
    first = errors[0]
    times = f" (x{first.count})" if first.count > 1 else ""
    more = f" [and {len(errors) - 1} more finding(s) of this check]" if len(errors) > 1 else ""
    return f"{first.title}{times}: {first.message}{more}"


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
    """A finding in full: title and count, received vs documented, why, who saw it, a curl line."""
    times = f" (x{finding.count})" if finding.count > 1 else ""
    lines = [
        f"{finding.title}{times}",
        finding.message,
        f"Why ({SOURCE_WORDS[finding.source]}): {finding.why}",
        f"Seen by: {', '.join(sorted(finding.seen_by))}",
    ]
    curl = report.curl(finding)
    if curl:
        lines.append(f"Reproduce: {curl}")
    return "\n".join(lines)
