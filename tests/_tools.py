"""External programs the tests need (php-cli, chromium, redis-server): found on PATH, or a visible skip."""

from __future__ import annotations

import os
import shutil

import pytest

# CI sets this: there a missing program is a broken setup (.ci/run installs it), not a reason to skip.
CI_VARIABLE = "SENDSTAT_CI"


def require_tool(name: str, why: str) -> str:
    """Return the path of program `name`; skip saying why it is needed, or fail when SENDSTAT_CI is set."""
    path = shutil.which(name)
    if path is not None:
        return path
    message = f"{name} is not on PATH; it is needed {why}"
    if os.environ.get(CI_VARIABLE):
        pytest.fail(f"{message} ({CI_VARIABLE} is set: CI must install it)", pytrace=False)
    pytest.skip(message)
