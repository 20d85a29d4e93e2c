"""How the target encodes its answers: which json_encode flags and which map sections it sends as objects.

Both are read from the answers themselves: a map section that arrives as `{}` (or `{"0": 7}`) where PHP's
default prints `[]` (or `[7]`) is sent as an object; the flags are those for which PHP's json_encode of the
decoded answer gives back the very bytes the target sent. An answer no flags reproduce (pretty-printed, keys
in another order, numbers written otherwise) is counted: the mock serves its data, not its bytes.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from contract.php import PhpJsonError, PhpJsonFlag, PhpObject, encode

__all__ = ["FLAG_CHOICES", "MAP_SECTIONS", "Encoding", "decode", "read_encoding", "shaped"]

MAP_SECTIONS = ("open_time", "click_statistic", "domain_statistic", "errors")
_U, _S, _L = (
    PhpJsonFlag.JSON_UNESCAPED_UNICODE,
    PhpJsonFlag.JSON_UNESCAPED_SLASHES,
    PhpJsonFlag.JSON_UNESCAPED_LINE_TERMINATORS,
)
# The flag sets tried, fewest first (JSON_UNESCAPED_LINE_TERMINATORS means something with UNICODE only).
FLAG_CHOICES = (PhpJsonFlag.NONE, _S, _U, _U | _S, _U | _L, _U | _S | _L)


@dataclass(frozen=True)
class Encoding:
    """What the answers showed: the flags, the sections sent as objects, and what could not be reproduced."""

    flags: PhpJsonFlag = PhpJsonFlag.NONE
    objects: frozenset[str] = frozenset()
    # Targets (path and query) whose bytes no flag set reproduces.
    unmatched: tuple[str, ...] = ()
    # Sections sent as objects in some answers and as PHP arrays in others.
    mixed: tuple[str, ...] = field(default=())

    @property
    def flag_names(self) -> list[str]:
        """The flags by name, as a scenario's json_flags lists them."""
        return [flag.name or "" for flag in (_U, _S, _L) if flag & self.flags]


def decode(body: bytes) -> Any:
    """The JSON of a body (ValueError when it is not JSON)."""
    return json.loads(body.decode("utf-8"))


def _as_php_array(value: dict[str, Any]) -> bool:
    """Whether PHP's default would print this map as a JSON array: empty, or keyed 0..n-1 in order."""
    return list(value) == [str(index) for index in range(len(value))]


def shaped(body: Any, objects: Iterable[str] = ()) -> Any:
    """A decoded view body with its map sections as the encoder must see them: PhpObject where sent as objects."""
    if not isinstance(body, dict):
        return body
    wanted = frozenset(objects)
    return {
        name: PhpObject(value) if name in wanted and isinstance(value, dict) else value for name, value in body.items()
    }


def read_encoding(answers: Sequence[tuple[str, bytes, bool]]) -> Encoding:
    """Read the encoding from (target, body, is_view) of every 200 answer."""
    evidence: dict[str, Counter[str]] = {name: Counter() for name in MAP_SECTIONS}
    decoded: list[tuple[str, bytes, Any, bool]] = []
    for target, body, is_view in answers:
        try:
            value = decode(body)
        except ValueError:
            continue
        decoded.append((target, body, value, is_view))
        if is_view and isinstance(value, dict):
            for name in MAP_SECTIONS:
                section = value.get(name)
                if isinstance(section, list):
                    evidence[name]["array"] += 1
                elif isinstance(section, dict) and _as_php_array(section):
                    evidence[name]["object"] += 1
    objects = frozenset(name for name in MAP_SECTIONS if evidence[name]["object"] > evidence[name]["array"])
    mixed = tuple(name for name in MAP_SECTIONS if evidence[name]["object"] and evidence[name]["array"])
    fits: Counter[PhpJsonFlag] = Counter()
    reproduced: dict[str, set[PhpJsonFlag]] = {}
    against: set[str] = set()
    for target, body, value, is_view in decoded:
        ready = shaped(value, objects) if is_view else value
        reproduced[target] = {flags for flags in FLAG_CHOICES if _encodes(ready, flags) == body}
        fits.update(reproduced[target])
        if is_view and _against(value, objects):
            against.add(target)
    best = max(FLAG_CHOICES, key=lambda flags: (fits[flags], -FLAG_CHOICES.index(flags)))
    unmatched = tuple(target for target, flags in reproduced.items() if best not in flags or target in against)
    return Encoding(best, objects, unmatched, mixed)


def _against(body: Any, objects: frozenset[str]) -> bool:
    """Whether a view sends a section in the other shape than the one chosen for all (the mock sends one shape)."""
    if not isinstance(body, dict):
        return False
    for name in MAP_SECTIONS:
        section = body.get(name)
        if name in objects and isinstance(section, list):
            return True
        if name not in objects and isinstance(section, dict) and _as_php_array(section):
            return True
    return False


def _encodes(value: Any, flags: PhpJsonFlag) -> bytes | None:
    try:
        return encode(value, flags)
    except PhpJsonError:
        return None
