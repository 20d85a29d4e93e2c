"""The request journal, whatever holds it: its entries and filters, and the buffer every backend writes through.

Requests are recorded in a per-worker buffer and written in batches (mockserver.state.batching), not one
write per request. A read (find, count, clear) first makes every worker write its buffer (sync): so a read
sees every request answered before it began, by any worker. Entries are listed by the time their answer
was ready; `seq` numbers them as they were written. A backend (state/local, state/redis) says how a batch
is written, how the other workers are asked to write theirs, and how entries are read.
"""

from __future__ import annotations

import json
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mockserver.errors import ControlError
from mockserver.state.batching import Batcher, BatchSettings
from mockserver.state.clock import iso, parse_time
from mockserver.state.exchange import Exchange

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_TEXT",
    "SUMMARY",
    "SYNC_SECONDS",
    "Entry",
    "Journal",
    "JournalFilter",
    "Row",
    "entry_of",
    "row_of",
]

DEFAULT_LIMIT = 1000
MAX_TEXT = 2000  # characters kept of a path or query: the journal is bounded in bytes too
# How long a read waits for the other workers' buffers; a worker that does not answer by then is
# stuck or gone, and the read goes on with what was written.
SYNC_SECONDS = 2.0
_STATUS = re.compile(r"^([1-5])(?:xx|XX)$|^([1-5][0-9][0-9])$")
# The values of an entry's summary in a Row: time, method, path, query, scenario, session, status, fault,
# warnings (JSON), duration_ms, worker.
SUMMARY = 11
# An entry as recorded: its summary's values, then its exchange's (Exchange.columns: the request's headers
# raw, the answer's id, headers as JSON, kept body and size; None each when not recorded).
Row = tuple[Any, ...]


@dataclass(frozen=True)
class Entry:
    """One answered request: when, what, under which scenario and session, and how it was answered.

    status is None when no answer was sent (a dropped connection or a timeout); fault names the injected
    fault (or "forced" for a scenario's forced answer); worker is the answering process's id.
    """

    time: float
    method: str
    path: str
    query: str
    scenario: str | None
    session: str | None
    status: int | None
    fault: str | None
    warnings: tuple[str, ...]
    duration_ms: float
    worker: int = 0
    seq: int = 0
    exchange: Exchange | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the entry as the control API shows it."""
        return {
            "seq": self.seq,
            "time": iso(int(self.time)),
            "unix": round(self.time, 6),
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "scenario": self.scenario,
            "session": self.session,
            "status": self.status,
            "fault": self.fault,
            "warnings": list(self.warnings),
            "duration_ms": round(self.duration_ms, 3),
            "worker": self.worker,
        }


@dataclass(frozen=True)
class JournalFilter:
    """Which entries to show: each given field must match; path may end in * (a prefix)."""

    path: str | None = None
    method: str | None = None
    status: str | None = None
    scenario: str | None = None
    session: str | None = None
    since: float | None = None
    after: int | None = None
    limit: int = DEFAULT_LIMIT
    # oldest: the first `limit` matches, oldest first; newest: the last `limit`, newest first.
    order: str = "oldest"

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> JournalFilter:
        """Read a filter from query arguments, refusing unknown names and bad values."""
        unknown = sorted(set(args) - set(cls.__dataclass_fields__))
        if unknown:
            raise ControlError(f"unknown journal filter {unknown[0]!r}", known=sorted(cls.__dataclass_fields__))
        status = args.get("status")
        if status is not None and not _STATUS.match(status):
            raise ControlError(f"status must be a code (404) or a class (4xx), not {status[:20]!r}")
        order = args.get("order", "oldest")
        if order not in ("oldest", "newest"):
            raise ControlError(f"order must be oldest or newest, not {order[:20]!r}")
        since = args.get("since")
        return cls(
            path=args.get("path"),
            method=args["method"].upper() if "method" in args else None,
            status=status,
            scenario=args.get("scenario"),
            session=args.get("session"),
            since=None if since is None else parse_time(since, "since"),
            after=_number(args, "after", 0, 2**62),
            limit=_number(args, "limit", 1, 100_000) or DEFAULT_LIMIT,
            order=order,
        )

    def statuses(self) -> tuple[int, int] | None:
        """Return the status range asked for (a code is a range of one), None for any."""
        if self.status is None:
            return None
        if self.status.isdigit():
            return int(self.status), int(self.status)
        low = int(self.status[0]) * 100
        return low, low + 99

    def is_everything(self) -> bool:
        """Tell whether every entry matches (no field is given)."""
        fields = (self.path, self.method, self.status, self.scenario, self.session, self.since, self.after)
        return all(value is None for value in fields)

    def matches(self, entry: Entry) -> bool:
        """Tell whether an entry matches: the same test as the SQL the local journal runs (state/local)."""
        if self.path is not None:
            if self.path.endswith("*"):
                if not entry.path.startswith(self.path[:-1]):
                    return False
            elif entry.path != self.path:
                return False
        for name in ("method", "scenario", "session"):
            wanted = getattr(self, name)
            if wanted is not None and getattr(entry, name) != wanted:
                return False
        statuses = self.statuses()
        if statuses is not None and (entry.status is None or not statuses[0] <= entry.status <= statuses[1]):
            return False
        if self.since is not None and entry.time < self.since:
            return False
        return self.after is None or entry.seq > self.after


class Journal(ABC):
    """The journal of a shared state, holding at most `limit` entries (the oldest go first).

    Request threads record entries into a buffer; a background thread writes them in batches (`_write`),
    answering the flush requests `requested()` returns. Reads first sync.
    """

    def __init__(
        self,
        limit: int,
        settings: BatchSettings | None,
        *,
        requested: Callable[[], int],
        on_start: Callable[[], None] | None = None,
        on_idle: Callable[[], None] | None = None,
    ) -> None:
        self.limit = limit
        self.settings = settings or BatchSettings()
        self._buffer: Batcher[Row] = Batcher(
            self._write,
            self.settings,
            requested=requested,
            on_start=on_start or _nothing,
            on_idle=on_idle or _nothing,
            name="sendstat-journal",
        )

    def record(self, entry: Entry) -> None:
        """Keep an entry for the next batch (the request path: no write of its own)."""
        self._buffer.add(row_of(entry))

    def record_row(self, row: Row) -> None:
        """Keep an entry given as its column values (see row_of): what a cached answer journals, cheaply."""
        self._buffer.add(row)

    def flush(self) -> None:
        """Write this worker's buffer now, answering the latest flush request."""
        self._buffer.flush()

    def close(self) -> None:
        """Write what is buffered and stop the background writer."""
        self._buffer.close()

    @abstractmethod
    def append(self, entry: Entry) -> int:
        """Write an entry now and return its sequence number."""

    @abstractmethod
    def sync(self) -> None:
        """Make every entry recorded before now, by any worker, visible to reads (bounded wait)."""

    @abstractmethod
    def find(self, where: JournalFilter) -> tuple[list[Entry], int]:
        """Return the first `limit` matching entries (oldest first, or newest first), and how many match in all."""

    @abstractmethod
    def opened(self, seq: int) -> dict[str, Any] | None:
        """Return one entry in full as the control API shows it (entry, request, response); None when absent."""

    @abstractmethod
    def count(self, where: JournalFilter) -> int:
        """Return how many entries match."""

    @abstractmethod
    def clear(self, where: JournalFilter) -> int:
        """Delete the matching entries and return how many there were."""

    @abstractmethod
    def _write(self, rows: Sequence[Row], answered: int) -> None:
        """Write a batch and note that this worker answered flush request `answered`."""


def row_of(entry: Entry) -> Row:
    """Return an entry as recorded: its summary (path and query cut to MAX_TEXT, warnings as JSON), its exchange."""
    exchange = entry.exchange.columns() if entry.exchange is not None else (None,) * 5
    return (
        entry.time,
        entry.method,
        entry.path[:MAX_TEXT],
        entry.query[:MAX_TEXT],
        entry.scenario,
        entry.session,
        entry.status,
        entry.fault,
        json.dumps(entry.warnings),
        entry.duration_ms,
        entry.worker,
        *exchange,
    )


def entry_of(seq: int, summary: Sequence[Any]) -> Entry:
    """Return the entry of a stored summary (a Row's first SUMMARY values) and its sequence number."""
    when, method, path, query, scenario, session, status, fault, warnings, duration, worker = summary
    shown = tuple(json.loads(warnings))
    return Entry(when, method, path, query, scenario, session, status, fault, shown, duration, worker, seq)


def _nothing() -> None:
    return None


def _number(args: Mapping[str, str], name: str, low: int, high: int) -> int | None:
    """Read an optional whole number argument within [low, high]."""
    text = args.get(name)
    if text is None:
        return None
    if not text.isascii() or not text.isdigit() or len(text) > 20 or not low <= int(text) <= high:
        raise ControlError(f"{name} must be a whole number from {low} to {high}, not {text[:20]!r}")
    return int(text)
