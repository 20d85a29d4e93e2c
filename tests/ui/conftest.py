"""Fixtures of the UI's browser tests: one chromium per session, live mocks on port 0, a fresh page per test."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Browser, Page

from tests._tools import require_tool
from tests.robustness._mock import MockProcess
from tests.ui._browser import launch, live_mock

ROOT = Path(__file__).resolve().parents[2]
# Screenshots of failing browser tests (reports/ is not committed).
REPORTS = ROOT / "reports" / "ui"
TOKEN = "ui-test-token"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Debian chromium, one for the whole session."""
    executable = require_tool("chromium", "for the UI's browser tests (tests/ui)")
    with launch(executable) as (_, running):
        yield running


@pytest.fixture(scope="session")
def mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockProcess]:
    """`sendstat mock --port 0` on the default scenario, without a control token."""
    with live_mock([], tmp_path_factory.mktemp("ui") / "mock.log") as running:
        yield running


@pytest.fixture(scope="session")
def guarded_mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockProcess]:
    """`sendstat mock --port 0 --control-token TOKEN`."""
    with live_mock(["--control-token", TOKEN], tmp_path_factory.mktemp("ui") / "guarded.log") as running:
        yield running


def open_page(browser: Browser, url: str) -> Generator[Page, None, None]:
    """Open url in a fresh context (clipboard allowed); fail the test on any script error of the page."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    try:
        yield page
    finally:
        context.close()
    assert not errors, f"the page threw: {errors}"


@pytest.fixture
def ui(browser: Browser, mock: MockProcess) -> Generator[Page, None, None]:
    """The UI of the unguarded mock, reset to its start state first."""
    requests.post(f"{mock.url}/__mock/reset", timeout=10).raise_for_status()
    yield from open_page(browser, f"{mock.url}/__mock/ui")


@pytest.fixture
def guarded_ui(browser: Browser, guarded_mock: MockProcess) -> Generator[Page, None, None]:
    """The UI of the mock that requires a control token, in a tab that holds no token yet."""
    yield from open_page(browser, f"{guarded_mock.url}/__mock/ui")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Save a screenshot of the page of a failing browser test under reports/ui/."""
    report = yield
    pages = [value for value in getattr(item, "funcargs", {}).values() if isinstance(value, Page)]
    if report.when == "call" and report.failed and pages:
        page = pages[0]
        REPORTS.mkdir(parents=True, exist_ok=True)
        path = REPORTS / f"{item.name}.png"
        page.screenshot(path=str(path), full_page=True)
        report.sections.append(("screenshot", str(path)))
    return report
