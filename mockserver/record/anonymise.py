"""Anonymising a recording, deterministically: titles generated, links on example hosts, company domains replaced.

Nothing of an original string goes into its replacement beyond its shape: a title's script and length, a
link's scheme, number of path segments, file extensions and query parameter names. Replacements are numbered
in the order the recording meets the originals (mailings by id, keys in the target's order), and a title
draws from its mailing's id alone, so the same answers give the same file and no original can be looked up.
"""

from __future__ import annotations

import functools
import posixpath
import unicodedata
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from faker.providers.person.ru_RU import translit

from mockserver.model.domain.data import ModelData
from mockserver.model.domain.draws import HashDraws
from mockserver.model.domain.titles import TitleData, draw_title

__all__ = ["EXAMPLE_DOMAIN", "Anonymiser", "pseudo_title"]

EXAMPLE_DOMAIN = "example"  # RFC 2606: a top-level domain that never resolves
# File extensions a link's last segment keeps (they say what the link is, not whose).
KEPT_EXTENSIONS = frozenset({".html", ".htm", ".php", ".aspx", ".jsp", ".pdf", ".jpg", ".jpeg", ".png", ".gif", ".svg"})
# A title is generated when this share of its letters is of one script (Cyrillic, or Latin by transliteration).
SCRIPT_SHARE = 0.6
_DRAWS = 16
_SEEDS = 1_000_003  # seeds of the title draws: far from a scenario's own, so no title repeats the mock's


class Anonymiser:
    """Replaces titles, link URLs and company domains; one instance per recording, so equal originals match."""

    def __init__(self, data: ModelData) -> None:
        self.titles = data.titles
        self.public = frozenset([domain.name for domain in data.audience.public] + list(data.audience.typo_domains))
        self._hosts: dict[str, str] = {}
        self._segments: dict[str, str] = {}
        self._values: dict[str, str] = {}
        self._opaque: dict[str, str] = {}
        self._domains: dict[str, str] = {}

    @property
    def replaced_domains(self) -> int:
        """How many company domains were replaced."""
        return len(self._domains)

    @property
    def hosts(self) -> int:
        """How many link hosts were moved."""
        return len(self._hosts)

    def title(self, mailing_id: int, original: str) -> str:
        """A generated subject line of the original's script and a similar length."""
        return pseudo_title(self.titles, mailing_id, original)

    def domain(self, name: str) -> str:
        """A public mail provider's domain as it is; any other domain as companyN.example."""
        if name.lower() in self.public:
            return name
        return _number(self._domains, name.lower(), f"company{{}}.{EXAMPLE_DOMAIN}")

    def link(self, url: str) -> str:
        """The URL on an example host with its scheme, path shape and query names kept; other text as linkN."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc or any(char.isspace() for char in url):
            return _number(self._opaque, url, "link-{}")
        host = parts.hostname or parts.netloc
        new_host = self._hosts.get(host)
        if new_host is None:
            new_host = self._hosts[host] = (
                f"site{len(self._hosts) + 1}.example.com" if self._hosts else "www.example.com"
            )
        segments = [self._segment(segment) for segment in parts.path.split("/")]
        query = [
            (name, _number(self._values, value, "v{}") if value else "")
            for name, value in parse_qsl(parts.query, keep_blank_values=True)
        ]
        fragment = "f" if parts.fragment else ""
        return urlunsplit((parts.scheme, new_host, "/".join(segments), urlencode(query), fragment))

    def _segment(self, segment: str) -> str:
        if not segment:
            return segment
        extension = posixpath.splitext(segment)[1].lower()
        kept = extension if extension in KEPT_EXTENSIONS else ""
        return _number(self._segments, segment, "p{}") + kept

    def clicks(self, clicks: Mapping[str, Any]) -> dict[str, Any]:
        """A click_statistic map with its links anonymised, each still a key of its own."""
        result: dict[str, Any] = {}
        for url, value in clicks.items():
            key = base = self.link(url)
            count = 1
            while key in result:  # two originals that came out alike (`HTTP://` and `http://`) stay apart
                count += 1
                key = f"{base}{'&' if '?' in base else '?'}n={count}"
            result[key] = value
        return result

    def domain_map(self, domains: Mapping[str, Any]) -> dict[str, Any]:
        """A domain_statistic map with company domains replaced."""
        return {self.domain(name): counts for name, counts in domains.items()}


def _number(known: dict[str, str], original: str, pattern: str) -> str:
    """The replacement of an original: the next number in the pattern the first time it is met."""
    found = known.get(original)
    if found is None:
        found = known[original] = pattern.format(len(known) + 1)
    return found


def pseudo_title(data: TitleData, mailing_id: int, original: str) -> str:
    """A title for the mailing of the original's script and about its length (an empty or blank one stays)."""
    if not original.strip():
        return original
    letters = [char for char in original if char.isalpha()]
    scripts = [_script(char) for char in letters]
    if letters and scripts.count("CYRILLIC") >= SCRIPT_SHARE * len(letters):
        return _generated(data, mailing_id, original, latin=False)
    if letters and scripts.count("LATIN") >= SCRIPT_SHARE * len(letters) and "CYRILLIC" not in scripts:
        return _generated(data, mailing_id, original, latin=True)
    return _substituted(mailing_id, original)


def _generated(data: TitleData, mailing_id: int, original: str, *, latin: bool) -> str:
    """Generated titles of the model, the closest in length, joined or cut to about the original's length.

    A draw that happens to equal the original (a recording of the mock's own titles) is never taken.
    """
    length = len(original)

    def draw(number: int) -> str:
        title = draw_title(data, _SEEDS + number, mailing_id)[1]
        return "".join(_latin(char) for char in title) if latin else title

    drawn = [text for text in (draw(number) for number in range(_DRAWS)) if text != original]
    title = min(drawn, key=lambda text: (abs(len(text) - length), drawn.index(text)))
    number = _DRAWS
    while len(title) < 0.8 * length:
        title = f"{title} | {draw(number)}"
        number += 1
    if len(title) > 1.2 * length:
        cut = title[:length].rsplit(" ", 1)[0].rstrip(" |")
        title = cut or title[:length]
    return title if title != original else f"{title} | {draw(number)}"


def _substituted(mailing_id: int, original: str) -> str:
    """Each letter replaced by a letter of its own script, each digit by a digit; the rest (spaces, emoji) kept."""
    draws = HashDraws("record-title", mailing_id)
    out = []
    for char in original:
        if char.isalpha():
            out.append(draws.pick(_letters_like(char)))
        elif char.isdigit():
            out.append(str(draws.below(10)))
        else:
            out.append(char)
    return "".join(out)


def _latin(char: str) -> str:
    """A Cyrillic letter in Latin letters (Faker's ru_RU table), any other character as it is."""
    if _script(char) != "CYRILLIC":
        return char
    try:
        return str(translit(char))  # one letter at a time: the table's replace loop trips over Latin letters
    except KeyError:
        return char


def _script(char: str) -> str:
    """The first word of a character's Unicode name: its script for letters (CYRILLIC, LATIN, ARABIC, ...)."""
    return unicodedata.name(char, "UNKNOWN").split(" ", 1)[0]


@functools.lru_cache(maxsize=256)
def _letters_like(char: str) -> tuple[str, ...]:
    """The letters of the character's 128-code-point block and script (the character itself at least)."""
    start = ord(char) & ~0x7F
    script = _script(char)
    found = tuple(
        chr(code) for code in range(start, start + 0x80) if chr(code).isalpha() and _script(chr(code)) == script
    )
    return found or (char,)
