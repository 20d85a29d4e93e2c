"""Control routes of the request journal: entries filtered, one exchange in full, how many, clearing it."""

from __future__ import annotations

from flask import Blueprint, Response, request

from mockserver.control.api.common import reply, runtime
from mockserver.errors import ControlError
from mockserver.state.journal import JournalFilter

__all__ = ["register"]


def register(bp: Blueprint) -> None:
    """Add the journal routes to the control blueprint."""
    bp.add_url_rule("/journal", "journal", entries)
    bp.add_url_rule("/journal/count", "journal_count", count)
    bp.add_url_rule("/journal/<seq>", "journal_entry", opened)
    bp.add_url_rule("/journal", "clear_journal", clear, methods=["DELETE"])


def entries() -> Response:
    """List the matching entries, oldest first (at most `limit`), and how many match in all."""
    found, total = runtime().journal.find(_filter())
    return reply({"count": total, "entries": [entry.to_json() for entry in found]})


def opened(seq: str) -> Response:
    """Show one entry in full: its summary, the request's headers, the answer's headers and body."""
    found = runtime().journal.opened(int(seq)) if seq.isascii() and seq.isdigit() and len(seq) < 19 else None
    if found is None:
        raise ControlError(f"no journal entry {seq[:40]!r}: never written, cleared, or pruned", 404)
    return reply(found)


def count() -> Response:
    """Count the matching entries."""
    return reply({"count": runtime().journal.count(_filter())})


def clear() -> Response:
    """Delete the matching entries (all without a filter) and say how many."""
    return reply({"deleted": runtime().journal.clear(_filter())})


def _filter() -> JournalFilter:
    """Read the filter from the query: path (a trailing * for a prefix), method, status, scenario, session..."""
    return JournalFilter.from_args(request.args.to_dict())
