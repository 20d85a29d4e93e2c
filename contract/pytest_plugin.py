"""pytest plugin: `pytest --sendstat-url URL` runs the contract suite as one test item per check.

Inert unless --sendstat-url is given: it only adds its options. The suite runs once, when the first item
runs; each item then fails with the messages of its check's errors and shows its warnings as a report
section. Heavy imports happen only when the option is given, so that every pytest run stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from contract.report.model import Report
    from contract.settings import Settings

OPTION = "sendstat_url"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add the plugin's options (all inert without --sendstat-url)."""
    group = parser.getgroup("sendstat", "SendStatistics contract suite (sendstat check)")
    group.addoption("--sendstat-url", dest=OPTION, metavar="URL", help="judge the server at URL against the contract")
    group.addoption("--sendstat-header", action="append", default=[], metavar="'NAME: VALUE'", help="repeatable")
    group.addoption("--sendstat-profile", default="ci", choices=("ci", "production"), help="budget profile")
    group.addoption("--sendstat-strict", action="store_true", help="inferred rules fail too")
    group.addoption("--sendstat-known-id", type=int, metavar="N", help="a mailing id that exists")
    group.addoption("--sendstat-seed", type=int, default=0, metavar="N", help="seed of generated inputs")
    group.addoption("--sendstat-max-examples", type=int, metavar="N", help="examples per operation and phase")
    group.addoption("--sendstat-spec", metavar="PATH", help="another OpenAPI document")
    group.addoption("--sendstat-rate-limit", metavar="N/s", help="at most N requests per s, m or h")
    group.addoption("--sendstat-timeout", type=float, metavar="SECONDS", help="one request, connect to last byte")
    group.addoption("--sendstat-budget", type=float, metavar="SECONDS", help="wall-clock budget of the whole run")
    group.addoption("--sendstat-max-body", metavar="SIZE", help="decoded bytes read of one answer (e.g. 64MiB)")
    group.addoption("--sendstat-max-latency", type=float, metavar="SECONDS", help="p95 latency that is a finding")


class ContractFailure(AssertionError):
    """A check of the contract suite found errors."""


class SuiteRun:
    """Runs the suite once, on first use, and keeps the report (or the setup error) for every item."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._report: Report | None = None
        self._error: Exception | None = None

    def report(self) -> Report:
        """The report of the run, running the suite the first time."""
        from contract.errors import ContractError
        from contract.runner import run

        if self._report is None and self._error is None:
            try:
                self._report = run(self.settings)
            except ContractError as exc:
                self._error = exc
        if self._error is not None:
            pytest.fail(f"sendstat: {self._error}", pytrace=False)
        assert self._report is not None
        return self._report


class ContractItem(pytest.Item):
    """One check of the suite as a test item."""

    def __init__(self, *, check: str, suite: SuiteRun, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.check = check
        self.suite = suite

    def runtest(self) -> None:
        """Fail with the check's errors; attach its warnings."""
        from contract.report.human import render_finding

        report = self.suite.report()
        found = [finding for finding in report.findings if finding.check == self.check]
        warnings = [finding for finding in found if finding.severity == "warning"]
        if warnings:
            self.add_report_section(
                "call", "sendstat warnings", "\n\n".join(render_finding(report, w) for w in warnings)
            )
        errors = [finding for finding in found if finding.severity == "error"]
        if errors:
            raise ContractFailure("\n\n".join(render_finding(report, error) for error in errors))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        """Show the suite's own messages, not a traceback of the plugin."""
        if isinstance(excinfo.value, ContractFailure):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo, style=style))

    def reportinfo(self) -> tuple[str, int | None, str]:
        """Where the item comes from, for pytest's report."""
        return "sendstat", None, f"sendstat check: {self.check}"


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """Append one item per check of the suite when --sendstat-url is given."""
    if not config.getoption(OPTION):
        return
    from contract.checks import CHECK_IDS

    suite = SuiteRun(settings_from_options(config))
    items.extend(
        ContractItem.from_parent(session, name=f"sendstat[{check}]", check=check, suite=suite) for check in CHECK_IDS
    )


def settings_from_options(config: pytest.Config) -> Settings:
    """Build run settings from the plugin's options (a malformed one is a usage error)."""
    from pathlib import Path

    from contract.errors import UsageError
    from contract.options import parse_base_url, parse_header, parse_rate, parse_seconds, parse_size
    from contract.settings import Settings

    option = config.getoption
    max_body = option("sendstat_max_body")
    try:
        headers = dict(parse_header(value) for value in option("sendstat_header"))
        base_url = parse_base_url(option(OPTION))
        parse_rate(option("sendstat_rate_limit"))
        timeout = parse_seconds(option("sendstat_timeout"), "--sendstat-timeout")
        budget = parse_seconds(option("sendstat_budget"), "--sendstat-budget")
        max_latency = parse_seconds(option("sendstat_max_latency"), "--sendstat-max-latency")
        body = parse_size(max_body, "--sendstat-max-body") if max_body is not None else None
    except UsageError as exc:
        raise pytest.UsageError(f"sendstat: {exc}") from exc
    spec = option("sendstat_spec")
    return Settings(
        base_url=base_url,
        profile=option("sendstat_profile"),
        spec=Path(spec) if spec else None,
        headers=headers,
        rate_limit=option("sendstat_rate_limit"),
        timeout=timeout,
        max_time=budget,
        max_body=body,
        max_latency=max_latency,
        seed=option("sendstat_seed"),
        max_examples=option("sendstat_max_examples"),
        strict=option("sendstat_strict"),
        known_id=option("sendstat_known_id"),
    )
