"""A loaded scenario: the account it serves and how the mock behaves, with its sources built per clock."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from mockserver.model.domain.data import ModelData
from mockserver.model.mailing import Mailing, MailingSource
from mockserver.scenario.kept import Kept
from mockserver.scenario.source import ScenarioSource
from mockserver.scenario.spec import Fault, ForcedResponse, Latency, MailingsSpec, empty_mapping

__all__ = ["KEPT_MAILINGS", "Scenario"]

# How many clocks a scenario keeps a built source for; building one is cheap, so the bound is small.
_CACHED_CLOCKS = 32
# How many generated mailings a scenario keeps, over all its clocks (about 11 KB each: 11 MB at most), so that
# a mailing asked again with other fields, or by another session at the same clock, is not drawn again.
KEPT_MAILINGS = 1024


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
    _sources: Kept[int | None, MailingSource] = field(
        default_factory=lambda: Kept(_CACHED_CLOCKS), init=False, compare=False, repr=False
    )
    _mailings: Kept[tuple[int | None, int], Mailing | None] = field(
        default_factory=lambda: Kept(KEPT_MAILINGS), init=False, compare=False, repr=False
    )

    def source(self, now: int | None) -> MailingSource:
        """Return the account's mailings as seen at now (None: all finished); cached per clock."""
        return self._sources.get(now, self._build)

    def _build(self, now: int | None) -> MailingSource:
        return ScenarioSource(self.mailings, self.data, now, self._mailings)
