"""What recipients did with the delivered letters: opens, clicks, unsubscribes, spam complaints."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from mockserver.model.domain.draws import binomial, lognormal_factor
from mockserver.model.domain.profiles import Profile, draw_span

_MAX_OPEN_RATE = 0.9


@dataclass(frozen=True)
class Engagement:
    """A mailing's engagement totals once its 48 hours are over."""

    opened: int
    clicked: int
    unsubs: int
    spam: int

    def seen(self, share: float) -> Engagement:
        """Return the totals seen when only a share of the activity has happened (rounded down)."""
        if share >= 1.0:
            return self
        return Engagement(*(math.floor(n * share) for n in (self.opened, self.clicked, self.unsubs, self.spam)))


def draw_engagement(rng: random.Random, profile: Profile, delivered: int) -> Engagement:
    """Draw the engagement of a finished mailing from its profile; every total is within delivered."""
    rate = min(_MAX_OPEN_RATE, profile.open_rate * lognormal_factor(rng, profile.open_spread))
    opened = binomial(rng, delivered, rate)
    # Clicks: about click_to_open per opener, plus a few from readers whose client blocked the tracking
    # pixel (a click without a recorded open). One click per clicking reader: clicked <= delivered.
    clicked = binomial(rng, opened, profile.click_to_open) + binomial(rng, delivered - opened, profile.blind_clicks)
    unsubs = binomial(rng, delivered, draw_span(rng, profile.unsubs))
    spam = binomial(rng, delivered, draw_span(rng, profile.spam))
    return Engagement(opened=opened, clicked=clicked, unsubs=unsubs, spam=spam)
