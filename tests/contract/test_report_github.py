"""`--format github` (contract/report/github.py): an annotation per finding, escaped; the report inert to the runner."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contract.checks import CHECK_IDS
from contract.errors import RuleViolation
from contract.findings import FindingSet
from contract.report import github, human
from contract.report.model import Report
from contract.spec import Contract
from tests._workflow_commands import runner_commands, unescape_data, unescape_property
from tests.contract.exchanges import make

SECRET = "sekret"


def _report(contract: Contract, violations: list[RuleViolation]) -> Report:
    """A report of these violations, each with an example request."""
    findings = FindingSet(contract, strict=False)
    exchange = make("/mailer/sendstatistics/1?fields=%5B%22id%22%5D")
    for violation in violations:
        findings.add(violation, exchange)
    return Report(
        base_url="http://api.test",
        profile="ci",
        strict=False,
        seed=7,
        document="openapi.yaml",
        findings=list(findings),
        requests={"sendstat": 3},
        masked=frozenset({"X-Estis-Auth"}),
        checks=CHECK_IDS,
    )


@pytest.fixture
def report(contract: Contract) -> Report:
    """A report with a warning found first, then an error seen twice."""
    return _report(
        contract,
        [
            RuleViolation("opened-within-delivered", "opened > delivered", "Received: 2. Documented: at most 1."),
            RuleViolation("view-id-is-path-id", "Another mailing", "Received: id 2. Documented: id 1."),
            RuleViolation("view-id-is-path-id", "Another mailing", "Received: id 2. Documented: id 1."),
        ],
    )


def test_each_finding_is_one_annotation_errors_first(report: Report) -> None:
    """An error and a warning give one ::error and one ::warning, titled with the rule, received vs documented."""
    commands = runner_commands(github.render(report))
    assert [(command.name, command.properties) for command in commands] == [
        ("error", {"title": "view-id-is-path-id"}),
        ("warning", {"title": "opened-within-delivered"}),
    ]
    error, warning = commands
    assert error.message.splitlines()[:2] == ["Another mailing (x2)", "Received: id 2. Documented: id 1."]
    assert error.message.splitlines()[2].startswith("Reproduce: curl -sS -g -i -H 'X-Estis-Auth: ***'")
    assert "an error with --strict" in warning.message.splitlines()[0]
    assert SECRET not in github.render(report)


def test_the_human_report_comes_first_with_commands_off(report: Report) -> None:
    """The whole human report is printed between ::stop-commands::TOKEN and ::TOKEN::, then the annotations."""
    lines = github.render(report, token="t0ken").splitlines()
    assert lines[0] == "::stop-commands::t0ken"
    end = lines.index("::t0ken::")
    assert "\n".join(lines[1:end]) + "\n" == human.render(report)
    assert all(line.startswith(("::error ", "::warning ")) for line in lines[end + 1 :])


def test_the_token_is_new_each_run(report: Report) -> None:
    """Two renderings use different stop tokens, so no server can end the block by guessing it."""
    first, second = (github.render(report).splitlines()[0] for _ in range(2))
    assert first != second
    assert len(first.removeprefix("::stop-commands::")) >= 32


def test_a_servers_text_never_becomes_a_command(contract: Contract) -> None:
    """Workflow commands a server writes into a body or key reach the log as text: the runner obeys only ours."""
    forged = "x " * 60 + "::add-mask::pwned ##[set-output name=a]b ::warning title=fake::pwned"
    report = _report(contract, [RuleViolation("response-schema", f"undocumented key {forged}", f"Received: {forged}")])
    stdout = github.render(report)
    assert "::add-mask::pwned" in stdout  # printed, as text
    commands = runner_commands(stdout)
    assert [(command.name, command.properties["title"]) for command in commands] == [("error", "response-schema")]
    assert "pwned" in commands[0].message  # the annotation quotes it, escaped inside one command


@pytest.mark.parametrize("kind", ["error", "warning"])
def test_more_than_ten_of_a_kind_name_the_rest(contract: Contract, kind: str) -> None:
    """GitHub keeps 10 annotations of a kind per step: the 10th of 12 says 3 more and names their rules."""
    rule = {"error": "view-id-is-path-id", "warning": "opened-within-delivered"}[kind]
    violations = [RuleViolation(rule, f"title {n}", f"Received: {n}. Documented: 0.") for n in range(12)]
    commands = runner_commands(github.render(_report(contract, violations)))
    assert [command.name for command in commands] == [kind] * github.PER_KIND
    assert commands[-1].properties["title"] == f"sendstat check: 3 more {kind}s"
    assert commands[-1].message.endswith(f": {rule}")


def test_a_server_not_judged_is_one_error_annotation() -> None:
    """A run that could not judge the server prints one ::error saying why, and no report block."""
    report = Report(base_url="", profile="ci", strict=False, seed=0, document="", error="cannot reach http://x: no")
    stdout = github.render(report)
    assert [(command.name, command.properties, command.message) for command in runner_commands(stdout)] == [
        ("error", {"title": github.UNJUDGED_TITLE}, "cannot reach http://x: no (exit 2: the server was not judged)")
    ]
    assert "stop-commands" not in stdout


@settings(deadline=None)  # a pure function: a loaded machine's pause is no failure
@given(st.text())
def test_escaping_round_trips_through_the_runner(text: str) -> None:
    """Whatever the text, the runner reads back exactly it: a message never holds CR or LF, a property no : or ,."""
    data, prop = github.escape_data(text), github.escape_property(text)
    assert unescape_data(data) == text
    assert unescape_property(prop) == text
    assert not {"\r", "\n"} & set(data)
    assert not {"\r", "\n", ":", ","} & set(prop)


def test_escaping_of_each_special_character() -> None:
    """%, CR and LF are escaped in a message; : and , too in a property (as actions/toolkit does)."""
    assert github.escape_data("50%\r\na:b,c") == "50%25%0D%0Aa:b,c"
    assert github.escape_property("50%\r\na:b,c") == "50%25%0D%0Aa%3Ab%2Cc"
