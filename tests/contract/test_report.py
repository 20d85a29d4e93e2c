"""Reports (contract/report/): human summary, JSON and JUnit XML, none of which shows a header value."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from contract.checks import CHECK_IDS
from contract.errors import RuleViolation
from contract.findings import FindingSet
from contract.latency import Latency
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
        latency={"index": Latency(4, 0.01, 0.02, 0.03), "view": Latency(9, 0.1, 1.5, 2.0)},
        max_latency=1.0,
        budget=60,
        max_body="64 MiB",
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


def test_junit_failure_headline_is_the_finding(contract: Contract) -> None:
    """A failure's message (what CI test views show as its headline) holds title, count, received vs documented."""
    findings = FindingSet(contract, strict=False)
    exchange = make("/mailer/sendstatistics/1")
    for _ in range(3):
        findings.add(
            RuleViolation("view-id-is-path-id", "Another mailing", "Received: id 2. Documented: id 1."), exchange
        )
    findings.add(RuleViolation("view-id-is-path-id", "No id at all", "Received: no id. Documented: id 1."), exchange)
    report = Report(
        base_url="http://api.test", profile="ci", strict=False, seed=1, document="openapi.yaml",
        findings=list(findings), checks=CHECK_IDS, masked=frozenset({"X-Estis-Auth"}),
    )  # fmt: skip
    root = ET.fromstring(junit.render(report))  # noqa: S314 - our own output
    failure = next(case for case in root.iter("testcase") if case.get("name") == "view-id-is-path-id").find("failure")
    assert failure is not None
    assert failure.get("message") == (
        "Another mailing (x3): Received: id 2. Documented: id 1. [and 1 more finding(s) of this check]"
    )
    details = failure.text or ""
    assert details.startswith("Another mailing (x3)\nReceived: id 2. Documented: id 1.\nWhy (a seed rule): ")
    assert "No id at all\nReceived: no id. Documented: id 1." in details
    assert "Reproduce: curl " in details


def test_junit_root_carries_the_counts(report: Report) -> None:
    """<testsuites> repeats the suite's tests, failures, errors and time, for viewers that read only the root."""
    root = ET.fromstring(junit.render(report))  # noqa: S314 - our own output
    suite = root.find("testsuite")
    assert suite is not None
    counted = ("tests", "failures", "errors", "skipped", "time")
    assert {key: root.get(key) for key in counted} == {key: suite.get(key) for key in counted}
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == (str(len(CHECK_IDS)), "1", "0")


@pytest.fixture
def unjudged() -> Report:
    """The report of a run that could not judge its server."""
    return Report(
        base_url="http://api.test", profile="production", strict=False, seed=3, document="", error="cannot reach it"
    )


def test_a_server_not_judged_is_exit_2_in_every_format(unjudged: Report) -> None:
    """Exit 2 says why in the human, JSON and JUnit reports; JUnit shows it as an <error>, not a failure."""
    assert (unjudged.exit_code, unjudged.verdict) == (2, "error")
    assert human.render(unjudged).startswith("sendstat check: COULD NOT JUDGE - cannot reach it\n")
    data = json.loads(json_report.render(unjudged))
    assert (data["verdict"], data["exit_code"], data["error"], data["findings"]) == ("error", 2, "cannot reach it", [])
    root = ET.fromstring(junit.render(unjudged))  # noqa: S314 - our own output
    (case,) = root.iter("testcase")
    error = case.find("error")
    assert error is not None
    assert error.get("message") == "could not judge the server: cannot reach it"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("1", "0", "1")


def test_a_judged_run_has_no_error_in_json(report: Report) -> None:
    """A run that judged the server writes "error": null."""
    assert json.loads(json_report.render(report))["error"] is None


def test_every_format_gives_the_latency_and_the_budget(report: Report) -> None:
    """p50, p95 and max per operation and the time budget appear in the human, JSON and JUnit reports."""
    text = human.render(report)
    assert "in 1.5 s of a 60 s budget" in text
    assert "latency: index p50 0.01 s, p95 0.02 s, max 0.03 s (4); view p50 0.10 s, p95 1.50 s, max 2.00 s (9)" in text
    data = json.loads(json_report.render(report))
    assert data["latency"]["view"] == {"count": 9, "p50": 0.1, "p95": 1.5, "max": 2.0}
    assert (data["budget_seconds"], data["max_body"], data["max_latency_seconds"]) == (60, "64 MiB", 1.0)
    root = ET.fromstring(junit.render(report))  # noqa: S314 - our own output
    properties = {item.get("name"): item.get("value") for item in root.iter("property")}
    assert properties["latency.view.p95_seconds"] == "1.5000"
    assert properties["budget_seconds"] == "60"
    latency_case = next(case for case in root.iter("testcase") if case.get("name") == "latency")
    assert "view p50 0.10 s, p95 1.50 s" in (latency_case.findtext("system-out") or "")


def test_a_servers_control_bytes_never_reach_a_report(contract: Contract) -> None:
    """Control characters a server sent are escaped in every format; the JUnit XML stays well-formed."""
    findings = FindingSet(contract, strict=False)
    exchange = make("/mailer/sendstatistics?sort_field=%02w", 200, raw=b"\x1b[2J\x00oops")
    findings.add(
        RuleViolation(
            "response-schema", "index body has undocumented keys: \x07bell", f"Received: '{exchange.body_text()}'"
        ),
        exchange,
    )
    report = Report(
        base_url="http://api.test", profile="ci", strict=False, seed=1, document="openapi.yaml",
        findings=list(findings), notes=["a note"], checks=CHECK_IDS,
    )  # fmt: skip
    for text in (human.render(report), json_report.render(report), junit.render(report)):
        assert not any(ord(char) < 0x20 and char != "\n" for char in text)
        assert "\\x1b[2J\\x00oops" in text or "\\\\x1b[2J\\\\x00oops" in text
    ET.fromstring(junit.render(report))  # noqa: S314 - our own output
