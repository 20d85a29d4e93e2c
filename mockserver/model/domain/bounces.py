"""Delivered and bounced letters per domain, by kind of bounce (hard, soft, block)."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

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


class DomainOutcome(NamedTuple):
    """What happened to the letters of one mailing on one domain (a named tuple: about 45 per mailing)."""

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
    """Draw delivered and bounced letters per domain, so that the mailing's rates are about rates.

    The outcomes come in the recipients' order, and each domain's delivered + bounce is its recipients.
    """
    count = typos = 0
    mixed = []  # the recipients on real domains, with their kind's factors
    for r in recipients:
        count += r.count
        if r.kind == TYPO:
            typos += r.count
        else:
            mixed.append((r, factors[r.kind]))
    # Letters to misspelt domains all bounce hard; the other domains make up the rest of the hard rate.
    wanted = {"hard": max(0.0, rates.hard * count - typos), "soft": rates.soft * count, "block": rates.block * count}
    scale: dict[str, float] = {}
    for kind in BOUNCE_KINDS:
        # Normalise the kind factors over this mailing's mix so the overall rate stays the drawn one.
        weighted = math.fsum([r.count * factor[kind] for r, factor in mixed])
        scale[kind] = wanted[kind] / weighted if weighted > 0 else 0.0
    hard_scale, soft_scale, block_scale = scale["hard"], scale["soft"], scale["block"]
    found = []
    for r in recipients:
        if r.kind == TYPO:
            found.append(DomainOutcome(r.domain, r.kind, 0, r.count, 0, 0))
            continue
        factor = factors[r.kind]
        n = r.count
        hard = binomial(rng, n, hard_scale * factor["hard"])
        soft = binomial(rng, n - hard, soft_scale * factor["soft"])
        block = binomial(rng, n - hard - soft, block_scale * factor["block"])
        found.append(DomainOutcome(r.domain, r.kind, n - hard - soft - block, hard, soft, block))
    return found
