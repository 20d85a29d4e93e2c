"""Tests of mockserver.model.domain.engagement: opens, clicks, unsubscribes and complaints."""

from __future__ import annotations

import dataclasses
import random

import pytest

from mockserver.model.domain.data import ModelData
from mockserver.model.domain.engagement import Engagement, draw_engagement


@pytest.mark.parametrize("delivered", [0, 1, 2, 40, 100_000])
@pytest.mark.parametrize("profile", ["good", "poor", "high_engagement"])
def test_totals_within_delivered(data: ModelData, profile: str, delivered: int) -> None:
    """Opens, clicks, unsubscribes and complaints never exceed the delivered letters."""
    for seed in range(20):
        found = draw_engagement(random.Random(seed), data.profiles.get(profile), delivered)
        assert max(found.opened, found.clicked, found.unsubs, found.spam) <= delivered


def test_some_clicks_without_opens(data: ModelData) -> None:
    """Readers who never opened (images blocked) still click a little: clicks exist with no click-to-open."""
    profile = dataclasses.replace(data.profiles.get("good"), click_to_open=0.0)
    found = draw_engagement(random.Random(1), profile, 1_000_000)
    assert 0 < found.clicked < found.opened * 0.01


@pytest.mark.parametrize("share", [0.0, 0.3, 0.999])
def test_seen_is_rounded_down(share: float) -> None:
    """Part of the activity shows each total rounded down."""
    assert Engagement(10, 7, 3, 1).seen(share).opened == int(10 * share)


def test_seen_whole_is_itself() -> None:
    """All of the activity is the totals themselves."""
    totals = Engagement(10, 7, 3, 1)
    assert totals.seen(1.0) is totals
