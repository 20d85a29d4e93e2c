"""Rendering a client's text for warnings: quoted, ASCII, bounded, listed."""

from __future__ import annotations

import pytest

from mockserver.text import listed, quote


@pytest.mark.parametrize(
    ("text", "expected"),
    [("id", '"id"'), ("a\r\nX-Evil: 1", '"a\\r\\nX-Evil: 1"'), ("é", '"\\u00e9"'), ("x" * 70, '"' + "x" * 60 + '"...')],
)
def test_quote_makes_client_text_safe_for_a_header(text: str, expected: str) -> None:
    """Client text is JSON-quoted ASCII, control characters escaped, cut after 60 characters."""
    assert quote(text) == expected


def test_listed_shows_five_and_counts_the_rest() -> None:
    """Up to five values are shown; past them, how many more there are."""
    assert listed(["a", "b"]) == "a, b"
    assert listed([str(i) for i in range(8)]) == "0, 1, 2, 3, 4 and 3 more"
    assert listed(["a"], total=9) == "a and 4 more"
