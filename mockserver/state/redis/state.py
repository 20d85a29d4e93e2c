"""The Redis shared state of one worker: its link, store, journal, registry entry and watcher, opened together."""

from __future__ import annotations

import dataclasses

from mockserver.errors import StateUnavailable
from mockserver.state.config import StateSettings
from mockserver.state.records import Snapshot
from mockserver.state.redis.journal import RedisJournal
from mockserver.state.redis.link import Link
from mockserver.state.redis.store import RedisStore
from mockserver.state.redis.watcher import Watcher
from mockserver.state.redis.workers import Workers

__all__ = ["RedisState"]


class RedisState:
    """One worker's share of the state in Redis.

    strict (the main process, at start): Redis must answer and be fit, or ConfigError. Otherwise (a worker)
    it starts from `last` when Redis does not answer, and reconnects.
    """

    def __init__(self, settings: StateSettings, last: Snapshot | None = None) -> None:
        assert settings.url is not None
        self.settings = settings
        self.link = Link(settings.url)
        if settings.strict:
            self.link.check()
        self.workers = Workers(self.link)
        self._store = RedisStore(self.link, self.workers, settings.session_ttl, last)
        self._journal = RedisJournal(self._store, self.workers, settings.journal_limit, settings.batches)
        try:
            self._store.load()
            self.workers.beat()
        except StateUnavailable:
            if settings.strict:
                self.link.close()
                raise
        self.watcher = Watcher(
            self.link, self._store, self.workers, settings.poll, on_flush=self._journal.flush, on_up=self._journal.flush
        )
        self.watcher.start()

    @property
    def store(self) -> RedisStore:
        """The control store."""
        return self._store

    @property
    def journal(self) -> RedisJournal:
        """The request journal."""
        return self._journal

    def reopen(self) -> RedisState:
        """Open the state anew in a forked worker: a new connection; Redis need not answer (the last state serves)."""
        return RedisState(dataclasses.replace(self.settings, strict=False), self._store.snapshot())

    def close(self) -> None:
        """Stop watching, write the journal's buffer (if Redis answers), leave the registry, close the connection."""
        self.watcher.stop()
        self._journal.close()
        self.workers.leave()
        self.link.close()
