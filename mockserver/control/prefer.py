"""Prism-compatible preferences: `Prefer: code=404` (or `__code=404` in the query) forces a documented answer."""

from __future__ import annotations

from collections.abc import Sequence

from mockserver.text import quote

__all__ = ["PRISM_UNSUPPORTED", "read_code"]

# Prism's other preferences: understood, not supported (the mock's answers come from its scenarios).
PRISM_UNSUPPORTED = ("example", "dynamic")


def read_code(prefer_headers: Sequence[str], query_code: str | None) -> tuple[int | None, list[str]]:
    """Return the status code a request prefers (the query's __code wins over Prefer) and warnings.

    Prefer holds comma-separated preferences, each `name[=value]` with optional `;` parameters (RFC 7240);
    preferences the mock does not know are ignored, as the RFC asks.
    """
    warnings: list[str] = []
    code_text: str | None = None
    for header in prefer_headers:
        for preference in header.split(","):
            name, _, value = preference.split(";", 1)[0].strip().partition("=")
            name, value = name.strip().lower(), value.strip().strip('"')
            if name == "code":
                code_text = value
            elif name in PRISM_UNSUPPORTED:
                warnings.append(f"Prefer: {name}= is a Prism preference this mock does not support; ignored")
    if query_code is not None:
        code_text = query_code
    if code_text is None:
        return None, warnings
    if not (code_text.isascii() and code_text.isdigit() and len(code_text) == 3):
        warnings.append(f"the preferred code {quote(code_text)} is not an HTTP status; ignored")
        return None, warnings
    return int(code_text), warnings
