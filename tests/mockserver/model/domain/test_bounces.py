"""Tests of mockserver.model.domain.bounces: delivered and bounced letters per domain."""

from __future__ import annotations

import random

import pytest

from mockserver.model.domain.audience import TYPO, Recipients
from mockserver.model.domain.bounces import Rates, outcomes
from mockserver.model.domain.data import ModelData

RECIPIENTS = [
    Recipients("mail.ru", "mailru", 40_000),
    Recipients("gmail.com", "gmail", 20_000),
    Recipients("stroy-msk.ru", "corporate", 10_000),
    Recipients("mail.ri", TYPO, 30),
]


def test_every_letter_is_delivered_or_bounced(data: ModelData) -> None:
    """On each domain delivered and bounced letters add up to its recipients."""
    found = outcomes(random.Random(1), RECIPIENTS, Rates(0.05, 0.02, 0.01), data.kind_factors)
    assert [o.delivered + o.bounce for o in found] == [r.count for r in RECIPIENTS]


def test_misspelt_domains_bounce_hard(data: ModelData) -> None:
    """Every letter to a misspelt domain is a hard bounce."""
    typo = outcomes(random.Random(1), RECIPIENTS, Rates(0.01, 0.01, 0.0), data.kind_factors)[-1]
    assert (typo.delivered, typo.hard, typo.bounce) == (0, 30, 30)


@pytest.mark.parametrize("kind", ["hard", "soft", "block"])
def test_overall_rates_are_the_drawn_ones(data: ModelData, kind: str) -> None:
    """Whatever the kind factors, a mailing's overall rate of each bounce kind is about the drawn one."""
    rates = Rates(0.02, 0.03, 0.01)
    found = outcomes(random.Random(2), RECIPIENTS, rates, data.kind_factors)
    total = sum(r.count for r in RECIPIENTS)
    assert sum(getattr(o, kind) for o in found) / total == pytest.approx(getattr(rates, kind), rel=0.1)


def test_company_domains_fail_softly_more(data: ModelData) -> None:
    """Company domains have a higher soft failure rate than gmail.com."""
    found = {o.domain: o for o in outcomes(random.Random(3), RECIPIENTS, Rates(0.01, 0.03, 0.0), data.kind_factors)}
    assert found["stroy-msk.ru"].soft / 10_000 > 2 * found["gmail.com"].soft / 20_000
