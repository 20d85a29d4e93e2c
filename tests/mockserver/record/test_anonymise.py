"""Tests of mockserver/record/anonymise.py: titles, links and domains replaced by their shape only."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

import pytest

from mockserver.model.domain.data import ModelData
from mockserver.record.anonymise import Anonymiser


@pytest.fixture
def anonymiser(model_data: ModelData) -> Anonymiser:
    """A fresh anonymiser over the model's data."""
    return Anonymiser(model_data)


def scripts(text: str) -> set[str]:
    """The scripts of a text's letters."""
    return {unicodedata.name(char).split(" ")[0] for char in text if char.isalpha()}


@pytest.mark.parametrize(
    "title",
    ["Скидки до 50% на зимнюю обувь только до пятницы", "Summer sale: everything must go", "مرحبا بالعالم شالوم"],
)
def test_a_title_keeps_its_script_and_about_its_length(anonymiser: Anonymiser, title: str) -> None:
    """A generated title is of the original's script, within a fifth of its length, and not the original."""
    new = anonymiser.title(7, title)
    assert new != title
    assert scripts(new) == scripts(title)
    assert 0.8 * len(title) <= len(new) <= 1.2 * len(title)


def test_titles_are_deterministic_and_blank_ones_stay(anonymiser: Anonymiser, model_data: ModelData) -> None:
    """The same mailing gets the same title in another run; an empty title stays empty."""
    assert anonymiser.title(3, "Привет, мир") == Anonymiser(model_data).title(3, "Привет, мир")
    assert anonymiser.title(3, "") == ""


def test_links_move_to_example_hosts_keeping_their_shape(anonymiser: Anonymiser) -> None:
    """Scheme, number of segments, extension and parameter names stay; host, segments and values change."""
    new = anonymiser.link("https://shop.acme.ru/catalog/shoes/air-max.html?utm_source=estismail&uid=42#top")
    parts = urlsplit(new)
    assert parts.scheme == "https"
    assert parts.hostname is not None
    assert parts.hostname.endswith("example.com")
    assert parts.path.count("/") == 3
    assert parts.path.endswith(".html")
    assert "acme" not in new
    assert "42" not in parts.query
    assert "utm_source=" in parts.query


def test_clicks_keep_their_count_and_values(anonymiser: Anonymiser) -> None:
    """Links that come out alike stay apart: the map keeps its size and its counts."""
    clicks = {"HTTP://a.ru/x": 1, "http://a.ru/x": 2, "https://b.ru/": 3}
    new = anonymiser.clicks(clicks)
    assert sorted(new.values()) == [1, 2, 3]
    assert len(new) == 3


def test_company_domains_are_replaced_and_public_ones_kept(anonymiser: Anonymiser) -> None:
    """Public providers (and their typos) stay; a company domain becomes the same companyN.example everywhere."""
    assert anonymiser.domain("mail.ru") == "mail.ru"
    assert anonymiser.domain("gmial.com") == "gmial.com"
    first = anonymiser.domain("acme.ru")
    assert first == "company1.example"
    assert anonymiser.domain("other.ru") == "company2.example"
    assert anonymiser.domain("acme.ru") == first
