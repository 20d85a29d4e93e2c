"""Rendering a client's text for the mock's warnings and messages: quoted, ASCII, bounded, listed."""

from __future__ import annotations

import json
from collections.abc import Sequence

__all__ = ["MAX_LISTED", "listed", "quote"]

# How many items a warning lists before it says how many more there are.
MAX_LISTED = 5


def quote(value: str, limit: int = 60) -> str:
    """Render a client's text for a header or log: JSON-quoted, ASCII only, cut to limit characters."""
    return json.dumps(value[:limit]) + ("..." if len(value) > limit else "")


def listed(values: Sequence[str], total: int | None = None) -> str:
    """Render up to MAX_LISTED rendered values and how many more there are (of total, default all)."""
    total = len(values) if total is None else total
    shown = ", ".join(values[:MAX_LISTED])
    return shown + (f" and {total - MAX_LISTED} more" if total > MAX_LISTED else "")
