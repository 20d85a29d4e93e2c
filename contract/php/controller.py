"""What the SendStatistics controller concludes from a request: the sections `fields` selects, the path id.

Modelled on the sibling /mailer/sends controller (seed README, "Evidence"), as PHP 7 runs it:

    $f = $_GET['fields'] ?? null;
    $decoded = is_string($f) ? json_decode($f, true) : null;   // PHP 7: json_decode(array) warned, gave null
    if (empty($decoded)) { $decoded = ['id']; }                 // the document's default
    $valid = is_array($decoded) ? array_intersect($decoded, $allowed) : null;  // PHP 7: warned, gave null
    if (empty($valid)) → 400 / 20620

and `$id *= 1` for the path segment. No warning texts here: the mock words its own from these readings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from contract.php.json_decode import json_decode
from contract.php.json_encode import encode
from contract.php.values import INT_MAX, PhpArray, PhpValue, array_intersect, empty, multiply_by_one, short_json, strval

__all__ = ["FieldsKind", "FieldsReading", "PathId", "fields_value", "read_fields", "read_path_id"]

FieldsKind = Literal["absent", "not-a-string", "not-json", "php-empty", "names", "no-valid-name", "not-an-array"]
# How much of a dropped entry a reading keeps, as JSON text.
SHORT_JSON_CHARS = 60


@dataclass(frozen=True)
class FieldsReading:
    """What the controller makes of `fields`.

    kind: absent, not a string (`fields[]=`), not JSON (json_error says why), PHP-empty (the default),
    names (at least one valid), no valid name, not an array (a JSON string, number or true).
    decoded: json_decode's value (None unless the value was a string); was_object: the JSON was an object.
    names: the selected sections in the allowed order, None for the 400 / 20620 answer.
    dropped: the entries array_intersect dropped, each as short JSON text.
    """

    kind: FieldsKind
    names: tuple[str, ...] | None
    decoded: PhpValue = None
    json_error: str | None = None
    was_object: bool = False
    dropped: tuple[str, ...] = ()

    @property
    def invalid(self) -> bool:
        """Whether the controller answers 400 / 20620."""
        return self.names is None


@dataclass(frozen=True)
class PathId:
    """What `$id *= 1` makes of a path segment.

    number: PHP's `$segment * 1`; canonical: the segment is exactly the decimal PHP prints for that integer
    (no sign, spaces, leading zeros or suffix); digits: the segment is ASCII digits only, the form CakePHP's
    resource routes accept (`012` is, `12abc` and ` 12` are not); lookup: the positive integer id the backend
    would look up.
    """

    number: int | float
    canonical: bool
    lookup: int | None
    digits: bool = False


def read_fields(value: PhpValue, allowed: Sequence[str], default: Sequence[str]) -> FieldsReading:
    """Read `$_GET['fields'] ?? null` (bytes, a PhpArray, or None) as the controller does."""
    if value is None:
        return FieldsReading("absent", _select(default, allowed))
    if not isinstance(value, bytes | str):
        # `fields[]=...` makes an array: PHP 7's json_decode warned and returned null (PHP 8 throws).
        return FieldsReading("not-a-string", _select(default, allowed))
    raw = value.encode("utf-8", "surrogateescape") if isinstance(value, str) else value
    decoded, error = json_decode(raw)
    was_object = error is None and raw.lstrip(b" \t\n\r").startswith(b"{")
    if error is not None:
        return FieldsReading("not-json", _select(default, allowed), None, error)
    if empty(decoded):
        return FieldsReading("php-empty", _select(default, allowed), decoded, None, was_object)
    if not isinstance(decoded, PhpArray):
        # array_intersect on a string or number: PHP 7 warned and returned null, which is empty (PHP 8 throws).
        return FieldsReading("not-an-array", None, decoded)
    valid = array_intersect(decoded, allowed)
    dropped = tuple(short_json(entry, SHORT_JSON_CHARS) for key, entry in decoded.items() if key not in valid)
    names = _names(valid, allowed)
    kind: FieldsKind = "names" if names else "no-valid-name"
    return FieldsReading(kind, names or None, decoded, None, was_object, dropped)


def _select(default: Sequence[str], allowed: Sequence[str]) -> tuple[str, ...] | None:
    """The default's sections: array_intersect($default, $allowed), in the allowed order (None if none)."""
    return _names(array_intersect(PhpArray(enumerate(default)), allowed), allowed) or None


def _names(valid: PhpArray, allowed: Sequence[str]) -> tuple[str, ...]:
    """The allowed names present in array_intersect's result, in the allowed order (duplicates are harmless)."""
    present = {strval(entry) for entry in valid.values()}
    return tuple(name for name in allowed if name in present)


def fields_value(names: Sequence[str]) -> str:
    """Return `fields` as the vendor's clients send it: `json_encode` of the list (`["id","common"]`)."""
    return encode(list(names)).decode("utf-8")


def read_path_id(segment: str | bytes) -> PathId:
    """Read a path segment as `$id *= 1` does, and the mailing id the backend would then look up."""
    number = multiply_by_one(segment)
    text = segment.decode("utf-8", "surrogateescape") if isinstance(segment, bytes) else segment
    canonical = isinstance(number, int) and strval(number) == text
    lookup: int | None = None
    if isinstance(number, int) and number >= 1:
        lookup = number
    elif isinstance(number, float) and number.is_integer() and 1 <= number <= INT_MAX:
        lookup = int(number)  # "1e1" is 10.0: the database finds mailing 10
    digits = text.isascii() and text.isdigit()
    return PathId(number, canonical, lookup, digits)
