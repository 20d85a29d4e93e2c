"""Recipients by domain (data/audience.yaml): public mail services, company domains, misspelt domains."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mockserver.errors import ConfigError
from mockserver.model.domain.datafile import integer, mapping, number, strings
from mockserver.model.domain.draws import HashDraws, binomial, lognormal_factor, multinomial

# Kinds of domain that bounce alike; delivery.yaml weighs error codes and bounce rates by kind.
PUBLIC_KINDS = ("mailru", "yandex", "gmail", "public")
CORPORATE = "corporate"
TYPO = "typo"
KINDS = (*PUBLIC_KINDS, CORPORATE, TYPO)


@dataclass(frozen=True)
class PublicDomain:
    """A free mail service and its share of a list's recipients."""

    name: str
    share: float
    kind: str


class CompanyPools:
    """The company domains of each account seed drawn so far: a pure function's results, kept (400 names a seed).

    Threads may fill a slot twice at once: both write the same name. At most `seeds` seeds are kept.
    """

    def __init__(self, seeds: int = 64) -> None:
        self._seeds = seeds
        self._pools: dict[int, list[str | None]] = {}

    def pool(self, seed: int, size: int) -> list[str | None]:
        """Return the seed's pool: its company domains by index, None where not drawn yet."""
        found = self._pools.get(seed)
        if found is None:
            if len(self._pools) >= self._seeds:
                self._pools.clear()
            found = self._pools[seed] = [None] * size
        return found


@dataclass(frozen=True)
class AudienceData:
    """What a list's domains look like (data/audience.yaml) and the words of company domains.

    zipf: the weights of company domains' sizes by rank (1 / rank ** skew), for every rank up to max_corporate.
    """

    public: tuple[PublicDomain, ...]
    corporate_share: float
    share_noise: float
    pool: int
    per_sqrt: float
    max_corporate: int
    skew: float
    patterns: tuple[str, ...]
    words: Mapping[str, tuple[str, ...]]
    typo_domains: tuple[str, ...]
    zipf: tuple[float, ...]
    companies: CompanyPools = field(default_factory=CompanyPools, compare=False, repr=False)


@dataclass(slots=True)
class Recipients:
    """The recipients of one mailing on one domain (slots, not frozen: about 45 are made per mailing)."""

    domain: str
    kind: str
    count: int


def parse_audience(document: Mapping[str, Any], names: Mapping[str, Any]) -> AudienceData:
    """Build the audience data from the parsed data/audience.yaml and data/names.yaml (Faker's surnames)."""
    where = "data/audience.yaml"
    public = []
    for index, raw in enumerate(document.get("public") or ()):
        entry = mapping(raw, f"{where}: public[{index}]")
        kind = str(entry.get("kind"))
        if kind not in PUBLIC_KINDS:
            raise ConfigError(f"{where}: public[{index}].kind {kind!r} is not one of {', '.join(PUBLIC_KINDS)}")
        share = number(entry.get("share"), f"{where}: public[{index}].share", high=1.0)
        public.append(PublicDomain(name=str(entry.get("domain")), share=share, kind=kind))
    corporate = mapping(document.get("corporate"), f"{where}: corporate")
    words = {
        "stem": strings(corporate.get("stems"), f"{where}: corporate.stems"),
        "city": strings(corporate.get("cities"), f"{where}: corporate.cities"),
        "surname": strings(names.get("surnames_latin"), "data/names.yaml: surnames_latin"),
    }
    skew = number(corporate.get("skew"), f"{where}: corporate.skew", high=5.0)
    max_corporate = integer(corporate.get("max"), f"{where}: corporate.max", low=1)
    data = AudienceData(
        public=tuple(public),
        corporate_share=number(document.get("corporate_share"), f"{where}: corporate_share", high=1.0),
        share_noise=number(document.get("share_noise"), f"{where}: share_noise", high=2.0),
        pool=integer(corporate.get("pool"), f"{where}: corporate.pool", low=1),
        per_sqrt=number(corporate.get("per_sqrt"), f"{where}: corporate.per_sqrt"),
        max_corporate=max_corporate,
        skew=skew,
        patterns=strings(corporate.get("patterns"), f"{where}: corporate.patterns"),
        words=words,
        typo_domains=strings(document.get("typo_domains"), f"{where}: typo_domains"),
        zipf=tuple(1.0 / (rank + 1) ** skew for rank in range(max_corporate)),
    )
    if not public or math.fsum(d.share for d in public) + data.corporate_share <= 0:
        raise ConfigError(f"{where}: no domain has a share")
    return data


def fill(pattern: str, words: Mapping[str, tuple[str, ...]], draws: HashDraws) -> str:
    """Fill a domain pattern's {stem}, {stem2}, {city} and {surname} with drawn words."""
    stem = draws.pick(words["stem"])
    stem2 = draws.pick(words["stem"])
    return pattern.format(stem=stem, stem2=stem2, city=draws.pick(words["city"]), surname=draws.pick(words["surname"]))


def corporate_domain(data: AudienceData, seed: int, index: int) -> str:
    """Return company domain number index of an account's pool (cheap: no random stream)."""
    draws = HashDraws(seed, "corporate", index)
    return fill(draws.pick(data.patterns), data.words, draws)


def split_audience(rng: random.Random, data: AudienceData, seed: int, count: int, typo: float) -> list[Recipients]:
    """Split a mailing's recipients over domains; the counts add up to count exactly, largest first, then by name."""
    typos = binomial(rng, count, typo)
    shares = [d.share * lognormal_factor(rng, data.share_noise) for d in data.public]
    shares.append(data.corporate_share * lognormal_factor(rng, data.share_noise))
    *public_counts, corporate_count = multinomial(rng, count - typos, shares)
    found: dict[str, Recipients] = {}
    for domain, n in zip(data.public, public_counts, strict=True):
        _add(found, domain.name, domain.kind, n)
    for name, n in _corporate(rng, data, seed, corporate_count):
        _add(found, name, CORPORATE, n)
    if typos:
        names = rng.sample(data.typo_domains, min(typos, len(data.typo_domains), 1 + rng.randrange(3)))
        for name, n in zip(names, multinomial(rng, typos, [1.0] * len(names)), strict=True):
            _add(found, name, TYPO, n)
    return sorted(found.values(), key=lambda r: (-r.count, r.domain))


def _corporate(rng: random.Random, data: AudienceData, seed: int, count: int) -> Sequence[tuple[str, int]]:
    if count == 0:
        return ()
    size = max(1, min(data.max_corporate, data.pool, count, round(data.per_sqrt * math.sqrt(count))))
    indices = rng.sample(range(data.pool), size)
    sizes = multinomial(rng, count, data.zipf[:size])
    pool = data.companies.pool(seed, data.pool)
    found = []
    for index, n in zip(indices, sizes, strict=True):
        name = pool[index]
        if name is None:
            name = pool[index] = corporate_domain(data, seed, index)
        found.append((name, n))
    return found


def _add(found: dict[str, Recipients], name: str, kind: str, count: int) -> None:
    if count <= 0:
        return
    # Two pool entries can spell the same company domain: their recipients merge.
    before = found.get(name)
    found[name] = Recipients(name, before.kind if before else kind, count + (before.count if before else 0))
