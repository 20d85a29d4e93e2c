"""The request journal: every API request the mock answered, bounded, filterable, shared by all workers.

Requests are recorded in a per-worker buffer and written in batches (mockserver.state.batching), not one
insert per request. A read (find, count, clear) first makes every worker write its buffer: it bumps the
store's flush request, writes its own buffer, and waits (bounded) until every live worker that holds
entries has written up to that request. So a read sees every request answered before it began, by any
worker. Entries are listed by the time their answer was ready; `seq` numbers them as they were written.
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import sqlite3
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mockserver.errors import ControlError
from mockserver.state.batching import Batcher, BatchSettings
from mockserver.state.clock import iso, parse_time
from mockserver.state.exchange import Exchange, HeaderText, body_json
from mockserver.state.store import StateStore

__all__ = ["DEFAULT_LIMIT", "SUMMARY", "SYNC_SECONDS", "Entry", "Journal", "JournalFilter", "Row", "row_of"]

DEFAULT_LIMIT = 1000
MAX_TEXT = 2000  # characters kept of a path or query: the journal is bounded in bytes too
_PRUNE_EVERY = 64
# Answers no entry refers to any more are deleted when the sequence passes a multiple of this: the answer
# table holds the distinct answers of at most the journal's limit plus this many entries.
_SWEEP_EVERY = 4096
# How long a read waits for the other workers' buffers; a worker that does not answer by then is
# stuck or gone, and the read goes on with what was written.
SYNC_SECONDS = 2.0
_SYNC_POLL = 0.001
logger = logging.getLogger(__name__)
_STATUS = re.compile(r"^([1-5])(?:xx|XX)$|^([1-5][0-9][0-9])$")
_COLUMNS = "seq, time, method, path, query, scenario, session, status, fault, warnings, duration_ms, worker"
_EXCHANGE = "request_headers, answer_id, body_size"
_INSERT = f"INSERT INTO journal ({_COLUMNS}, {_EXCHANGE}) VALUES (NULL{', ?' * 14})"  # noqa: S608
_SWEEP = "DELETE FROM journal_answers WHERE id NOT IN (SELECT answer_id FROM journal WHERE answer_id IS NOT NULL)"
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

    def where(self) -> tuple[str, list[Any]]:
        """Return the SQL condition and its parameters."""
        clauses, params = ["1"], []
        if self.path is not None:
            if self.path.endswith("*"):
                clauses.append("substr(path, 1, ?) = ?")
                params += [len(self.path) - 1, self.path[:-1]]
            else:
                clauses.append("path = ?")
                params.append(self.path)
        for column in ("method", "scenario", "session"):
            value = getattr(self, column)
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        if self.status is not None:
            low, high = (int(self.status), int(self.status)) if self.status.isdigit() else _class(self.status)
            clauses.append("status BETWEEN ? AND ?")
            params += [low, high]
        if self.since is not None:
            clauses.append("time >= ?")
            params.append(self.since)
        if self.after is not None:
            clauses.append("seq > ?")
            params.append(self.after)
        return " AND ".join(clauses), params


class Journal:
    """The journal table of a StateStore, holding at most `limit` entries (the oldest go first)."""

    def __init__(self, store: StateStore, limit: int, settings: BatchSettings | None = None) -> None:
        self.store = store
        self.limit = limit
        self.settings = settings or BatchSettings()
        self.worker = f"{os.getpid()}-{secrets.token_hex(4)}"
        self._header_text = HeaderText()
        self._buffer: Batcher[Row] = Batcher(
            self._write,
            self.settings,
            requested=store.flush_request,
            on_start=self._busy,
            on_idle=self._idle,
            name="sendstat-journal",
        )

    def append(self, entry: Entry) -> int:
        """Write an entry now and return its sequence number; prune the oldest now and then."""
        with self.store.transaction(bump=False) as db:
            seq = self._insert(db, [row_of(entry)])
            if seq % _PRUNE_EVERY == 0:
                db.execute("DELETE FROM journal WHERE seq <= ?", (seq - self.limit,))
        return seq

    def record(self, entry: Entry) -> None:
        """Keep an entry for the next batch (the request path: no write of its own)."""
        self._buffer.add(row_of(entry))

    def record_row(self, row: Row) -> None:
        """Keep an entry given as its column values (see row_of): what a cached answer journals, cheaply."""
        self._buffer.add(row)

    def sync(self) -> None:
        """Make every entry recorded before now, by any worker, visible to reads (bounded wait)."""
        if not self.store.shared:
            self._buffer.flush()
            return
        number = self.store.request_flush()
        self._buffer.flush()
        deadline = time.monotonic() + SYNC_SECONDS
        while True:
            waiting = self.store.read("SELECT worker, pid FROM journal_workers WHERE busy = 1 AND ack < ?", (number,))
            gone = [worker for worker, pid in waiting if not _alive(pid)]
            if gone:
                with self.store.transaction(bump=False) as db:
                    db.executemany("DELETE FROM journal_workers WHERE worker = ?", [(worker,) for worker in gone])
            if len(waiting) == len(gone):
                return
            if time.monotonic() > deadline:
                logger.warning("journal: %d worker(s) did not write their entries in time", len(waiting) - len(gone))
                return
            time.sleep(_SYNC_POLL)

    def close(self) -> None:
        """Write what is buffered and stop the background writer."""
        self._buffer.close()

    def find(self, where: JournalFilter) -> tuple[list[Entry], int]:
        """Return the first `limit` matching entries, oldest first, and how many match in all."""
        self.sync()
        condition, params = where.where()
        count = self.store.read(f"SELECT count(*) FROM journal WHERE {condition}", tuple(params))[0][0]  # noqa: S608
        order = "time DESC, seq DESC" if where.order == "newest" else "time, seq"
        rows = self.store.read(
            f"SELECT {_COLUMNS} FROM journal WHERE {condition} ORDER BY {order} LIMIT ?",  # noqa: S608
            (*params, where.limit),
        )
        return [_entry(row) for row in rows], int(count)

    def opened(self, seq: int) -> dict[str, Any] | None:
        """Return one entry in full as the control API shows it (entry, request, response); None when absent."""
        self.sync()
        rows = self.store.read(
            f"SELECT {_COLUMNS}, request_headers, headers, body_size, body "  # noqa: S608
            "FROM journal LEFT JOIN journal_answers ON journal_answers.id = journal.answer_id WHERE seq = ?",
            (seq,),
        )
        if not rows:
            return None
        row = rows[0]
        request_headers, response_headers, size, body = row[SUMMARY + 1 :]
        request = None if request_headers is None else {"headers": json.loads(request_headers)}
        response = None
        if response_headers is not None:
            response = {"headers": json.loads(response_headers), **body_json(body, size)}
        return {"entry": _entry(row[: SUMMARY + 1]).to_json(), "request": request, "response": response}

    def count(self, where: JournalFilter) -> int:
        """Return how many entries match."""
        self.sync()
        condition, params = where.where()
        return int(self.store.read(f"SELECT count(*) FROM journal WHERE {condition}", tuple(params))[0][0])  # noqa: S608

    def clear(self, where: JournalFilter) -> int:
        """Delete the matching entries and return how many there were."""
        self.sync()
        condition, params = where.where()
        with self.store.transaction(bump=False) as db:
            deleted = int(db.execute(f"DELETE FROM journal WHERE {condition}", params).rowcount)  # noqa: S608
            db.execute(_SWEEP)
            return deleted

    def _write(self, rows: Sequence[Row], answered: int) -> None:
        """Write a batch, prune, and note that this worker answered flush request `answered`."""
        with self.store.transaction(bump=False) as db:
            if rows:
                last = self._insert(db, rows)
                db.execute("DELETE FROM journal WHERE seq <= ?", (last - self.limit,))
                if last // _SWEEP_EVERY != (last - len(rows)) // _SWEEP_EVERY:
                    db.execute(_SWEEP)
            db.execute("UPDATE journal_workers SET ack = ? WHERE worker = ?", (answered, self.worker))

    def _insert(self, db: sqlite3.Connection, rows: Sequence[Row]) -> int:
        """Insert entries and the answers they name (each distinct answer once); return the last sequence number."""
        shown = self._header_text
        answers: dict[str, tuple[str, str, bytes]] = {}
        written = []
        for row in rows:
            raw, answer_id, headers, body, size = row[SUMMARY:]
            if answer_id is not None:
                answers[answer_id] = (answer_id, headers, body)
            written.append((*row[:SUMMARY], None if raw is None else shown(raw), answer_id, size))
        if answers:
            db.executemany("INSERT OR IGNORE INTO journal_answers VALUES (?, ?, ?)", answers.values())
        db.executemany(_INSERT, written)
        return int(db.execute("SELECT max(seq) FROM journal").fetchone()[0])

    def _busy(self) -> None:
        """Tell readers that this worker holds entries from now on (before the first is kept)."""
        with self.store.transaction(bump=False) as db:
            db.execute(
                "INSERT INTO journal_workers VALUES (?, ?, 1, ?) ON CONFLICT(worker) DO UPDATE SET busy = 1",
                (self.worker, os.getpid(), self.store.flush_request()),
            )

    def _idle(self) -> None:
        """Tell readers that this worker holds no entry (its buffer is written and empty)."""
        with self.store.transaction(bump=False) as db:
            db.execute("UPDATE journal_workers SET busy = 0 WHERE worker = ?", (self.worker,))


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


def _alive(pid: int) -> bool:
    """Tell whether a process of this machine still runs."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _entry(row: tuple[Any, ...]) -> Entry:
    seq, when, method, path, query, scenario, session, status, fault, warnings, duration, worker = row
    shown = tuple(json.loads(warnings))
    return Entry(when, method, path, query, scenario, session, status, fault, shown, duration, worker, seq)


def _class(status: str) -> tuple[int, int]:
    low = int(status[0]) * 100
    return low, low + 99


def _number(args: Mapping[str, str], name: str, low: int, high: int) -> int | None:
    """Read an optional whole number argument within [low, high]."""
    text = args.get(name)
    if text is None:
        return None
    if not text.isascii() or not text.isdigit() or len(text) > 20 or not low <= int(text) <= high:
        raise ControlError(f"{name} must be a whole number from {low} to {high}, not {text[:20]!r}")
    return int(text)
