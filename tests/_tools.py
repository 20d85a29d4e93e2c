"""Finding the external programs some tests need (chromium, php, ...)."""

from __future__ import annotations

import os
import shutil

import pytest


def require_tool(name: str, why: str) -> str:
    """Return the path of an executable; without it, skip the test, or fail it when SENDSTAT_CI is set."""
    found = shutil.which(name)
    if found is not None:
        return found
    message = f"{name} is not installed (needed {why}); on Debian: apt-get install {name}"
    if os.environ.get("SENDSTAT_CI"):
        pytest.fail(f"SENDSTAT_CI is set and {message}: CI requires it", pytrace=False)
    pytest.skip(message)
