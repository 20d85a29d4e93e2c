"""Delivered and bounced letters per domain, by kind of bounce (hard, soft, block)."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mockserver.errors import ConfigError
from mockserver.model.domain.audience import KINDS, TYPO, Recipients
from mockserver.model.domain.datafile import mapping, number
from mockserver.model.domain.draws import binomial

BOUNCE_KINDS = ("hard", "soft", "block")


@dataclass(frozen=True)
class Rates:
    """A mailing's bounce rates, as fractions of its recipients."""

    hard: float
    soft: float
    block: float


@dataclass(frozen=True)
class DomainOutcome:
    """What happened to the letters of one mailing on one domain."""

    domain: str
    kind: str
    delivered: int
    hard: int
    soft: int
    block: int

    @property
    def bounce(self) -> int:
        """Letters bounced, of every kind."""
        return self.hard + self.soft + self.block


def parse_kind_factors(document: Mapping[str, Any], where: str) -> dict[str, dict[str, float]]:
    """Read kind_factors: per kind of domain, a factor on each kind of bounce (every kind but typo)."""
    table = mapping(document.get("kind_factors"), f"{where}: kind_factors")
    factors: dict[str, dict[str, float]] = {}
    for kind in KINDS:
        if kind == TYPO:
            continue
        if kind not in table:
            raise ConfigError(f"{where}: kind_factors lacks the kind {kind!r}")
        entry = mapping(table[kind], f"{where}: kind_factors.{kind}")
        factors[kind] = {b: number(entry.get(b), f"{where}: kind_factors.{kind}.{b}") for b in BOUNCE_KINDS}
    return factors


def outcomes(
    rng: random.Random,
    recipients: Sequence[Recipients],
    rates: Rates,
    factors: Mapping[str, Mapping[str, float]],
) -> list[DomainOutcome]:
    """Draw delivered and bounced letters per domain, so that the mailing's rates are about rates."""
    count = sum(r.count for r in recipients)
    typos = sum(r.count for r in recipients if r.kind == TYPO)
    # Letters to misspelt domains all bounce hard; the other domains make up the rest of the hard rate.
    wanted = {"hard": max(0.0, rates.hard * count - typos), "soft": rates.soft * count, "block": rates.block * count}
    scale: dict[str, float] = {}
    for kind in BOUNCE_KINDS:
        # Normalise the kind factors over this mailing's mix so the overall rate stays the drawn one.
        weighted = math.fsum(r.count * factors[r.kind][kind] for r in recipients if r.kind != TYPO)
        scale[kind] = wanted[kind] / weighted if weighted > 0 else 0.0
    found = []
    for r in recipients:
        if r.kind == TYPO:
            found.append(DomainOutcome(r.domain, r.kind, delivered=0, hard=r.count, soft=0, block=0))
            continue
        factor = factors[r.kind]
        hard = binomial(rng, r.count, scale["hard"] * factor["hard"])
        soft = binomial(rng, r.count - hard, scale["soft"] * factor["soft"])
        block = binomial(rng, r.count - hard - soft, scale["block"] * factor["block"])
        found.append(DomainOutcome(r.domain, r.kind, r.count - hard - soft - block, hard, soft, block))
    return found
