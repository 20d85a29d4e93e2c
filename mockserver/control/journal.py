"""The request journal: every API request the mock answered, bounded, filterable, shared by all workers."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mockserver.control.clock import iso, parse_time
from mockserver.control.errors import ControlError
from mockserver.control.store import StateStore

__all__ = ["DEFAULT_LIMIT", "Entry", "Journal", "JournalFilter"]

DEFAULT_LIMIT = 1000
MAX_TEXT = 2000  # characters kept of a path or query: the journal is bounded in bytes too
_PRUNE_EVERY = 64
_STATUS = re.compile(r"^([1-5])(?:xx|XX)$|^([1-5][0-9][0-9])$")
_COLUMNS = "seq, time, method, path, query, scenario, session, status, fault, warnings, duration_ms, worker"


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

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> JournalFilter:
        """Read a filter from query arguments, refusing unknown names and bad values."""
        unknown = sorted(set(args) - {"path", "method", "status", "scenario", "session", "since", "after", "limit"})
        if unknown:
            raise ControlError(f"unknown journal filter {unknown[0]!r}", known=sorted(cls.__dataclass_fields__))
        status = args.get("status")
        if status is not None and not _STATUS.match(status):
            raise ControlError(f"status must be a code (404) or a class (4xx), not {status[:20]!r}")
        since = args.get("since")
        return cls(
            path=args.get("path"),
            method=args["method"].upper() if "method" in args else None,
            status=status,
            scenario=args.get("scenario"),
            session=args.get("session"),
            since=None if since is None else parse_time(since),
            after=_number(args, "after", 0, 2**62),
            limit=_number(args, "limit", 1, 100_000) or DEFAULT_LIMIT,
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

    def __init__(self, store: StateStore, limit: int) -> None:
        self.store = store
        self.limit = limit

    def append(self, entry: Entry) -> int:
        """Record an entry and return its sequence number; prune the oldest now and then."""
        with self.store.transaction(bump=False) as db:
            cursor = db.execute(
                f"INSERT INTO journal ({_COLUMNS}) VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",  # noqa: S608
                (
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
                ),
            )
            seq = int(cursor.lastrowid or 0)
            if seq % _PRUNE_EVERY == 0:
                db.execute("DELETE FROM journal WHERE seq <= ?", (seq - self.limit,))
        return seq

    def find(self, where: JournalFilter) -> tuple[list[Entry], int]:
        """Return the first `limit` matching entries, oldest first, and how many match in all."""
        condition, params = where.where()
        count = self.store.read(f"SELECT count(*) FROM journal WHERE {condition}", tuple(params))[0][0]  # noqa: S608
        rows = self.store.read(
            f"SELECT {_COLUMNS} FROM journal WHERE {condition} ORDER BY seq LIMIT ?",  # noqa: S608
            (*params, where.limit),
        )
        return [_entry(row) for row in rows], int(count)

    def count(self, where: JournalFilter) -> int:
        """Return how many entries match."""
        condition, params = where.where()
        return int(self.store.read(f"SELECT count(*) FROM journal WHERE {condition}", tuple(params))[0][0])  # noqa: S608

    def clear(self, where: JournalFilter) -> int:
        """Delete the matching entries and return how many there were."""
        condition, params = where.where()
        with self.store.transaction(bump=False) as db:
            return int(db.execute(f"DELETE FROM journal WHERE {condition}", params).rowcount)  # noqa: S608


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
    if not text.isascii() or not text.isdigit() or not low <= int(text) <= high:
        raise ControlError(f"{name} must be a whole number from {low} to {high}, not {text[:20]!r}")
    return int(text)
