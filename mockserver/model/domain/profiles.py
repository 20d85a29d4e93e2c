"""List-quality profiles (data/profiles.yaml): list size, bounce rates and engagement of a mailing."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mockserver.errors import ConfigError
from mockserver.model.domain.datafile import integer, mapping, number, rate_range, weights

Span = tuple[float, float]


@dataclass(frozen=True)
class Profile:
    """How a list of one quality behaves; spans are drawn uniformly per mailing."""

    name: str
    recipients_median: float
    recipients_sigma: float
    recipients_fixed: int | None
    hard_bounce: Span
    soft_bounce: Span
    block: Span
    typo: float
    open_rate: float
    open_spread: float
    click_to_open: float
    blind_clicks: float
    unsubs: Span
    spam: Span


@dataclass(frozen=True)
class ProfileBook:
    """Every profile, the default mix of an account, and the largest list."""

    profiles: Mapping[str, Profile]
    default_mix: Mapping[str, float]
    max_recipients: int

    def get(self, name: str) -> Profile:
        """Return the profile of that name, or raise ConfigError naming the known ones."""
        try:
            return self.profiles[name]
        except KeyError:
            raise ConfigError(f"unknown profile {name!r}; known: {', '.join(sorted(self.profiles))}") from None

    def check_mix(self, mix: Mapping[str, float], where: str) -> None:
        """Raise ConfigError unless mix names known profiles with weights >= 0 and a positive total."""
        for name, weight in mix.items():
            self.get(name)
            number(weight, f"{where}.{name}")
        if sum(mix.values()) <= 0:
            raise ConfigError(f"{where}: the profile weights add up to zero")


def parse_profiles(document: Mapping[str, Any]) -> ProfileBook:
    """Build the profile book from the parsed data/profiles.yaml."""
    where = "data/profiles.yaml"
    profiles = {
        name: _profile(name, mapping(body, f"{where}: profiles.{name}"), f"{where}: profiles.{name}")
        for name, body in mapping(document.get("profiles"), f"{where}: profiles").items()
    }
    book = ProfileBook(
        profiles=profiles,
        default_mix=weights(document.get("default_mix"), f"{where}: default_mix"),
        max_recipients=integer(document.get("max_recipients"), f"{where}: max_recipients", low=1),
    )
    book.check_mix(book.default_mix, f"{where}: default_mix")
    return book


def _profile(name: str, body: dict[str, Any], where: str) -> Profile:
    size = mapping(body.get("recipients"), f"{where}.recipients")
    fixed = integer(size["fixed"], f"{where}.recipients.fixed") if "fixed" in size else None
    profile = Profile(
        name=name,
        recipients_median=number(size.get("median", 1), f"{where}.recipients.median", low=1.0),
        recipients_sigma=number(size.get("sigma", 0), f"{where}.recipients.sigma", high=5.0),
        recipients_fixed=fixed,
        hard_bounce=rate_range(body.get("hard_bounce"), f"{where}.hard_bounce"),
        soft_bounce=rate_range(body.get("soft_bounce"), f"{where}.soft_bounce"),
        block=rate_range(body.get("block"), f"{where}.block"),
        typo=number(body.get("typo"), f"{where}.typo", high=1.0),
        open_rate=number(body.get("open_rate"), f"{where}.open_rate", high=1.0),
        open_spread=number(body.get("open_spread"), f"{where}.open_spread", high=2.0),
        click_to_open=number(body.get("click_to_open"), f"{where}.click_to_open", high=1.0),
        blind_clicks=number(body.get("blind_clicks"), f"{where}.blind_clicks", high=1.0),
        unsubs=rate_range(body.get("unsubs"), f"{where}.unsubs"),
        spam=rate_range(body.get("spam"), f"{where}.spam"),
    )
    # Typo recipients are part of the hard bounces, and a mailing cannot bounce more than it sends.
    if profile.typo > profile.hard_bounce[0]:
        raise ConfigError(f"{where}: typo {profile.typo} exceeds the lowest hard bounce {profile.hard_bounce[0]}")
    if profile.hard_bounce[1] + profile.soft_bounce[1] + profile.block[1] > 1.0:
        raise ConfigError(f"{where}: the highest bounce rates add up to more than 1")
    return profile


def draw_recipients(rng: random.Random, profile: Profile, cap: int) -> int:
    """Draw a mailing's number of recipients: log-normal around the profile's median, at least 1."""
    if profile.recipients_fixed is not None:
        return profile.recipients_fixed
    drawn = profile.recipients_median * math.exp(rng.gauss(0.0, profile.recipients_sigma))
    return max(1, min(cap, round(drawn)))


def draw_span(rng: random.Random, span: Span) -> float:
    """Draw a rate uniformly from a [lo, hi] span."""
    return rng.uniform(*span)
