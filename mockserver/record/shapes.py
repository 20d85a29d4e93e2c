"""How the target encodes its answers: which json_encode flags and which map sections it sends as objects.

Both are read from the answers themselves: a map section that arrives as `{}` (or `{"0": 7}`) where PHP's
default prints `[]` (or `[7]`) is sent as an object; the flags are those for which PHP's json_encode of the
decoded answer gives back the very bytes the target sent. An answer no flags reproduce (pretty-printed, keys
in another order, numbers written otherwise) is counted: the mock serves its data, not its bytes.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
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
    # Section -> "always" or "when-empty", as a scenario's json_objects says it.
    objects: Mapping[str, str] = field(default_factory=dict)
    # Targets (path and query) whose bytes no flag set reproduces, or whose maps go against the shape chosen.
    unmatched: tuple[str, ...] = ()

    @property
    def flag_names(self) -> list[str]:
        """The flags by name, as a scenario's json_flags lists them."""
        return [flag.name or "" for flag in (_U, _S, _L) if flag & self.flags]


def decode(body: bytes) -> Any:
    """The JSON of a body (ValueError when it is not JSON)."""
    return json.loads(body.decode("utf-8"))


def _form(value: Any) -> str | None:
    """How a map section came where PHP's default would print an array: empty or keyed 0..n-1, as list or object."""
    if isinstance(value, list):
        return "empty-array" if not value else "keyed-array"
    if isinstance(value, dict) and list(value) == [str(index) for index in range(len(value))]:
        return "empty-object" if not value else "keyed-object"
    return None  # a map PHP prints as an object anyway: it tells nothing


def _shape(forms: Counter[str]) -> str | None:
    """The shape of a section from its forms: always an object, an object when empty, or PHP's arrays (None)."""
    if forms["keyed-object"] > forms["keyed-array"]:
        return "always"
    if forms["empty-object"] > forms["empty-array"]:
        return "when-empty"
    return None


def _served(value: Any, shape: str | None) -> str | None:
    """The form the mock serves a section in, under a shape."""
    form = _form(value)
    if form is None:
        return None
    empty = form.startswith("empty")
    as_object = shape == "always" or (shape == "when-empty" and empty)
    return ("empty-" if empty else "keyed-") + ("object" if as_object else "array")


def shaped(body: Any, objects: Mapping[str, str]) -> Any:
    """A decoded view body with its map sections as the encoder must see them: PhpObject where sent as objects."""
    if not isinstance(body, dict):
        return body
    return {
        name: PhpObject(value) if isinstance(value, dict) and name in objects else value for name, value in body.items()
    }


def read_encoding(answers: Sequence[tuple[str, bytes, bool]]) -> Encoding:
    """Read the encoding from (target, body, is_view) of every 200 answer."""
    forms: dict[str, Counter[str]] = {name: Counter() for name in MAP_SECTIONS}
    decoded: list[tuple[str, bytes, Any, bool]] = []
    for target, body, is_view in answers:
        try:
            value = decode(body)
        except ValueError:
            continue
        decoded.append((target, body, value, is_view))
        if is_view and isinstance(value, dict):
            for name in MAP_SECTIONS:
                form = _form(value.get(name))
                if form is not None:
                    forms[name][form] += 1
    objects = {name: shape for name in MAP_SECTIONS if (shape := _shape(forms[name])) is not None}
    fits: Counter[PhpJsonFlag] = Counter()
    reproduced: dict[str, set[PhpJsonFlag]] = {}
    against: set[str] = set()
    for target, body, value, is_view in decoded:
        ready = shaped(value, objects) if is_view else value
        reproduced[target] = {flags for flags in FLAG_CHOICES if _encodes(ready, flags) == body}
        fits.update(reproduced[target])
        if is_view and isinstance(value, dict):
            for name in MAP_SECTIONS:
                if _served(value.get(name), objects.get(name)) != _form(value.get(name)):
                    against.add(target)
    best = max(FLAG_CHOICES, key=lambda flags: (fits[flags], -FLAG_CHOICES.index(flags)))
    unmatched = tuple(target for target, flags in reproduced.items() if best not in flags or target in against)
    return Encoding(best, objects, unmatched)


def _encodes(value: Any, flags: PhpJsonFlag) -> bytes | None:
    try:
        return encode(value, flags)
    except PhpJsonError:
        return None
