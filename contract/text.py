"""A server's text made safe to show: control and other non-printable characters escaped, one line, bounded."""

from __future__ import annotations

import re

# An internal object's repr, as exception messages of libraries carry them: `<Foo object at 0x7f...>`.
_OBJECT_REPR = re.compile(r"<[^<>]{0,200}? at 0x[0-9a-fA-F]+>")


def printable(text: str, limit: int | None = None) -> str:
    """Escape every non-printable character (controls, DEL, C1, bidi marks, lone surrogates); cut at `limit`."""
    shown = text if limit is None or len(text) <= limit else text[:limit] + "…"
    if shown.isprintable():
        return shown
    return "".join(char if char.isprintable() else _escape(char) for char in shown)


def one_line(text: str, limit: int | None = None) -> str:
    """Whitespace runs (newlines included) as single spaces, then `printable`."""
    return printable(" ".join(text.split()), limit)


def without_reprs(text: str) -> str:
    """Replace `<... object at 0x...>` reprs of internal objects with `<...>`."""
    return _OBJECT_REPR.sub("<...>", text)


def _escape(char: str) -> str:
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"
