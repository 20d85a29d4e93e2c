"""The local state every worker process of one server shares: active scenario, clock, sessions, counters, in SQLite.

Granian runs separate processes, so nothing mutable lives in memory: a switch made through one worker
is seen by all. Each control change bumps `version` in the same short transaction and mirrors it into a
shared memory cell (cells.py) before it commits; a worker reads that cell per request (no query) and
re-reads the rest only when it moved. A control call returns after its commit, so the next request of
any worker sees the change. The file lives in a scratch directory of one machine: the default state,
with no server to run (state/redis shares it between machines).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import MappingProxyType
from typing import Any

from mockserver.errors import ControlError
from mockserver.state.clock import Pin
from mockserver.state.local.cells import FLUSH, VERSION, Cells
from mockserver.state.records import MAX_SESSIONS, Health, Session, Snapshot, pin_json, read_pin

__all__ = ["CELLS_NAME", "DB_NAME", "LocalStore"]

DB_NAME = "state.sqlite3"
CELLS_NAME = "cells.bin"
_BUSY_MS = 5000
_HEALTH = Health("local")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY, scenario TEXT, clock TEXT, created REAL NOT NULL, expires REAL
);
CREATE TABLE IF NOT EXISTS counters (scope TEXT PRIMARY KEY, n INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS journal (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, time REAL NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL,
    query TEXT NOT NULL, scenario TEXT, session TEXT, status INTEGER, fault TEXT, warnings TEXT NOT NULL,
    duration_ms REAL NOT NULL, worker INTEGER NOT NULL,
    request_headers TEXT, answer_id TEXT, body_size INTEGER
);
CREATE TABLE IF NOT EXISTS journal_answers (id TEXT PRIMARY KEY, headers TEXT NOT NULL, body BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS journal_workers (
    worker TEXT PRIMARY KEY, pid INTEGER NOT NULL, busy INTEGER NOT NULL, ack INTEGER NOT NULL
);
INSERT OR IGNORE INTO meta VALUES
    ('version', '0'), ('active', 'null'), ('clock', 'null'), ('reloads', '0'), ('flush', '0');
"""


class LocalStore:
    """One SQLite database (a file in a state directory, or in memory for one process) behind a lock.

    session_ttl: seconds a session lives after its last change through the control API (None: until deleted).
    """

    def __init__(self, directory: Path | None, session_ttl: float | None = None) -> None:
        target = ":memory:" if directory is None else str(Path(directory) / DB_NAME)
        self.directory = directory
        self.session_ttl = session_ttl
        self.shared = directory is not None  # a file other processes may open, not one process's memory
        self._lock = threading.Lock()
        # Autocommit mode: every transaction below is explicit and short.
        self._db = sqlite3.connect(target, check_same_thread=False, isolation_level=None, timeout=_BUSY_MS / 1000)
        with self._lock:
            if directory is not None:
                self._db.execute("PRAGMA journal_mode=WAL")
                # The state is a mock's scratch pad, fresh each run: no fsync at all (a commit costs ~30 us
                # instead of ~100 us); only an OS crash could damage it, and the next run starts anew.
                self._db.execute("PRAGMA synchronous=OFF")
            self._db.executescript(_SCHEMA)
        self._cells = Cells(None if directory is None else Path(directory) / CELLS_NAME)
        with self.transaction(bump=False) as db:  # the cells start from the truth, whoever created them
            for slot, key in ((VERSION, "version"), (FLUSH, "flush")):
                self._cells[slot] = int(db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()[0])

    def close(self) -> None:
        """Close the connection and the shared cells (a process that forks or exits)."""
        with self._lock:
            self._db.close()
            self._cells.close()

    def stamp(self) -> int:
        """Return the version of the control state: one read of shared memory, no query."""
        return self._cells[VERSION]

    def health(self) -> Health:
        """Return how the state is reached: a local file, always."""
        return _HEALTH

    def flush_request(self) -> int:
        """Return the number of the latest request for every worker to write its journal buffer."""
        return self._cells[FLUSH]

    def request_flush(self) -> int:
        """Ask every worker to flush its journal buffer; return the request's number."""
        with self.transaction(bump=False) as db:
            row = db.execute(
                "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'flush' RETURNING value"
            ).fetchone()
            self._cells[FLUSH] = number = int(row[0])
        return number

    def snapshot(self) -> Snapshot:
        """Read the whole control state consistently."""
        with self._lock:
            self._db.execute("BEGIN")
            try:
                meta = {key: json.loads(value) for key, value in self._db.execute("SELECT key, value FROM meta")}
                rows = self._db.execute("SELECT id, scenario, clock, created, expires FROM sessions").fetchall()
            finally:
                self._db.execute("COMMIT")
        sessions = {
            row[0]: Session(row[0], row[1], read_pin(json.loads(row[2] or "null")), row[3], row[4]) for row in rows
        }
        version = int(meta["version"])
        return Snapshot(
            version=version,
            active=meta["active"],
            clock=read_pin(meta["clock"]),
            reloads=int(meta["reloads"]),
            sessions=MappingProxyType(sessions),
            stamp=version,
        )

    def set_active(self, name: str | None) -> None:
        """Make a scenario (name or path) the server's active one; None: back to the start scenario."""
        with self.transaction() as db:
            _set(db, "active", name)
            db.execute("DELETE FROM counters WHERE scope LIKE '-|%'")

    def set_clock(self, pin: Pin | None) -> None:
        """Pin the server's clock; None: back to the scenario's own clock."""
        with self.transaction() as db:
            _set(db, "clock", pin_json(pin))

    def put_session(self, session_id: str, scenario: str | None, clock: Pin | None, *, restart: bool = True) -> Session:
        """Create or replace a session (restart: its fault counters start again); refuse past MAX_SESSIONS.

        Its time to live, if any, starts again.
        """
        now = time.time()
        expires = None if self.session_ttl is None else now + self.session_ttl
        with self.transaction() as db:
            _expire(db, now)
            row = db.execute("SELECT created FROM sessions WHERE id = ?", (session_id,)).fetchone()
            if row is None and db.execute("SELECT count(*) FROM sessions").fetchone()[0] >= MAX_SESSIONS:
                raise ControlError(f"too many sessions ({MAX_SESSIONS}): delete some or POST /__mock/reset", 409)
            created = now if row is None else row[0]
            db.execute(
                "INSERT OR REPLACE INTO sessions VALUES (?, ?, ?, ?, ?)",
                (session_id, scenario, json.dumps(pin_json(clock)), created, expires),
            )
            if restart:
                db.execute("DELETE FROM counters WHERE scope LIKE ? ESCAPE '\\'", (_like(session_id) + "|%",))
        return Session(session_id, scenario, clock, created, expires)

    def expire_sessions(self) -> None:
        """Delete the sessions whose time to live has passed, with their counters (a change, when there are any)."""
        now = time.time()
        if not self.read("SELECT 1 FROM sessions WHERE expires <= ? LIMIT 1", (now,)):
            return
        with self.transaction() as db:
            _expire(db, now)

    def delete_session(self, session_id: str) -> bool:
        """Delete a session and its counters; return whether it existed."""
        with self.transaction() as db:
            deleted = db.execute("DELETE FROM sessions WHERE id = ?", (session_id,)).rowcount
            db.execute("DELETE FROM counters WHERE scope LIKE ? ESCAPE '\\'", (_like(session_id) + "|%",))
        return bool(deleted)

    def note_reload(self) -> int:
        """Tell every worker to re-read the scenario files; return the new reload count."""
        with self.transaction() as db:
            row = db.execute(
                "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'reloads' RETURNING value"
            ).fetchone()
        return int(row[0])

    def reset(self) -> None:
        """Back to the start: start scenario, the scenario's clock, no sessions, counters or journal."""
        with self.transaction() as db:
            _set(db, "active", None)
            _set(db, "clock", None)
            for table in ("sessions", "counters", "journal", "journal_answers"):
                db.execute(f"DELETE FROM {table}")  # noqa: S608 - table names are literals

    def next_count(self, scope: str) -> int:
        """Count one more request in scope (session|scenario|endpoint) and return its number, from 1."""
        with self.transaction(bump=False) as db:
            row = db.execute(
                "INSERT INTO counters VALUES (?, 1) ON CONFLICT(scope) DO UPDATE SET n = n + 1 RETURNING n",
                (scope,),
            ).fetchone()
        return int(row[0])

    @contextmanager
    def transaction(self, *, bump: bool = True) -> Iterator[sqlite3.Connection]:
        """Run one write transaction (IMMEDIATE: no lock upgrade); bump the version unless told not to."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
                if bump:
                    row = self._db.execute(
                        "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'version' RETURNING value"
                    ).fetchone()
                    # Before the commit, under the write lock: the cell never runs backwards. A reader that
                    # sees it before the commit re-reads the old snapshot, and again until they agree.
                    self._cells[VERSION] = int(row[0])
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def read(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Run one query and return its rows."""
        with self._lock:
            return self._db.execute(sql, params).fetchall()


def _set(db: sqlite3.Connection, key: str, value: Any) -> None:
    db.execute("UPDATE meta SET value = ? WHERE key = ?", (json.dumps(value), key))


def _expire(db: sqlite3.Connection, now: float) -> None:
    """Delete the sessions expired by now, and their counters."""
    gone = [row[0] for row in db.execute("DELETE FROM sessions WHERE expires <= ? RETURNING id", (now,)).fetchall()]
    for session_id in gone:
        db.execute("DELETE FROM counters WHERE scope LIKE ? ESCAPE '\\'", (_like(session_id) + "|%",))


def _like(text: str) -> str:
    """Escape a text for a LIKE pattern."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
