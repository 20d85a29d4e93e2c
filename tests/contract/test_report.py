"""Reports (contract/report/): human summary, JSON and JUnit XML, none of which shows a header value."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from contract.checks import CHECK_IDS
from contract.errors import RuleViolation
from contract.findings import FindingSet
from contract.report import human, json_report, junit
from contract.report.model import Report
from contract.spec import Contract
from tests.contract.exchanges import make

SECRET = "sekret"


@pytest.fixture
def report(contract: Contract) -> Report:
    """A report with one seed error, one inferred warning and a note."""
    findings = FindingSet(contract, strict=False)
    exchange = make("/mailer/sendstatistics/1?fields=%5B%22id%22%5D")
    findings.add(RuleViolation("view-id-is-path-id", "Another mailing", "Received: id 2. Documented: id 1."), exchange)
    findings.add(
        RuleViolation("opened-within-delivered", "opened > delivered", "Received: 2. Documented: 1."), exchange
    )
    return Report(
        base_url="http://api.test",
        profile="ci",
        strict=False,
        seed=7,
        document="openapi.yaml",
        findings=list(findings),
        notes=["A note."],
        requests={"sendstat": 3, "schemathesis": 4},
        duration=1.5,
        masked=frozenset({"X-Estis-Auth"}),
        checks=CHECK_IDS,
    )


def test_exit_code_follows_errors(report: Report) -> None:
    """A report with an error fails (exit 1); warnings alone do not."""
    assert (report.exit_code, report.verdict) == (1, "fail")
    report.findings = report.warnings
    assert (report.exit_code, report.verdict) == (0, "pass")


def test_human_summary(report: Report) -> None:
    """The summary says which rule, received vs documented, why (quoting the rule), and a masked curl line."""
    text = human.render(report)
    assert text.startswith("sendstat check: FAIL - 1 error(s), 1 warning(s)")
    assert "ERROR [view-id-is-path-id] Another mailing" in text
    assert "WARNING (an error with --strict) [opened-within-delivered]" in text
    assert "Why (a seed rule): The view returns the statistics of the mailing named by the path id." in text
    assert "Reproduce: curl -sS -g -i -H 'X-Estis-Auth: ***'" in text
    assert "7 requests (3 by sendstat, 4 by schemathesis)" in text
    assert SECRET not in text


def test_json_report(report: Report) -> None:
    """The JSON report carries the verdict, each rule with severity, source, why and a masked curl line."""
    data = json.loads(json_report.render(report))
    assert (data["verdict"], data["exit_code"], data["summary"]) == ("fail", 1, {"errors": 1, "warnings": 1})
    first = data["findings"][0]
    assert (first["rule"], first["severity"], first["source"]) == ("view-id-is-path-id", "error", "seed")
    assert first["request"]["curl"].startswith("curl ")
    assert SECRET not in json.dumps(data)


def test_junit_report(report: Report) -> None:
    """The JUnit XML has a test case per check, a failure for each failing check, warnings as output."""
    root = ET.fromstring(junit.render(report))  # noqa: S314 - our own output
    cases = {case.get("name"): case for case in root.iter("testcase")}
    assert set(cases) == set(CHECK_IDS)
    assert cases["view-id-is-path-id"].find("failure") is not None
    assert cases["opened-within-delivered"].find("failure") is None
    assert "WARNING" in (cases["opened-within-delivered"].findtext("system-out") or "")
    suite = root.find("testsuite")
    assert suite is not None
    assert suite.get("failures") == "1"
    assert SECRET not in junit.render(report)
