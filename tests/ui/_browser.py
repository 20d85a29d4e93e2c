"""Debian's chromium driven by Playwright (never a browser of its own), and a live mock for it to open."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from playwright.sync_api import Browser, Playwright, sync_playwright

from tests.robustness._mock import MockProcess, start_mock

__all__ = ["CHROMIUM_ARGS", "launch", "live_mock"]

# What works on this machine (as root, no network): no sandbox, no GPU, nothing fetched in the background.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


@contextlib.contextmanager
def launch(executable: str) -> Iterator[tuple[Playwright, Browser]]:
    """Start headless chromium from its path (Playwright gives each launch a fresh profile directory)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=list(CHROMIUM_ARGS))
        try:
            yield playwright, browser
        finally:
            browser.close()


@contextlib.contextmanager
def live_mock(args: list[str], log: Path) -> Iterator[MockProcess]:
    """Run `sendstat mock --port 0 ARGS` until the block ends."""
    running = start_mock(args, log)
    try:
        yield running
    finally:
        running.stop()
