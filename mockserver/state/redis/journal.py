"""The journal in Redis: one ordered, bounded journal for every worker of every instance.

A batch is one Lua script (scripts/journal.lua): it numbers the entries, stores each distinct answer once,
prunes past the limit, and notes the flush request this worker answered. A read asks every worker for its
buffer (the flush request in the state hash, seen by each worker's watcher within a poll) and waits,
bounded, until every live worker answered. Entries are filtered here (JournalFilter.matches). While Redis
does not answer, batches wait in the worker (at most `limit` entries, the oldest dropped first) and are
written once it answers again; reads raise StateUnavailable.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from typing import Any

import redis

from mockserver.errors import StateUnavailable
from mockserver.state import journal as base
from mockserver.state.batching import BatchSettings
from mockserver.state.exchange import HeaderText, body_json
from mockserver.state.journal import SUMMARY, Entry, Journal, JournalFilter, Row, entry_of, row_of
from mockserver.state.redis.layout import JOURNAL_KEYS, KEYS, as_bytes, script
from mockserver.state.redis.link import Link
from mockserver.state.redis.store import RedisStore
from mockserver.state.redis.workers import Workers

__all__ = ["RedisJournal"]

logger = logging.getLogger(__name__)


class RedisJournal(Journal):
    """The journal's keys in Redis, holding at most `limit` entries (the oldest go first)."""

    def __init__(self, store: RedisStore, workers: Workers, limit: int, settings: BatchSettings | None = None) -> None:
        self.store = store
        self.link: Link = store.link
        self.workers = workers
        self._script = self.link.client.register_script(script("journal"))
        self._header_text = HeaderText()
        self._pending: list[Row] = []
        self._dropped = 0
        super().__init__(limit, settings, requested=store.flush_request)

    def append(self, entry: Entry) -> int:
        """Write an entry now and return its sequence number."""
        return self._store([row_of(entry)], self.workers.ack)

    def flush(self) -> None:
        """Write this worker's buffer now, with the entries that waited while Redis did not answer."""
        self._buffer.flush(always=bool(self._pending))

    def sync(self) -> None:
        """Make every entry recorded before now, by any worker of any instance, visible to reads (bounded wait)."""
        number = self.store.request_flush()
        self.flush()
        if self._pending:  # this worker's own entries could not all be written
            raise self.link.unavailable()
        waiting = self.workers.wait("ack", number, base.SYNC_SECONDS)
        if waiting:
            logger.warning("journal: %d worker(s) did not write their entries in time", waiting)

    def find(self, where: JournalFilter) -> tuple[list[Entry], int]:
        """Return the first `limit` matching entries (oldest first, or newest first), and how many match in all."""
        self.sync()
        found = [entry for entry in self._entries(where.after) if where.matches(entry)]
        found.sort(key=lambda entry: (entry.time, entry.seq), reverse=where.order == "newest")
        return found[: where.limit], len(found)

    def count(self, where: JournalFilter) -> int:
        """Return how many entries match."""
        self.sync()
        if where.is_everything():
            return int(self.link.run(lambda client: client.hlen(KEYS.entries)))
        return sum(1 for entry in self._entries(where.after) if where.matches(entry))

    def opened(self, seq: int) -> dict[str, Any] | None:
        """Return one entry in full as the control API shows it (entry, request, response); None when absent."""
        self.sync()
        stored = self.link.run(lambda client: client.hget(KEYS.entries, str(seq)))
        if stored is None:
            return None
        values = json.loads(stored)
        request_headers, answer_id, size = values[SUMMARY:]
        response = None
        if answer_id is not None:
            headers, body = self.link.run(
                lambda client: client.hmget(KEYS.answers, [f"{answer_id}:h", f"{answer_id}:b"])
            )
            if headers is not None:
                response = {"headers": json.loads(headers), **body_json(as_bytes(body), size)}
        request = None if request_headers is None else {"headers": json.loads(request_headers)}
        return {"entry": entry_of(seq, values[:SUMMARY]).to_json(), "request": request, "response": response}

    def clear(self, where: JournalFilter) -> int:
        """Delete the matching entries and return how many there were."""
        self.sync()
        if where.is_everything():
            seqs: list[Any] = list(self.link.run(lambda client: client.hkeys(KEYS.entries)))
        else:
            seqs = [entry.seq for entry in self._entries(where.after) if where.matches(entry)]
        return sum(self._delete(seqs[start : start + 1000]) for start in range(0, len(seqs), 1000))

    def _delete(self, seqs: Sequence[Any]) -> int:
        """Delete entries by sequence number (with the answers no other entry names); return how many there were."""
        return int(self.link.run(lambda client: self._script(keys=self._keys(), args=["delete", *seqs])))

    def _entries(self, after: int | None) -> list[Entry]:
        """Return the stored entries (those after a sequence number only, when given), in no order."""
        if after is None:
            stored: Mapping[Any, Any] = self.link.run(lambda client: client.hgetall(KEYS.entries))
            return [entry_of(int(seq), json.loads(values)[:SUMMARY]) for seq, values in stored.items()]

        def later(client: redis.Redis) -> list[tuple[int, Any]]:
            last = int(as_bytes(client.hget(KEYS.state, "seq")) or b"0")
            seqs = list(range(max(after + 1, last - self.limit + 1), last + 1))
            return list(zip(seqs, client.hmget(KEYS.entries, seqs), strict=True)) if seqs else []

        found = self.link.run(later)
        return [entry_of(seq, json.loads(values)[:SUMMARY]) for seq, values in found if values is not None]

    def _write(self, rows: Sequence[Row], answered: int) -> None:
        """Write a batch (with those that waited while Redis did not answer), or keep it until Redis answers."""
        batch = [*self._pending, *rows]
        if not self.link.up:
            self._keep(batch)
            return
        try:
            self._store(batch, answered)
        except StateUnavailable:
            self._keep(batch)
            return
        self._pending = []
        if self._dropped:
            logger.warning("journal: %d entries of the outage were dropped (more than the limit waited)", self._dropped)
            self._dropped = 0

    def _keep(self, batch: list[Row]) -> None:
        """Keep a batch for when Redis answers again, at most `limit` entries (the journal keeps no more)."""
        over = len(batch) - self.limit
        if over > 0:
            if not self._dropped:
                logger.warning("journal: Redis does not answer and %d entries wait; dropping the oldest", self.limit)
            self._dropped += over
            batch = batch[over:]
        self._pending = batch

    def _store(self, rows: Sequence[Row], answered: int) -> int:
        """Run journal.lua on a batch; return the last sequence number.

        The entries travel as one text of JSON lines (json.dumps escapes every line break), so that a batch
        costs the client one encoding per entry and Redis one command per kind of write, not per entry.
        """
        shown = self._header_text
        lines, ids = [], []
        answers: dict[str, tuple[str, bytes]] = {}
        for row in rows:
            raw, answer_id, headers, body, size = row[SUMMARY:]
            if answer_id is not None:
                answers[answer_id] = (headers, body)
            lines.append(json.dumps([*row[:SUMMARY], None if raw is None else shown(raw), answer_id, size]))
            ids.append(answer_id or "-")
        args: list[Any] = ["write", self.limit, answered, "\n".join(lines), "\n".join(ids), len(answers)]
        for answer_id, (headers, body) in answers.items():
            args += [answer_id, headers, body]
        last = int(self.link.run(lambda client: self._script(keys=self._keys(), args=args)))
        self.workers.note_ack(answered)
        return last

    def _keys(self) -> list[str]:
        return [*JOURNAL_KEYS, self.workers.key]
