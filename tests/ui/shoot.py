"""Take the screenshots of docs/ui/ (one per page): `python -m tests.ui.shoot` from the checkout."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import requests

from tests.ui._browser import launch, live_mock

DOCS = Path(__file__).resolve().parents[2] / "docs" / "ui"
INDEX = "/mailer/sendstatistics"
PAGES = {
    "scenarios": "#scenarios",
    "journal": "#journal",
    "clock": "#clock",
    "mailings": "#mailings",
    "mailing": "#mailing/42",
    "faults": "#faults",
}


def main() -> None:
    """Start a mock on all-error-codes with some traffic, and screenshot each page of its UI."""
    executable = shutil.which("chromium")
    if executable is None:
        raise SystemExit("chromium is needed: apt-get install chromium")
    DOCS.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory() as scratch,
        live_mock(["--scenario", "all-error-codes"], Path(scratch) / "log") as mock,
    ):
        control = f"{mock.url}/__mock"
        requests.put(f"{control}/sessions/qa-checkout", json={"scenario": "flaky"}, timeout=10).raise_for_status()
        requests.put(f"{control}/sessions/qa-progress", json={"scenario": "in-progress"}, timeout=10).raise_for_status()
        for path, headers in [
            (INDEX, {}),
            (f"{INDEX}/42?fields=id,common", {"X-Estis-Auth": "my-key"}),
            (f"{INDEX}/101", {}),
            (f"{INDEX}/999", {}),
            (INDEX, {"X-Mock-Session": "qa-checkout"}),
            (f"{INDEX}/7", {"X-Mock-Session": "qa-checkout"}),
            (f"{INDEX}/22", {"X-Mock-Session": "qa-progress"}),
        ]:
            requests.get(f"{mock.url}{path}", headers=headers, timeout=10)
        with launch(executable) as (_, browser):
            page = browser.new_page(viewport={"width": 1280, "height": 860})
            for name, target in PAGES.items():
                page.goto(f"{mock.url}/__mock/ui{target}")
                page.locator("main h2").first.wait_for()
                if name == "journal":
                    page.locator("#journal-rows button").nth(1).click()
                    page.locator("#entry").wait_for()
                if name == "clock":
                    page.get_by_label("Clock of").select_option("qa-progress")
                    page.get_by_label("Mailing id").fill("22")
                    page.get_by_role("button", name="Watch").click()
                    page.locator("#watched svg").wait_for()
                if name == "faults":
                    page.get_by_label("Scenario", exact=True).select_option("flaky")
                    page.locator("#fault-table").wait_for()
                page.screenshot(path=str(DOCS / f"{name}.png"), full_page=name != "scenarios")
                print(DOCS / f"{name}.png")


if __name__ == "__main__":
    main()
