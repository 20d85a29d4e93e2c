"""Where the shared state lives and its bounds, as the app's config gives them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from mockserver.state.batching import BatchSettings

__all__ = ["DEFAULT_POLL", "StateSettings"]

# Seconds between a worker's looks at the shared version in Redis: a change made through any instance
# is served by every worker within about this long (docs/deploy.md states the bound, tests measure it).
DEFAULT_POLL = 0.02


@dataclass(frozen=True)
class StateSettings:
    """Where the state lives and its bounds.

    url: a redis:// or rediss:// URL, or None for the local state (in `directory`, shared by the workers of
    one server, or in memory when None); session_ttl: seconds a session lives after its last change (None:
    until deleted); poll: seconds between a worker's looks at Redis; strict: fail at once (ConfigError) when
    Redis cannot be reached, rather than start from what `last` says and reconnect; batches: how often the
    journal's buffer is written.
    """

    url: str | None = None
    directory: Path | None = None
    journal_limit: int = 10_000
    session_ttl: float | None = None
    poll: float = DEFAULT_POLL
    strict: bool = True
    batches: BatchSettings = field(default_factory=BatchSettings)
