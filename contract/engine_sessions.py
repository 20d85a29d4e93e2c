"""schemathesis' requests through the suite's BoundedAdapter: every session its engine builds gets it mounted.

schemathesis 4 sends its test requests with a `requests.Session` per worker thread and its probing phase's
requests with sessions of their own; all of them come from `schemathesis.engine.context.make_session(config)`
(4.32: `EngineContext.get_session` and `engine/run/probes.py`), and no option or hook of a schema reaches
them. While a run is in `mounted(config, adapter)`, that function is wrapped: a session made for this run's
config object gets the adapter, any other config (another run in the same process, another user of
schemathesis) gets schemathesis' own session, untouched. The wrapper is removed when the last run ends.

This is the one place the suite changes a library's module; `tests/contract/test_engine_sessions.py` fails if
schemathesis stops building its sessions there.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import requests
from schemathesis.engine import context as engine_context

from contract.bounded import BoundedAdapter, mount

MakeSession = Callable[..., requests.Session]


class _Routes:
    """Which adapter each running config's sessions get, and schemathesis' own make_session while wrapped."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.adapters: dict[int, BoundedAdapter] = {}
        self.original: MakeSession | None = None

    def make_session(self, config: Any, **kwargs: Any) -> requests.Session:
        """schemathesis' session for `config`, with the run's adapter mounted when the config is a running one."""
        assert self.original is not None
        session = self.original(config, **kwargs)
        adapter = self.adapters.get(id(config))
        if adapter is not None:
            mount(session, adapter)
        return session


# Module state, because the function it wraps is module state of schemathesis; guarded by its lock.
_ROUTES = _Routes()


@contextmanager
def mounted(config: Any, adapter: BoundedAdapter) -> Iterator[None]:
    """Within the block, every session schemathesis makes for `config` sends through `adapter`."""
    with _ROUTES.lock:
        if not _ROUTES.adapters:
            _ROUTES.original = engine_context.make_session
            engine_context.make_session = _ROUTES.make_session
        _ROUTES.adapters[id(config)] = adapter
    try:
        yield
    finally:
        with _ROUTES.lock:
            del _ROUTES.adapters[id(config)]
            if not _ROUTES.adapters and _ROUTES.original is not None:
                engine_context.make_session = _ROUTES.original
                _ROUTES.original = None
