"""A server's text made safe to show (contract/text.py): escaped, on one line, without internal reprs."""

from __future__ import annotations

import pytest

from contract.text import one_line, printable, without_reprs


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("sort_field=\x02w", "sort_field=\\x02w"),
        ("\x1b[31mred\x00", "\\x1b[31mred\\x00"),
        ("a\x7fb\x85c", "a\\x7fb\\x85c"),
        ("left\u202eright", "left\\u202eright"),
        ("lone \ud800", "lone \\ud800"),
        ("tab\tand\nnewline", "tab\\x09and\\x0anewline"),
    ],
)
def test_non_printable_characters_are_escaped(raw: str, shown: str) -> None:
    """Controls, DEL, C1, bidi overrides and lone surrogates are shown as escapes, never raw."""
    assert printable(raw) == shown


def test_printable_text_is_kept_as_is() -> None:
    """Cyrillic, emoji and punctuation are printable and stay as they are."""
    text = 'Скидки до 50% 🔥 {"id": 1}'
    assert printable(text) == text


def test_long_text_is_cut() -> None:
    """A limit cuts the text and marks the cut."""
    assert printable("abcdef", 3) == "abc…"


def test_one_line_joins_whitespace_runs() -> None:
    """Newlines and runs of spaces become one space before escaping."""
    assert one_line("a\n  b\r\n\x02c") == "a b \\x02c"


def test_internal_reprs_are_removed() -> None:
    """`<... object at 0x...>` reprs of library objects are replaced by `<...>`."""
    text = "ctx=<schemathesis.checks.CheckContext object at 0x7f571a678b80>, ok"
    assert without_reprs(text) == "ctx=<...>, ok"
