"""Tests of mockserver.model.domain.profiles: the list-quality profiles and their draws."""

from __future__ import annotations

import random
import statistics

import pytest

from mockserver.errors import ConfigError
from mockserver.model.domain.data import ModelData
from mockserver.model.domain.datafile import read_data
from mockserver.model.domain.profiles import draw_recipients, parse_profiles


def test_shipped_profiles(data: ModelData) -> None:
    """The shipped profiles include good, average, poor, high_engagement and empty."""
    assert {"good", "average", "poor", "high_engagement", "empty"} <= set(data.profiles.profiles)


def test_empty_profile_has_no_recipients(data: ModelData) -> None:
    """The empty profile always gives zero recipients."""
    assert draw_recipients(random.Random(1), data.profiles.get("empty"), 10**6) == 0


def test_recipients_are_log_normal(data: ModelData) -> None:
    """Drawn list sizes have the profile's median and stay within [1, cap]."""
    profile, rng = data.profiles.get("average"), random.Random(3)
    sizes = [draw_recipients(rng, profile, 50_000) for _ in range(4000)]
    assert statistics.median(sizes) == pytest.approx(profile.recipients_median, rel=0.1)
    assert min(sizes) >= 1
    assert max(sizes) == 50_000


def test_typo_above_hard_bounce_is_rejected() -> None:
    """A profile whose typo share exceeds its lowest hard bounce rate is a ConfigError."""
    document = read_data("profiles.yaml")
    document["profiles"]["good"]["typo"] = 0.5
    with pytest.raises(ConfigError, match="typo"):
        parse_profiles(document)


def test_default_mix_names_known_profiles() -> None:
    """A default mix naming an unknown profile is a ConfigError."""
    document = read_data("profiles.yaml")
    document["default_mix"] = {"excellent": 1}
    with pytest.raises(ConfigError, match="excellent"):
        parse_profiles(document)
