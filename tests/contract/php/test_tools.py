"""require_tool (tests/_tools.py): the path when found, a visible skip without it, a failure in CI."""

from __future__ import annotations

import sys

import pytest

from tests._tools import CI_VARIABLE, require_tool


def test_a_program_on_path_is_returned() -> None:
    """A program that exists comes back as its path."""
    assert require_tool("python3", "to test") or require_tool(sys.executable, "to test")


def test_a_missing_program_skips_saying_why(monkeypatch: pytest.MonkeyPatch) -> None:
    """Outside CI a missing program skips the test with its name and why it is needed."""
    monkeypatch.delenv(CI_VARIABLE, raising=False)
    with pytest.raises(pytest.skip.Exception, match="no-such-tool-x is not on PATH; it is needed to test"):
        require_tool("no-such-tool-x", "to test")


def test_a_missing_program_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """With SENDSTAT_CI set a missing program is a failure naming the program."""
    monkeypatch.setenv(CI_VARIABLE, "1")
    with pytest.raises(pytest.fail.Exception, match=r"no-such-tool-x is not on PATH.*CI must install it"):
        require_tool("no-such-tool-x", "to test")
