"""When mailings are sent (data/clock.yaml) and which ids an account's mailings have, lazily."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from mockserver.errors import ConfigError
from mockserver.model.domain.datafile import integer, mapping, number
from mockserver.model.domain.draws import HashDraws, cumulative, first_word, first_words
from mockserver.model.lazyids import LazyIds

DAY = 86400
HOUR = 3600


@dataclass(frozen=True)
class SendClock:
    """When marketers send: hours of the day (Moscow time) and minutes past the hour, with weights."""

    utc_offset_hours: int
    hours: tuple[int, ...]
    hour_weights: tuple[float, ...]
    minutes: tuple[int, ...]


def parse_send_clock(document: Mapping[str, Any]) -> SendClock:
    """Build the send clock from the parsed data/clock.yaml."""
    where = "data/clock.yaml"
    hours = mapping(document.get("send_hours"), f"{where}: send_hours")
    minutes = document.get("send_minutes")
    if not isinstance(minutes, list) or not minutes:
        raise ConfigError(f"{where}: send_minutes must be a non-empty list")
    return SendClock(
        utc_offset_hours=integer(document.get("utc_offset_hours"), f"{where}: utc_offset_hours"),
        hours=tuple(int(number(int(h), f"{where}: send_hours", high=23)) for h in hours),
        hour_weights=cumulative([number(w, f"{where}: send_hours.{h}") for h, w in hours.items()]),
        minutes=tuple(int(number(m, f"{where}: send_minutes", high=59)) for m in minutes),
    )


def send_time(clock: SendClock, seed: int, index: int, start: int, end: int) -> int:
    """Return the send time of mailing number index, inside its slot [start, end) of the schedule."""
    draws = HashDraws(seed, index, "sent_at")
    offset = clock.utc_offset_hours * HOUR
    first_day, end_day = -(-(start + offset) // DAY), (end + offset) // DAY
    if end_day > first_day:
        # The slot holds a whole day (Moscow time) or more: a working hour of one of them.
        day = first_day + draws.below(end_day - first_day)
        hour = clock.hours[draws.weighted(clock.hour_weights)]
        sent_at = day * DAY - offset + hour * HOUR + draws.pick(clock.minutes) * 60
    else:
        sent_at = start + draws.below(max(1, end - start))
        sent_at -= sent_at % 60
    return min(max(sent_at, start), end - 1)


class MailingIds(LazyIds):
    """Ascending mailing ids computed on demand: first + i * spacing + a drawn gap below spacing."""

    def __init__(self, seed: int, first: int, spacing: int, length: int) -> None:
        if first < 1 or spacing < 1 or length < 0:
            raise ConfigError(f"ids need first >= 1, spacing >= 1, length >= 0; got {first}, {spacing}, {length}")
        self.seed, self.first, self.spacing, self.length = seed, first, spacing, length

    def id_at(self, index: int) -> int:
        """Return the id of mailing number index (0-based, not bounds-checked)."""
        base = self.first + index * self.spacing
        # Ids stay in disjoint windows of `spacing`, so they ascend strictly whatever the draws.
        return base if self.spacing == 1 else base + first_word(self.seed, index, "id") % self.spacing

    def position(self, mailing_id: int) -> int | None:
        """Return the index of an id, or None when the account has no mailing with it."""
        index, _ = divmod(mailing_id - self.first, self.spacing)
        if 0 <= index < self.length and self.id_at(index) == mailing_id:
            return index
        return None

    def __len__(self) -> int:
        return self.length

    def _at(self, index: int) -> int:
        return self.id_at(index)

    def __iter__(self) -> Iterator[int]:
        first, spacing = self.first, self.spacing
        if spacing == 1:
            return iter(range(first, first + self.length))
        # id_at() of every index, its draws made in a row (the index of a large account lists them all).
        drawn = first_words(self.seed, range(self.length), "id")
        return (first + index * spacing + word % spacing for index, word in enumerate(drawn))

    def __contains__(self, value: object) -> bool:
        return isinstance(value, int) and self.position(value) is not None

    def index(self, value: Any, start: int = 0, stop: int | None = None) -> int:
        """Return the index of an id (O(1)), or raise ValueError."""
        found = self.position(value) if isinstance(value, int) else None
        if found is None or not start <= found < (self.length if stop is None else stop):
            raise ValueError(f"{value!r} is not a mailing id of this account")
        return found

    def __repr__(self) -> str:
        return f"MailingIds(seed={self.seed}, first={self.first}, spacing={self.spacing}, length={self.length})"
