"""The local shared state: a LocalStore and its LocalJournal, opened from StateSettings."""

from __future__ import annotations

from mockserver.state.config import StateSettings
from mockserver.state.local.journal import LocalJournal
from mockserver.state.local.store import LocalStore

__all__ = ["LocalState"]


class LocalState:
    """The state of one server's workers: a SQLite file and shared memory (or memory, for one process)."""

    def __init__(self, settings: StateSettings) -> None:
        self.settings = settings
        self._store = LocalStore(settings.directory, settings.session_ttl)
        self._journal = LocalJournal(self._store, settings.journal_limit, settings.batches)

    @property
    def store(self) -> LocalStore:
        """The control store."""
        return self._store

    @property
    def journal(self) -> LocalJournal:
        """The request journal."""
        return self._journal

    def reopen(self) -> LocalState:
        """Open the same directory anew: a forked worker's own connection (everything lives in the files)."""
        return LocalState(self.settings)

    def close(self) -> None:
        """Write the journal's buffer, then close the store."""
        self._journal.close()
        self._store.close()
