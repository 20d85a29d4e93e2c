"""Opens by hour over the 48 hours after a send (data/clock.yaml), and how far along a mailing is."""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mockserver.errors import ConfigError
from mockserver.model.domain.datafile import integer, mapping, number
from mockserver.model.domain.draws import multinomial

HOUR = 3600
HOURS = 48  # the seed: open_time covers the 2 days after sending
DAY_HOURS = 24


@dataclass(frozen=True)
class OpenCurve:
    """Shares of a mailing's opens by hour after its send's hour, one shape per Moscow hour of the send."""

    utc_offset_hours: int
    shapes: tuple[tuple[float, ...], ...]

    def shape(self, sent_at: int) -> tuple[float, ...]:
        """Return the 48 hourly shares (summing to 1) of a mailing sent at sent_at."""
        return self.shapes[(sent_at // HOUR + self.utc_offset_hours) % DAY_HOURS]


def parse_open_curve(document: Mapping[str, Any]) -> OpenCurve:
    """Build the open curve from data/clock.yaml: the cumulative marks times the shape of the day."""
    where = "data/clock.yaml"
    marks = {
        integer(int(hour), f"{where}: open_curve", low=1): number(share, f"{where}: open_curve.{hour}", high=1.0)
        for hour, share in mapping(document.get("open_curve"), f"{where}: open_curve").items()
    }
    if max(marks, default=0) != HOURS or marks[HOURS] != 1.0:
        raise ConfigError(f"{where}: open_curve must reach 1.0 at hour {HOURS}")
    day = document.get("day_shape")
    if not isinstance(day, list) or len(day) != DAY_HOURS:
        raise ConfigError(f"{where}: day_shape must list {DAY_HOURS} factors, one per hour")
    day_shape = [number(f, f"{where}: day_shape", low=1e-6) for f in day]
    base = _hourly(marks, where)
    offset = integer(document.get("utc_offset_hours"), f"{where}: utc_offset_hours")
    shapes = []
    for start in range(DAY_HOURS):
        raw = [share * day_shape[(start + h) % DAY_HOURS] for h, share in enumerate(base)]
        total = math.fsum(raw)
        shapes.append(tuple(w / total for w in raw))
    return OpenCurve(utc_offset_hours=offset, shapes=tuple(shapes))


def _hourly(marks: Mapping[int, float], where: str) -> list[float]:
    """Turn cumulative marks (hour -> share) into 48 hourly shares, linear between the marks."""
    points = [(0, 0.0), *sorted(marks.items())]
    cumulative: list[float] = []
    for (h0, s0), (h1, s1) in itertools.pairwise(points):
        if s1 < s0:
            raise ConfigError(f"{where}: open_curve falls between hours {h0} and {h1}")
        cumulative.extend(s0 + (s1 - s0) * (h - h0) / (h1 - h0) for h in range(h0 + 1, h1 + 1))
    return [b - a for a, b in itertools.pairwise([0.0, *cumulative])]


def hourly_opens(rng: random.Random, curve: OpenCurve, opened: int, sent_at: int) -> list[int]:
    """Split a finished mailing's opens over the 48 hours from its send's hour."""
    return multinomial(rng, opened, curve.shape(sent_at))


def elapsed_fractions(sent_at: int, now: int | None) -> Sequence[float]:
    """Return, per hour bucket, the fraction of it that has passed by now (the first starts at the send)."""
    first = sent_at - sent_at % HOUR
    if now is None or now >= first + HOURS * HOUR:
        return [1.0] * HOURS
    fractions = []
    for h in range(HOURS):
        start, end = max(sent_at, first + h * HOUR), first + (h + 1) * HOUR
        fractions.append(min(1.0, max(0.0, (now - start) / (end - start))))
    return fractions


def open_time(counts: Sequence[int], sent_at: int, now: int | None) -> dict[int, int]:
    """Return the open_time map: hour -> opens seen by now, ascending; empty hours absent."""
    first = sent_at - sent_at % HOUR
    if now is None or now >= first + HOURS * HOUR:
        return {first + h * HOUR: n for h, n in enumerate(counts) if n > 0}
    fractions = elapsed_fractions(sent_at, now)
    found = {}
    for h, (n, fraction) in enumerate(zip(counts, fractions, strict=True)):
        seen = n if fraction >= 1.0 else math.floor(n * fraction)
        if seen > 0:
            found[first + h * HOUR] = seen
    return found


def progress(curve: OpenCurve, sent_at: int, now: int | None) -> float:
    """Return the expected share of a mailing's activity that has happened by now (1.0 when finished)."""
    if now is None or now >= sent_at - sent_at % HOUR + HOURS * HOUR:
        return 1.0
    fractions = elapsed_fractions(sent_at, now)
    if fractions[-1] >= 1.0:
        return 1.0
    return min(1.0, math.fsum(s * f for s, f in zip(curve.shape(sent_at), fractions, strict=True)))
