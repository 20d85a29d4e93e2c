"""Fixtures of the state's tests: each backend opened as workers open it (several on one shared state), entries."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import redis

from mockserver.state.backend import SharedState, open_state
from mockserver.state.config import StateSettings
from mockserver.state.journal import Entry
from mockserver.state.local.journal import LocalJournal
from mockserver.state.redis.layout import KEYS

# A Redis worker looks at the shared version this often in the tests (the default is 20 ms).
TEST_POLL = 0.005


def entry(path: str = "/mailer/sendstatistics", status: int | None = 200, **fields: object) -> Entry:
    """Build an entry with defaults."""
    values: dict[str, object] = {
        "time": 1000.0,
        "method": "GET",
        "path": path,
        "query": "",
        "scenario": "default",
        "session": None,
        "status": status,
        "fault": None,
        "warnings": (),
        "duration_ms": 1.5,
        "worker": 7,
        **fields,
    }
    return Entry(**values)  # type: ignore[arg-type]


@dataclass
class Backend:
    """One backend's shared state, opened by as many workers as a test wants; all closed at the end."""

    name: str
    settings: StateSettings
    opened: list[SharedState] = field(default_factory=list)

    def open(self, **changes: Any) -> SharedState:
        """Open the shared state as one more worker does (settings changed by keyword)."""
        state = open_state(dataclasses.replace(self.settings, **changes))
        self.opened.append(state)
        return state

    def answers_held(self, state: SharedState) -> int:
        """Count the distinct answers (headers and body) the journal holds."""
        journal = state.journal
        if isinstance(journal, LocalJournal):
            return int(journal.store.read("SELECT count(*) FROM journal_answers")[0][0])
        assert self.settings.url is not None
        with redis.Redis.from_url(self.settings.url) as client:
            return int(client.hlen(KEYS.answers)) // 2  # each answer's headers, and its body

    def close(self) -> None:
        """Close every state opened, last first."""
        for state in reversed(self.opened):
            state.close()


@pytest.fixture(params=["local", "redis"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    """Each backend in turn: the local state in a directory (as a server's workers share it), and Redis."""
    if request.param == "redis":
        url: str = request.getfixturevalue("redis_url")
        settings = StateSettings(url=url, journal_limit=100, poll=TEST_POLL)
    else:
        settings = StateSettings(directory=tmp_path, journal_limit=100)
    opened = Backend(request.param, settings)
    yield opened
    opened.close()
