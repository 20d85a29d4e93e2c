"""Tests of mockserver.model.domain.links: a letter's links and how its clicks fall on them."""

from __future__ import annotations

import random

import pytest

from mockserver.model.domain.data import ModelData
from mockserver.model.domain.links import clicks_seen, draw_clicks, sender_domain

UTM = "utm_source=estismail&utm_medium=email&utm_campaign=sale_20240101"


@pytest.mark.parametrize("clicked", [1, 5, 300, 20_000])
def test_clicks_add_up(data: ModelData, clicked: int) -> None:
    """Clicks per link add up to the letter's clicks, on at most 8 distinct links."""
    clicks = draw_clicks(random.Random(clicked), data.links, "shop.ru", "sale", "sale_20240101", clicked)
    assert sum(clicks.values()) == clicked
    assert 1 <= len(clicks) <= 8


def test_links_carry_utm_tags(data: ModelData) -> None:
    """Every link is on the sender's site and carries the UTM tags of the campaign."""
    clicks = draw_clicks(random.Random(1), data.links, "shop.ru", "sale", "sale_20240101", 5000)
    assert all(url.startswith("https://shop.ru/") and url.endswith(UTM) for url in clicks)
    assert all(url.count("?") == 1 for url in clicks)


def test_no_clicks_no_links(data: ModelData) -> None:
    """A letter nobody clicked has no click statistics."""
    assert draw_clicks(random.Random(1), data.links, "shop.ru", "sale", "c", 0) == {}


def test_letters_have_two_to_eight_links(data: ModelData) -> None:
    """Over many letters, the number of links clicked spans 2 to 8."""
    sizes = {len(draw_clicks(random.Random(s), data.links, "shop.ru", "news", "c", 100_000)) for s in range(200)}
    assert min(sizes) == 2
    assert max(sizes) == 8


def test_clicks_seen_grow_with_the_share() -> None:
    """Clicks seen at a larger share are never fewer, per link."""
    clicks = {"a": 100, "b": 7, "c": 1}
    small, large = clicks_seen(clicks, 0.3), clicks_seen(clicks, 0.6)
    assert all(n <= large[url] for url, n in small.items())
    assert small == {"a": 30, "b": 2}


def test_sender_domain_is_stable(data: ModelData) -> None:
    """An account's sender site depends on its seed only."""
    words = data.audience.words
    assert sender_domain(data.links, words, 3) == sender_domain(data.links, words, 3)
    assert len({sender_domain(data.links, words, seed) for seed in range(20)}) > 10
