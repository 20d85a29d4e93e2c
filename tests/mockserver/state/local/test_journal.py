"""The local journal: workers of one server found by their pid (gone ones skipped, stuck ones waited for, bounded).

What every backend's journal does alike is tested in tests/mockserver/state/test_journal.py.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from mockserver.state.batching import BatchSettings
from mockserver.state.journal import JournalFilter
from mockserver.state.local.journal import LocalJournal
from mockserver.state.local.store import LocalStore

SLOW = BatchSettings(interval=60.0, max_items=10_000, idle=60.0, tick=0.001)


def test_a_gone_worker_does_not_hold_a_read(journal_dir_store: LocalStore) -> None:
    """A worker row of a process that no longer runs is skipped and removed."""
    gone = subprocess.Popen(["true"])
    gone.wait()
    with journal_dir_store.transaction(bump=False) as db:
        db.execute("INSERT INTO journal_workers VALUES ('gone', ?, 1, 0)", (gone.pid,))
    journal = LocalJournal(journal_dir_store, 100, SLOW)
    assert journal.count(JournalFilter()) == 0
    assert journal_dir_store.read("SELECT worker FROM journal_workers") == []
    journal.close()


def test_a_stuck_worker_holds_a_read_only_so_long(
    journal_dir_store: LocalStore, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A live worker that never writes makes a read wait SYNC_SECONDS at most, with a warning."""
    monkeypatch.setattr("mockserver.state.journal.SYNC_SECONDS", 0.05)
    with journal_dir_store.transaction(bump=False) as db:
        db.execute("INSERT INTO journal_workers VALUES ('stuck', ?, 1, 0)", (os.getpid(),))
    journal = LocalJournal(journal_dir_store, 100, SLOW)
    with caplog.at_level("WARNING", logger="mockserver.state.journal"):
        assert journal.count(JournalFilter()) == 0
    assert "did not write their entries in time" in caplog.records[0].getMessage()
    journal.close()


@pytest.fixture
def journal_dir_store(tmp_path: Path) -> Iterator[LocalStore]:
    """A store in a state directory (shared, as a server's is)."""
    store = LocalStore(tmp_path)
    yield store
    store.close()
