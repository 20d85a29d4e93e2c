"""A loaded scenario: the account it serves and how the mock behaves, with its sources built per clock."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from mockserver.model.domain.data import ModelData
from mockserver.model.mailing import MailingSource
from mockserver.scenario.source import ScenarioSource
from mockserver.scenario.spec import Fault, ForcedResponse, Latency, MailingsSpec, empty_mapping

__all__ = ["Scenario"]

# How many clocks a scenario keeps a built source for; building one is cheap, so the bound is small.
_CACHED_CLOCKS = 32


class _SourceCache:
    """Built sources by clock, least recently used first out; one lock, so threads can share it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sources: OrderedDict[int | None, MailingSource] = OrderedDict()

    def get(self, now: int | None, build: Callable[[int | None], MailingSource]) -> MailingSource:
        """Return the source for now, building it with build(now) on a miss."""
        with self._lock:
            source = self._sources.get(now)
            if source is not None:
                self._sources.move_to_end(now)
                return source
        source = build(now)
        with self._lock:
            self._sources[now] = source
            while len(self._sources) > _CACHED_CLOCKS:
                self._sources.popitem(last=False)
        return source


@dataclass(frozen=True)
class Scenario:
    """A loaded scenario: immutable, so one instance serves every thread of the mock.

    clock: the unix time the mock shows by default (None: every mailing finished); auth_keys: the keys
    accepted in the document's auth header (empty: no authentication); latency and faults by endpoint
    ("index", "view"); forced: the view's answer per mailing id; json_flags: names of PHP json_encode
    flags; warnings: what the loader found doubtful (broken inferred rules), for the log.
    """

    name: str
    description: str
    path: Path | None
    seed: int
    clock: int | None
    mailings: MailingsSpec
    data: ModelData = field(compare=False, repr=False)
    empty_index_status: int = 204
    auth_keys: frozenset[str] = frozenset()
    latency: Mapping[str, Latency] = field(default_factory=empty_mapping)
    faults: Mapping[str, tuple[Fault, ...]] = field(default_factory=empty_mapping)
    forced: Mapping[int, ForcedResponse] = field(default_factory=empty_mapping)
    json_flags: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    _cache: _SourceCache = field(default_factory=_SourceCache, init=False, compare=False, repr=False)

    def source(self, now: int | None) -> MailingSource:
        """Return the account's mailings as seen at now (None: all finished); cached per clock."""
        return self._cache.get(now, self._build)

    def _build(self, now: int | None) -> MailingSource:
        return ScenarioSource(self.mailings, self.data, now)
