"""Control routes of the request journal: what the API answered, filtered; how many; clearing it."""

from __future__ import annotations

from flask import Blueprint, Response, request

from mockserver.control.api.common import reply, runtime
from mockserver.state.journal import JournalFilter

__all__ = ["register"]


def register(bp: Blueprint) -> None:
    """Add the journal routes to the control blueprint."""
    bp.add_url_rule("/journal", "journal", entries)
    bp.add_url_rule("/journal/count", "journal_count", count)
    bp.add_url_rule("/journal", "clear_journal", clear, methods=["DELETE"])


def entries() -> Response:
    """List the matching entries, oldest first (at most `limit`), and how many match in all."""
    found, total = runtime().journal.find(_filter())
    return reply({"count": total, "entries": [entry.to_json() for entry in found]})


def count() -> Response:
    """Count the matching entries."""
    return reply({"count": runtime().journal.count(_filter())})


def clear() -> Response:
    """Delete the matching entries (all without a filter) and say how many."""
    return reply({"deleted": runtime().journal.clear(_filter())})


def _filter() -> JournalFilter:
    """Read the filter from the query: path (a trailing * for a prefix), method, status, scenario, session..."""
    return JournalFilter.from_args(request.args.to_dict())
