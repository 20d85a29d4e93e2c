"""Prism-compatible preferences: Prefer: code=N and __code=N."""

from __future__ import annotations

import pytest

from mockserver.control.prefer import read_code


@pytest.mark.parametrize(
    ("headers", "query", "code"),
    [
        ([], None, None),
        (["code=404"], None, 404),
        (["Code = 400"], None, 400),
        (['code="401"'], None, 401),
        (["return=minimal, code=403; strict"], None, 403),
        (["code=404", "code=400"], None, 400),
        (["code=404"], "200", 200),
        (["respond-async, wait=5"], None, None),
    ],
)
def test_the_preferred_code_is_read_as_prism_writes_it(headers: list[str], query: str | None, code: int | None) -> None:
    """Comma-separated preferences, optional quotes and parameters, the last wins; the query's __code wins over all."""
    assert read_code(headers, query) == (code, [])


@pytest.mark.parametrize(
    ("headers", "query", "fragment"),
    [
        (["code=abc"], None, 'preferred code "abc" is not an HTTP status'),
        ([], "4040", 'preferred code "4040" is not an HTTP status'),
        (["example=cat"], None, "example= is a Prism preference this mock does not support"),
        (["dynamic=true"], None, "dynamic= is a Prism preference"),
    ],
)
def test_preferences_the_mock_cannot_follow_warn(headers: list[str], query: str | None, fragment: str) -> None:
    """A code that is no status, and Prism's example/dynamic, give a warning and no code."""
    code, warnings = read_code(headers, query)
    assert code is None
    assert len(warnings) == 1
    assert fragment in warnings[0]
