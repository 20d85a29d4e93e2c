"""Fixtures of the Redis state's tests: workers opened on one Redis (the session's, or a test's own)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from mockserver.state.config import StateSettings
from mockserver.state.redis.state import RedisState
from tests.mockserver.state.conftest import TEST_POLL

OpenWorker = Callable[..., RedisState]


@pytest.fixture
def open_worker() -> Iterator[OpenWorker]:
    """Open RedisStates (one per worker) on a URL, with settings by keyword; all closed at the end."""
    opened: list[RedisState] = []

    def open_one(url: str, last: Any = None, **settings: Any) -> RedisState:
        state = RedisState(StateSettings(**{"url": url, "journal_limit": 100, "poll": TEST_POLL, **settings}), last)
        opened.append(state)
        return state

    yield open_one
    for state in reversed(opened):
        state.close()
