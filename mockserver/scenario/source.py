"""A scenario's mailings at one clock: generated ones, pinned ones laid over them, 404 ids left out."""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from mockserver.model.account import Account
from mockserver.model.domain.data import ModelData
from mockserver.model.generator import generate_mailing, letter_title, titled
from mockserver.model.lazyids import LazyIds
from mockserver.model.mailing import Common, DomainCounts, Mailing
from mockserver.scenario.kept import Kept
from mockserver.scenario.spec import MailingsSpec, PinnedMailing

__all__ = ["MergedIds", "ScenarioSource", "overlay"]


class MergedIds(LazyIds):
    """Ascending ids: (base without hidden) with extra, over a lazy base that is never materialised."""

    def __init__(self, base: Sequence[int], *, hidden: Sequence[int] = (), extra: Sequence[int] = ()) -> None:
        # An extra id wins over the same id hidden; an id already in base needs neither list.
        self._base = base
        extras = frozenset(extra)
        self._hidden = sorted({i for i in hidden if i not in extras and i in base})
        self._hidden_set = frozenset(self._hidden)
        self._extra = sorted(i for i in extras if i not in base)
        self._length = len(base) - len(self._hidden) + len(self._extra)

    def _rank(self, value: int) -> int:
        """Return how many ids of the sequence are below value."""
        base = bisect.bisect_left(self._base, value) - bisect.bisect_left(self._hidden, value)
        return base + bisect.bisect_left(self._extra, value)

    def _at(self, index: int) -> int:
        if not self._extra and not self._hidden:
            return self._base[index]
        k = bisect.bisect_left(range(len(self._extra)), index, key=lambda k: self._rank(self._extra[k]))
        if k < len(self._extra) and self._rank(self._extra[k]) == index:
            return self._extra[k]
        j = bisect.bisect_left(range(len(self._base)), index, key=lambda j: self._rank(self._base[j]))
        # A hidden id ranks like the next id shown; step over hidden ones to it.
        while self._base[j] in self._hidden_set:
            j += 1
        return self._base[j]

    def __len__(self) -> int:
        return self._length

    def __iter__(self) -> Iterator[int]:
        if not self._extra and not self._hidden:
            return iter(self._base)
        return self._merged()

    def _merged(self) -> Iterator[int]:
        extra = iter(self._extra)
        pending = next(extra, None)
        for value in self._base:
            while pending is not None and pending < value:
                yield pending
                pending = next(extra, None)
            if value not in self._hidden_set:
                yield value
        while pending is not None:
            yield pending
            pending = next(extra, None)

    def hides(self, value: int) -> bool:
        """Tell whether an id of the base is left out (not found, or pinned: the pinned ids come as extras)."""
        return value in self._hidden_set

    def __contains__(self, value: object) -> bool:
        if not isinstance(value, int) or value in self._hidden_set:
            return False
        return value in self._base or bisect.bisect_left(self._extra, value) != bisect.bisect_right(self._extra, value)

    def __repr__(self) -> str:
        return f"MergedIds({self._base!r}, hidden={len(self._hidden)}, extra={len(self._extra)})"


class ScenarioSource:
    """A MailingSource over a scenario's mailings at one clock: immutable, so threads can share it.

    kept: where generated mailings are kept by (clock, id), shared by the scenario's sources (None: none kept).
    """

    def __init__(
        self,
        spec: MailingsSpec,
        data: ModelData,
        now: int | None,
        kept: Kept[tuple[int | None, int], Mailing | None] | None = None,
    ) -> None:
        self.now = now
        self.data = data
        self._kept = kept
        self._account = Account(dataclasses.replace(spec.config, now=now), data)
        self._pinned = {i: p for i, p in spec.pinned.items() if now is None or p.plan.sent_at <= now}
        # Pinned ids leave the generated sequence and come back as extras, so their own send time decides.
        hidden = [*spec.not_found, *spec.pinned]
        self._ids = MergedIds(self._account.ids(), hidden=hidden, extra=list(self._pinned))
        self._objects = spec.json_objects

    def ids(self) -> Sequence[int]:
        """Return the ids of the mailings sent by now, ascending (lazy for large accounts)."""
        return self._ids

    def title(self, mailing_id: int) -> str:
        """Return the subject line of a listed mailing; KeyError for other ids."""
        pinned = self._pinned.get(mailing_id)
        if pinned is not None:
            return self._pinned_title(pinned)
        # The account checks that it lists the id (ids outside it raise KeyError there).
        if self._ids.hides(mailing_id):
            raise KeyError(mailing_id)
        return self._account.title(mailing_id)

    def listing(self) -> Iterator[tuple[int, str]]:
        """Return every listed id with its subject line, ascending: the index, each id drawn once."""
        seed = self._account.config.seed
        if not self._pinned:
            yield from titled(self.data, seed, self._ids)
            return
        for mailing_id in self._ids:
            pinned = self._pinned.get(mailing_id)
            title = letter_title(self.data, seed, mailing_id) if pinned is None else self._pinned_title(pinned)
            yield mailing_id, title

    def mailing(self, mailing_id: int) -> Mailing | None:
        """Return the mailing as seen at the clock, or None when the id has no statistics (kept: see Kept)."""
        key = (self.now, mailing_id)
        return self._draw(key) if self._kept is None else self._kept.get(key, self._draw)

    def _draw(self, key: tuple[int | None, int]) -> Mailing | None:
        """Generate the mailing of (clock, id), pinned sections laid over, or None when the id has none."""
        mailing_id = key[1]
        pinned = self._pinned.get(mailing_id)
        if pinned is not None:
            mailing: Mailing | None = pinned_mailing(pinned, self.data, self.now)
        elif self._ids.hides(mailing_id):  # the account returns None for an id it does not list
            return None
        else:
            mailing = self._account.mailing(mailing_id)
        if mailing is None or not self._objects:
            return mailing
        return dataclasses.replace(mailing, objects=self._objects)

    def _pinned_title(self, pinned: PinnedMailing) -> str:
        plan = pinned.plan
        return plan.title if plan.title is not None else letter_title(self.data, plan.seed, plan.mailing_id)


def pinned_mailing(pinned: PinnedMailing, data: ModelData, now: int | None) -> Mailing:
    """Generate a pinned mailing from its plan at now and lay its literal sections over it."""
    return overlay(generate_mailing(pinned.plan, data, now), pinned.sections)


def overlay(mailing: Mailing, sections: Mapping[str, Any]) -> Mailing:
    """Return the mailing with literal sections laid over it: common key by key, a map section whole."""
    if not sections:
        return mailing
    changes: dict[str, Any] = {}
    if "common" in sections:
        changes["common"] = Common(**{**vars(mailing.common), **sections["common"]})
    for name in ("open_time", "click_statistic", "errors"):
        if name in sections:
            changes[name] = dict(sections[name])
    if "domain_statistic" in sections:
        changes["domain_statistic"] = {
            domain: DomainCounts(**counts) for domain, counts in sections["domain_statistic"].items()
        }
    return dataclasses.replace(mailing, **changes)
