"""The external programs some tests need (chromium, ...): found on PATH, else a visible skip, or a failure in CI."""

from __future__ import annotations

import os
import shutil

import pytest


def require_tool(name: str, why: str) -> str:
    """Return the path of program `name`; skip saying why it is needed, or fail when SENDSTAT_CI is set."""
    path = shutil.which(name)
    if path is not None:
        return path
    message = f"{name} is not installed (needed {why}); on Debian: apt-get install {name}"
    if os.environ.get("SENDSTAT_CI"):
        pytest.fail(f"SENDSTAT_CI is set and {message}: CI must install it", pytrace=False)
    pytest.skip(message)
