"""The local journal: the journal's tables in the local store's SQLite file, shared by the workers of one server.

A read bumps the store's flush request, writes its own buffer, and waits (bounded) until every live worker
that holds entries has written up to that request (the journal_workers table: busy, ack, pid).
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import sqlite3
import time
from collections.abc import Sequence
from typing import Any

from mockserver.state import journal as base
from mockserver.state.batching import BatchSettings
from mockserver.state.exchange import HeaderText, body_json
from mockserver.state.journal import SUMMARY, Entry, Journal, JournalFilter, Row, entry_of, row_of
from mockserver.state.local.store import LocalStore

__all__ = ["LocalJournal", "where_sql"]

_PRUNE_EVERY = 64
# Answers no entry refers to any more are deleted when the sequence passes a multiple of this: the answer
# table holds the distinct answers of at most the journal's limit plus this many entries.
_SWEEP_EVERY = 4096
_SYNC_POLL = 0.001
logger = logging.getLogger(__name__)
_COLUMNS = "seq, time, method, path, query, scenario, session, status, fault, warnings, duration_ms, worker"
_EXCHANGE = "request_headers, answer_id, body_size"
_INSERT = f"INSERT INTO journal ({_COLUMNS}, {_EXCHANGE}) VALUES (NULL{', ?' * 14})"  # noqa: S608
_SWEEP = "DELETE FROM journal_answers WHERE id NOT IN (SELECT answer_id FROM journal WHERE answer_id IS NOT NULL)"


def where_sql(where: JournalFilter) -> tuple[str, list[Any]]:
    """Return the SQL condition of a filter and its parameters (JournalFilter.matches is the same test)."""
    clauses, params = ["1"], []
    if where.path is not None:
        if where.path.endswith("*"):
            clauses.append("substr(path, 1, ?) = ?")
            params += [len(where.path) - 1, where.path[:-1]]
        else:
            clauses.append("path = ?")
            params.append(where.path)
    for column in ("method", "scenario", "session"):
        value = getattr(where, column)
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    statuses = where.statuses()
    if statuses is not None:
        clauses.append("status BETWEEN ? AND ?")
        params += list(statuses)
    if where.since is not None:
        clauses.append("time >= ?")
        params.append(where.since)
    if where.after is not None:
        clauses.append("seq > ?")
        params.append(where.after)
    return " AND ".join(clauses), params


class LocalJournal(Journal):
    """The journal table of a LocalStore, holding at most `limit` entries (the oldest go first)."""

    def __init__(self, store: LocalStore, limit: int, settings: BatchSettings | None = None) -> None:
        self.store = store
        self.worker = f"{os.getpid()}-{secrets.token_hex(4)}"
        self._header_text = HeaderText()
        super().__init__(limit, settings, requested=store.flush_request, on_start=self._busy, on_idle=self._idle)

    def append(self, entry: Entry) -> int:
        """Write an entry now and return its sequence number; prune the oldest now and then."""
        with self.store.transaction(bump=False) as db:
            seq = self._insert(db, [row_of(entry)])
            if seq % _PRUNE_EVERY == 0:
                db.execute("DELETE FROM journal WHERE seq <= ?", (seq - self.limit,))
        return seq

    def sync(self) -> None:
        """Make every entry recorded before now, by any worker, visible to reads (bounded wait)."""
        if not self.store.shared:
            self._buffer.flush()
            return
        number = self.store.request_flush()
        self._buffer.flush()
        deadline = time.monotonic() + base.SYNC_SECONDS
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

    def find(self, where: JournalFilter) -> tuple[list[Entry], int]:
        """Return the first `limit` matching entries, oldest first, and how many match in all."""
        self.sync()
        condition, params = where_sql(where)
        count = self.store.read(f"SELECT count(*) FROM journal WHERE {condition}", tuple(params))[0][0]  # noqa: S608
        order = "time DESC, seq DESC" if where.order == "newest" else "time, seq"
        rows = self.store.read(
            f"SELECT {_COLUMNS} FROM journal WHERE {condition} ORDER BY {order} LIMIT ?",  # noqa: S608
            (*params, where.limit),
        )
        return [entry_of(row[0], row[1:]) for row in rows], int(count)

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
        return {"entry": entry_of(row[0], row[1 : SUMMARY + 1]).to_json(), "request": request, "response": response}

    def count(self, where: JournalFilter) -> int:
        """Return how many entries match."""
        self.sync()
        condition, params = where_sql(where)
        return int(self.store.read(f"SELECT count(*) FROM journal WHERE {condition}", tuple(params))[0][0])  # noqa: S608

    def clear(self, where: JournalFilter) -> int:
        """Delete the matching entries and return how many there were."""
        self.sync()
        condition, params = where_sql(where)
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


def _alive(pid: int) -> bool:
    """Tell whether a process of this machine still runs."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
