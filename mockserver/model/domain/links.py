"""Links of a letter and their clicks (data/links.yaml): paths on the sender's site with UTM tags."""

from __future__ import annotations

import math
import random
import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mockserver.errors import ConfigError
from mockserver.model.domain.audience import fill
from mockserver.model.domain.datafile import integer, mapping, number, strings, weights
from mockserver.model.domain.draws import HashDraws, multinomial


@dataclass(frozen=True)
class LinkData:
    """Paths by theme, the words that fill them, how many links a letter has and how skewed clicks are."""

    counts: tuple[int, ...]
    count_weights: tuple[float, ...]
    skew: tuple[float, float]
    utm: str
    senders: tuple[str, ...]
    common: tuple[str, ...]
    themes: Mapping[str, tuple[str, ...]]
    words: Mapping[str, tuple[str, ...]]


def parse_links(document: Mapping[str, Any], title_themes: tuple[str, ...]) -> LinkData:
    """Build the link data from the parsed data/links.yaml; every title theme needs its paths."""
    where = "data/links.yaml"
    per_letter = weights(document.get("links_per_letter"), f"{where}: links_per_letter")
    themes = {t: strings(p, f"{where}: themes.{t}") for t, p in mapping(document.get("themes"), where).items()}
    if missing := [t for t in title_themes if t not in themes]:
        raise ConfigError(f"{where}: no paths for the title themes {', '.join(missing)}")
    words = {k: strings(v, f"{where}: lists.{k}") for k, v in mapping(document.get("lists"), where).items()}
    for path in {p for paths in themes.values() for p in paths}:
        for field in _fields(path):
            if field not in words:
                raise ConfigError(f"{where}: path {path!r} uses {{{field}}}, which no list fills")
    skew = document.get("skew")
    if not isinstance(skew, list) or len(skew) != 2:
        raise ConfigError(f"{where}: skew must be [lo, hi]")
    low, high = number(skew[0], f"{where}: skew", high=5.0), number(skew[1], f"{where}: skew", high=5.0)
    if low > high:
        raise ConfigError(f"{where}: skew lo {low} exceeds hi {high}")
    return LinkData(
        counts=tuple(integer(int(n), f"{where}: links_per_letter", low=1) for n in per_letter),
        count_weights=tuple(per_letter.values()),
        skew=(low, high),
        utm=str(document.get("utm")),
        senders=strings(document.get("senders"), f"{where}: senders"),
        common=strings(document.get("common"), f"{where}: common"),
        themes=themes,
        words=words,
    )


def _fields(path: str) -> list[str]:
    """Return the {fields} of a path template."""
    return [name for _, name, _, _ in string.Formatter().parse(path) if name]


def sender_domain(data: LinkData, words: Mapping[str, tuple[str, ...]], seed: int) -> str:
    """Return the site an account's letters link to (cheap: hash draws of the seed)."""
    draws = HashDraws(seed, "sender")
    return fill(draws.pick(data.senders), words, draws)


def draw_clicks(
    rng: random.Random, data: LinkData, sender: str, theme: str, campaign: str, clicked: int
) -> dict[str, int]:
    """Split a letter's clicks over its 2-8 links, a few taking most; largest first, absent when 0."""
    if clicked <= 0:
        return {}
    how_many = rng.choices(data.counts, weights=data.count_weights)[0]
    paths = [*data.themes[theme], *data.common]
    tags = data.utm.format(campaign=campaign)
    urls: list[str] = []
    for _ in range(4 * how_many):  # distinct links; a letter repeating a link is counted once
        path = rng.choice(paths)
        path = path.format_map({field: rng.choice(data.words[field]) for field in _fields(path)})
        url = f"https://{sender}{path}{'&' if '?' in path else '?'}{tags}"
        if url not in urls:
            urls.append(url)
        if len(urls) == how_many:
            break
    skew = rng.uniform(*data.skew)
    counts = multinomial(rng, clicked, [1.0 / (rank + 1) ** skew for rank in range(len(urls))])
    ranked = sorted(zip(urls, counts, strict=True), key=lambda item: (-item[1], item[0]))
    return {url: n for url, n in ranked if n > 0}


def clicks_seen(clicks: Mapping[str, int], share: float) -> dict[str, int]:
    """Return the clicks per link seen when only a share of the activity has happened (rounded down)."""
    if share >= 1.0:
        return dict(clicks)
    seen = {url: math.floor(n * share) for url, n in clicks.items()}
    return {url: n for url, n in sorted(seen.items(), key=lambda item: (-item[1], item[0])) if n > 0}
