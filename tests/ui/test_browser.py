"""The UI in a real browser: what QA and frontend developers do, clicked through as a person would."""

from __future__ import annotations

import json
import re

import pytest
import requests
from playwright.sync_api import Page, expect

from contract.spec import Contract
from tests.robustness._mock import MockProcess
from tests.ui.conftest import TOKEN

pytestmark = pytest.mark.slow

INDEX = "/mailer/sendstatistics"


def make_active(ui: Page, scenario: str) -> None:
    """Make a scenario the server's active one from the Scenarios page."""
    ui.goto(re.sub(r"#.*$", "", ui.url) + "#scenarios")
    ui.get_by_role("button", name=f"Make {scenario} the active scenario").click()
    expect(ui.locator("#active-scenario")).to_have_text(scenario)


def test_all_error_codes_show_on_a_mailing(ui: Page, contract: Contract) -> None:
    """Switched to all-error-codes, mailing 42 lists all 27 codes with their class and both texts."""
    make_active(ui, "all-error-codes")
    ui.get_by_role("link", name="Mailings").click()
    ui.get_by_role("link", name=re.compile(r"^Mailing 42:")).click()
    rows = ui.locator("#errors tbody tr")
    expect(rows).to_have_count(len(contract.error_catalogue))
    assert rows.evaluate_all("rows => rows.map(r => Number(r.dataset.code))") == sorted(contract.error_codes)
    for entry in (contract.error_catalogue[0], contract.error_catalogue[-1]):
        row = ui.locator(f'#errors tr[data-code="{entry.code}"]')
        expect(row).to_contain_text(entry.error_class)
        expect(row).to_contain_text(entry.title)
        expect(row).to_contain_text(entry.ru)
    expect(ui.locator('[data-figure="delivered"]')).to_contain_text("of count")
    expect(ui.locator("svg.open-chart")).to_be_visible()
    raw = requests.get(
        f"{ui.url.split('/__mock')[0]}{INDEX}/42",
        params={"fields": '["id","common","open_time","click_statistic","domain_statistic","errors"]'},
        timeout=10,
    )
    expect(ui.locator("#raw")).to_have_text(raw.text)


def test_a_request_appears_in_the_journal_and_opens_in_full(ui: Page, mock: MockProcess) -> None:
    """A request sent from the test shows up in the live journal; opened, it shows headers, warnings and body."""
    ui.get_by_role("link", name="Journal").click()
    expect(ui.locator("#journal-count")).to_contain_text("0 matching")
    first = requests.get(f"{mock.url}{INDEX}", timeout=10).json()["statistics"][0]["id"]
    sent = requests.get(f"{mock.url}{INDEX}/{first}?fields=id,common", headers={"X-Estis-Auth": "s3cret"}, timeout=10)
    # Playwright sends a pattern as /source/: its slashes must be escaped.
    target = re.escape(f"{INDEX}/{first}?fields=id,common").replace("/", r"\/")
    entry = ui.get_by_role("button", name=re.compile(rf"^Open entry \d+: GET {target}$"))
    entry.click()
    detail = ui.locator("#entry")
    expect(detail).to_contain_text("X-Estis-Auth")
    expect(detail).to_contain_text("[redacted]")
    assert "s3cret" not in detail.inner_text()
    expect(ui.locator("#entry-warnings li")).to_have_count(len(sent.headers["X-Mock-Warning"].split(", comma")))
    expect(ui.locator("#entry-body")).to_have_text(json.dumps(sent.json(), indent=2))
    ui.get_by_role("button", name="Copy the request as a curl command").click()
    expect(ui.locator("#status")).to_contain_text(f"curl -i '{mock.url}{INDEX}/{first}?fields=id,common'")
    assert ui.evaluate("navigator.clipboard.readText()").startswith("curl -i ")
    ui.get_by_role("button", name="Clear journal").click()
    expect(ui.locator("#journal-rows tr")).to_have_count(0)
    expect(ui.locator("#status")).to_contain_text("Journal cleared")


def test_the_clock_moves_an_in_progress_mailing(ui: Page) -> None:
    """On in-progress, moving the clock by an hour shows mailing 22 with more opens and a changed chart."""
    make_active(ui, "in-progress")
    ui.get_by_role("link", name="Clock").click()
    ui.get_by_label("Mailing id").fill("22")
    ui.get_by_role("button", name="Watch").click()
    chart = ui.locator("#watched svg.open-chart")
    expect(chart).to_be_visible()
    before = int(chart.get_attribute("data-total") or 0)
    description = chart.locator("desc").text_content()
    ui.get_by_role("button", name="+1 hour").click()
    expect(ui.locator("#clock-now")).to_have_text("2024-12-05T13:00:00Z")
    expect(ui.locator("#watched svg.open-chart desc")).not_to_have_text(description or "")
    after = int(ui.locator("#watched svg.open-chart").get_attribute("data-total") or 0)
    assert after > before
    expect(ui.locator("#watched-opened")).to_have_text(f"{after:,}")


def test_a_sessions_scenario_applies_only_to_its_requests(ui: Page, mock: MockProcess) -> None:
    """A session created on `empty` answers 204 to requests that carry its header; the others still see default."""
    ui.get_by_label("Session id").fill("qa-ui")
    ui.get_by_label("Scenario", exact=True).first.select_option("empty")
    ui.get_by_role("button", name="Create session").click()
    expect(ui.locator('tr[data-session="qa-ui"]')).to_contain_text("serving empty")
    ui.get_by_role("button", name="Copy the header selecting session qa-ui").click()
    expect(ui.locator("#status")).to_contain_text("X-Mock-Session: qa-ui")
    assert requests.get(f"{mock.url}{INDEX}", headers={"X-Mock-Session": "qa-ui"}, timeout=10).status_code == 204
    assert requests.get(f"{mock.url}{INDEX}", timeout=10).status_code == 200
    ui.get_by_role("link", name="Mailings").click()
    expect(ui.locator("#index-status")).to_contain_text("answered 200, from scenario default")
    ui.get_by_label("Ask as session").select_option("qa-ui")
    expect(ui.locator("#index-status")).to_contain_text("answered 204, from scenario empty (session qa-ui)")
    ui.get_by_role("link", name="Journal").click()
    rows = ui.locator("#journal-rows tr")
    expect(rows.filter(has_text="qa-ui").filter(has_text="204")).not_to_have_count(0)
    expect(rows.filter(has_text="default").filter(has_text="200")).not_to_have_count(0)


def test_the_token_is_asked_for_when_one_is_required(guarded_ui: Page) -> None:
    """The page loads without the token, asks for it, refuses a wrong one and keeps a right one for the tab."""
    expect(guarded_ui.get_by_role("heading", name="Control token")).to_be_visible()
    guarded_ui.get_by_role("textbox", name="Control token").fill("wrong")
    guarded_ui.get_by_role("button", name="Use token").click()
    expect(guarded_ui.locator("#token-error")).to_have_text("That token is not accepted.")
    guarded_ui.get_by_role("textbox", name="Control token").fill(TOKEN)
    guarded_ui.get_by_role("button", name="Use token").click()
    expect(guarded_ui.locator("#active-scenario")).to_have_text("default")
    guarded_ui.reload()
    expect(guarded_ui.locator("#active-scenario")).to_have_text("default")
    guarded_ui.get_by_role("button", name="Forget token").click()
    expect(guarded_ui.get_by_role("heading", name="Control token")).to_be_visible()


@pytest.mark.parametrize("page", ["scenarios", "journal", "clock", "mailings", "faults", "mailing/2"])
def test_every_control_is_labelled_and_reachable_by_keyboard(ui: Page, page: str) -> None:
    """Every input, select and button has an accessible name, and Tab reaches each of them."""
    ui.goto(f"{ui.url.split('#')[0]}#{page}")
    ui.locator("main h2").first.wait_for()
    unnamed = ui.evaluate(
        """() => [...document.querySelectorAll('main input, main select, main textarea, main button')]
            .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.textContent.trim())
            .map(el => el.outerHTML)"""
    )
    assert unnamed == []
    controls = ui.locator("main :is(input, select, button, a[href]):visible:not([disabled])")
    wanted = controls.count()
    reached = set()
    for _ in range(wanted + 20):
        ui.keyboard.press("Tab")
        reached.add(ui.evaluate("document.activeElement.outerHTML"))
    missing = [html for html in controls.evaluate_all("els => els.map(el => el.outerHTML)") if html not in reached]
    assert missing == []
