"""Tests of mockserver.model.domain.audience: recipients split over public, company and misspelt domains."""

from __future__ import annotations

import random
import re

import pytest

from mockserver.model.domain.audience import CORPORATE, TYPO, corporate_domain, split_audience
from mockserver.model.domain.data import ModelData

DOMAIN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*\.(ru|com|su)$")


@pytest.mark.parametrize("count", [0, 1, 7, 5000, 400_000])
def test_split_is_exact(data: ModelData, count: int) -> None:
    """The recipients of every domain add up to the mailing's count, none is zero."""
    found = split_audience(random.Random(count), data.audience, 1, count, 0.01)
    assert sum(r.count for r in found) == count
    assert all(r.count > 0 for r in found)
    assert len({r.domain for r in found}) == len(found)


def test_company_domains_look_real(data: ModelData) -> None:
    """Company domains are lower-case Latin names under .ru, .com or .su."""
    names = [corporate_domain(data.audience, 1, index) for index in range(data.audience.pool)]
    assert all(DOMAIN.match(name) for name in names), [n for n in names if not DOMAIN.match(n)]
    assert len(set(names)) > data.audience.pool * 0.9


def test_company_domains_recur_in_an_account(data: ModelData) -> None:
    """Two mailings of one account share company domains (they come from one pool)."""
    first, second = (
        {r.domain for r in split_audience(random.Random(i), data.audience, 1, 50_000, 0.0) if r.kind == CORPORATE}
        for i in (1, 2)
    )
    assert first & second


def test_typos_go_to_misspelt_domains(data: ModelData) -> None:
    """Recipients on misspelt domains come from the typo list."""
    found = split_audience(random.Random(2), data.audience, 1, 100_000, 0.01)
    typos = [r for r in found if r.kind == TYPO]
    assert typos
    assert all(r.domain in data.audience.typo_domains for r in typos)


def test_surnames_are_transliterated(data: ModelData) -> None:
    """Faker's surnames come out in Latin letters usable in domain names."""
    names = data.audience.words["surname"]
    assert "ivanov" in names
    assert all(re.fullmatch("[a-z-]+", name) for name in names)
