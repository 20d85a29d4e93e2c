"""Subject lines of the letters (data/titles.yaml with Faker's ru_RU names and cities), cheap to draw."""

from __future__ import annotations

import bisect
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from mockserver.errors import ConfigError
from mockserver.model.domain.datafile import integer, mapping, number, strings
from mockserver.model.domain.draws import WORD_SPAN, cumulative, first_digest_words, word_source

_FORMATTER = string.Formatter()


@dataclass(frozen=True)
class Template:
    """A subject-line template and the fields it needs.

    slots: per field, in order, its name, the list it draws from, that list's words, and whether it is a
    second pick ({goods2}) that must differ from the first ({goods}).
    """

    text: str
    fields: tuple[str, ...]
    slots: tuple[tuple[str, str, tuple[str, ...], bool], ...]


@dataclass(frozen=True)
class TitleData:
    """Themes with their templates, the words that fill them, emoji and second parts."""

    themes: tuple[str, ...]
    theme_weights: tuple[float, ...]
    templates: Mapping[str, tuple[Template, ...]]
    words: Mapping[str, tuple[str, ...]]
    emoji: tuple[str, ...]
    emoji_chance: float
    tails: tuple[Template, ...]
    tail_chance: float
    max_length: int


def parse_titles(document: Mapping[str, Any], names: Mapping[str, Any]) -> TitleData:
    """Build the title data from the parsed data/titles.yaml and data/names.yaml (Faker's ru_RU names, cities)."""
    where = "data/titles.yaml"
    words = {
        key: strings(items, f"{where}: lists.{key}") for key, items in mapping(document.get("lists"), where).items()
    }
    male = strings(names.get("first_names_male"), "data/names.yaml: first_names_male")
    words["name"] = male + strings(names.get("first_names_female"), "data/names.yaml: first_names_female")
    words["name_m"] = male  # beside a surname, which is male
    words["surname"] = strings(names.get("last_names_male"), "data/names.yaml: last_names_male")
    words["city"] = tuple(c for c in strings(names.get("cities"), "data/names.yaml: cities") if "(" not in c)
    themes = mapping(document.get("themes"), f"{where}: themes")
    templates: dict[str, tuple[Template, ...]] = {}
    theme_weights = []
    for theme, raw in themes.items():
        body = mapping(raw, f"{where}: themes.{theme}")
        theme_weights.append(number(body.get("weight"), f"{where}: themes.{theme}.weight", low=1e-9))
        templates[theme] = tuple(
            _template(t, words, f"{where}: themes.{theme}") for t in strings(body.get("templates"), where)
        )
    return TitleData(
        themes=tuple(themes),
        theme_weights=cumulative(theme_weights),
        templates=templates,
        words=words,
        emoji=strings(document.get("emoji"), f"{where}: emoji"),
        emoji_chance=number(document.get("emoji_chance"), f"{where}: emoji_chance", high=1.0),
        tails=tuple(_template(t, words, f"{where}: tails") for t in strings(document.get("tails"), where)),
        tail_chance=number(document.get("tail_chance"), f"{where}: tail_chance", high=1.0),
        max_length=integer(document.get("max_length"), f"{where}: max_length", low=20),
    )


def _template(text: str, words: Mapping[str, tuple[str, ...]], where: str) -> Template:
    fields = tuple(dict.fromkeys(name for _, name, _, _ in _FORMATTER.parse(text) if name is not None))
    for name in fields:
        if _base(name) not in words:
            raise ConfigError(f"{where}: template {text!r} uses {{{name}}}, which no list fills")
    slots = tuple((name, _base(name), words[_base(name)], name != _base(name)) for name in fields)
    return Template(text=text, fields=fields, slots=slots)


def _base(field: str) -> str:
    """Return the list a field draws from: {goods2} is a second, different pick from goods."""
    return field.removesuffix("2")


def _fill(template: Template, word: Callable[[], int]) -> str:
    """Fill a template's fields with words picked by the draws' next words (about 100,000 per index: kept lean)."""
    values: dict[str, str] = {}
    for name, base, items, second in template.slots:
        value = items[word() % len(items)]  # HashDraws.pick
        if second and value == values.get(base) and len(items) > 1:
            value = items[(items.index(value) + 1) % len(items)]
        values[name] = value
    return template.text.format_map(values)


def draw_title(data: TitleData, seed: int, mailing_id: int) -> tuple[str, str]:
    """Return (theme, subject line) of a mailing: a few hash draws, no random stream, no statistics."""
    key = f"{seed}:{mailing_id}:title"
    try:
        # A title takes 5 to 12 words: the first digest's 16 almost always suffice.
        return _drawn_title(data, first_digest_words(key))
    except StopIteration:
        return _drawn_title(data, word_source(key))


def _drawn_title(data: TitleData, word: Callable[[], int]) -> tuple[str, str]:
    """Draw a title from the words of its key (HashDraws' weighted, unit and pick written out on them)."""
    weights = data.theme_weights
    theme = data.themes[bisect.bisect_right(weights, word() / WORD_SPAN * weights[-1])]
    templates = data.templates[theme]
    title = _fill(templates[word() % len(templates)], word)
    if word() / WORD_SPAN < data.tail_chance:
        tails = data.tails
        longer = f"{title} | {_fill(tails[word() % len(tails)], word)}"
        if len(longer) + 3 <= data.max_length:  # room for an emoji and its space
            title = longer
    if word() / WORD_SPAN < data.emoji_chance:
        emoji = data.emoji[word() % len(data.emoji)]
        title = f"{emoji} {title}" if word() % 2 else f"{title} {emoji}"
    return theme, title[:1].upper() + title[1:]
