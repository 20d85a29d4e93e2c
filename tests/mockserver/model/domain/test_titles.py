"""Tests of mockserver.model.domain.titles: Russian subject lines, drawn cheaply from (seed, id)."""

from __future__ import annotations

import re

import pytest

from mockserver.errors import ConfigError
from mockserver.model.domain.data import ModelData
from mockserver.model.domain.datafile import read_data
from mockserver.model.domain.draws import HashDraws
from mockserver.model.domain.titles import _drawn_title, draw_title, parse_titles

EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf]")


@pytest.fixture(scope="module")
def titles(data: ModelData) -> list[tuple[str, str]]:
    """Two thousand drawn (theme, title) pairs."""
    return [draw_title(data.titles, 1, mailing_id) for mailing_id in range(2000)]


def test_titles_are_russian_and_bounded(data: ModelData, titles: list[tuple[str, str]]) -> None:
    """Every title has Cyrillic text, no unfilled field, and at most the maximum length."""
    for _, title in titles:
        assert re.search("[а-яА-Я]", title)
        assert "{" not in title
        assert len(title) <= data.titles.max_length


def test_some_titles_have_emoji_some_are_long(titles: list[tuple[str, str]]) -> None:
    """A share of titles carry an emoji, and some run past 100 characters."""
    with_emoji = sum(1 for _, title in titles if EMOJI.search(title))
    assert 0.2 < with_emoji / len(titles) < 0.4
    assert any(len(title) > 100 for _, title in titles)


def test_every_theme_occurs(data: ModelData, titles: list[tuple[str, str]]) -> None:
    """Sales, digests, webinars, order news, holidays and news all occur."""
    assert {theme for theme, _ in titles} == set(data.titles.themes)


def test_title_depends_on_seed_and_id(data: ModelData) -> None:
    """The same seed and id give the same title; other seeds give others."""
    assert draw_title(data.titles, 5, 9) == draw_title(data.titles, 5, 9)
    assert len({draw_title(data.titles, seed, 9)[1] for seed in range(30)}) > 20


def test_unknown_field_is_rejected() -> None:
    """A template naming a field no list fills is a ConfigError."""
    document = read_data("titles.yaml")
    document["themes"]["sale"]["templates"].append("Скидка на {unicorns}")
    with pytest.raises(ConfigError, match="unicorns"):
        parse_titles(document, read_data("names.yaml"))


def test_a_title_past_the_first_digest_draws_on(data: ModelData) -> None:
    """A title that needs more than the first digest's 16 words goes on to the next digest, as HashDraws does."""
    document = read_data("titles.yaml")
    many = " ".join(f"{{{name}}}" for name in ("goods", "percent", "price", "days", "n", "order", "points", "hour"))
    document["themes"] = {"long": {"weight": 1, "templates": [f"{many} {many.replace('}', '2}')}"]}}
    document["max_length"] = 1000
    long_titles = parse_titles(document, read_data("names.yaml"))
    for mailing_id in range(20):
        drawn = HashDraws(3, mailing_id, "title")
        assert draw_title(long_titles, 3, mailing_id) == _drawn_title(long_titles, drawn.word)
        assert drawn._used + 16 * drawn._block > 16  # the case meant: past the first digest


def test_titles_are_the_hash_draws_ones(data: ModelData) -> None:
    """draw_title gives the title of HashDraws' words for (seed, id, "title")."""
    for mailing_id in range(0, 3000, 7):
        assert draw_title(data.titles, 11, mailing_id) == _drawn_title(
            data.titles, HashDraws(11, mailing_id, "title").word
        )
