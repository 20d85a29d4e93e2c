"""PHP's values as the backend holds them (PHP 7): scalars, ordered arrays, empty(), string forms, `* 1`."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from itertools import islice
from typing import TypeAlias, TypeVar, overload

__all__ = [
    "INT_MAX",
    "INT_MIN",
    "ArrayKey",
    "PhpArray",
    "PhpValue",
    "array_intersect",
    "array_key",
    "empty",
    "multiply_by_one",
    "short_json",
    "strval",
]

# PHP integers are 64-bit (zend_long on the 64-bit builds the backend runs on).
INT_MIN, INT_MAX = -(2**63), 2**63 - 1
# A string key PHP stores as an integer (ZEND_HANDLE_NUMERIC_STR): canonical decimal, no "-0", no leading 0.
_INT_KEY = re.compile(r"-?[1-9][0-9]{0,18}|0")
# PHP's `(string)$float` uses the `precision` ini setting, 14 by default (`%.14G`).
FLOAT_PRECISION = 14
# The numeric prefix `$text * 1` reads (PHP 7's _is_numeric_string_ex): whitespace, sign, digits or a
# fraction (".5"), then an optional fraction and exponent. Group 1: sign, 2: integer digits, 3: fraction, 4: exponent.
_NUMERIC_PREFIX = re.compile(rb"[ \t\n\r\v\f]*([+-]?)(?:([0-9]+)(\.[0-9]*)?|(\.[0-9]+))([eE][+-]?[0-9]+)?")
# LONG_MIN_DIGITS: a 19-digit integer at or past this is a float (except exactly PHP_INT_MIN).
_LONG_MIN_DIGITS = b"9223372036854775808"

ArrayKey: TypeAlias = int | str
PhpValue: TypeAlias = "bool | int | float | str | bytes | PhpArray | None"
_T = TypeVar("_T")


def array_key(key: int | str | bytes) -> ArrayKey:
    """Return the key PHP stores: "7" is 7, "07", "-0" and "7 " stay strings, bytes read as UTF-8 text.

    Bytes that are not UTF-8 are kept losslessly as surrogate escapes (a query string's raw bytes).
    """
    if isinstance(key, bool):
        return int(key)
    if isinstance(key, int):
        return key
    if isinstance(key, bytes):
        key = key.decode("utf-8", "surrogateescape")
    elif not isinstance(key, str):
        raise TypeError(f"a PHP array key is an int or a string, not {type(key).__name__}")
    if _INT_KEY.fullmatch(key):
        number = int(key)
        if INT_MIN <= number <= INT_MAX:
            return number
    return key


class PhpArray(dict[ArrayKey, PhpValue]):
    """A PHP array: ordered, keys normalised as PHP stores them, `append` at PHP 7's next free index.

    Assigning an existing key keeps its position (PHP's hash update), as dict does.
    """

    __slots__ = ("_next",)

    def __init__(self, items: Mapping[ArrayKey, PhpValue] | Iterable[tuple[ArrayKey | bytes, PhpValue]] = ()) -> None:
        super().__init__()
        # nNextFreeElement: PHP 7 starts it at 0 and only ever raises it; PHP >= 8.0 appends after a negative key
        # at key + 1 (RFC "Arrays starting with a negative index"): -5 then [] is 0 in PHP 7, -4 in PHP 8.
        self._next = 0
        pairs = items.items() if isinstance(items, Mapping) else items
        for key, value in pairs:
            self[key] = value

    def __setitem__(self, key: ArrayKey | bytes, value: PhpValue) -> None:
        normal = array_key(key)
        super().__setitem__(normal, value)
        if isinstance(normal, int) and normal >= self._next:
            self._next = normal + 1 if normal < INT_MAX else INT_MAX

    def __getitem__(self, key: ArrayKey | bytes) -> PhpValue:
        return super().__getitem__(array_key(key))

    def __delitem__(self, key: ArrayKey | bytes) -> None:
        super().__delitem__(array_key(key))

    def __contains__(self, key: object) -> bool:
        if isinstance(key, int | str | bytes):
            return super().__contains__(array_key(key))
        return False

    @overload
    def get(self, key: ArrayKey | bytes, default: None = None, /) -> PhpValue: ...
    @overload
    def get(self, key: ArrayKey | bytes, default: PhpValue, /) -> PhpValue: ...
    @overload
    def get(self, key: ArrayKey | bytes, default: _T, /) -> PhpValue | _T: ...
    def get(self, key: ArrayKey | bytes, default: object = None, /) -> object:
        """Return the value at a key (normalised as PHP does), or default."""
        return super().get(array_key(key), default)

    @overload
    def pop(self, key: ArrayKey | bytes, /) -> PhpValue: ...
    @overload
    def pop(self, key: ArrayKey | bytes, default: PhpValue, /) -> PhpValue: ...
    @overload
    def pop(self, key: ArrayKey | bytes, default: _T, /) -> PhpValue | _T: ...
    def pop(self, key: ArrayKey | bytes, *default: object) -> object:
        """Remove a key (normalised as PHP does) and return its value, or default."""
        return super().pop(array_key(key), *default)

    # The overrides below take the wider key PHP takes (bytes too); dict's overloads also admit **kwargs.
    def setdefault(self, key: ArrayKey | bytes, default: PhpValue = None, /) -> PhpValue:  # type: ignore[override]
        """Return the value at a key, storing default there first when the key is new."""
        if key not in self:
            self[key] = default
        return self[key]

    def update(  # type: ignore[override]
        self, *others: Mapping[ArrayKey, PhpValue] | Iterable[tuple[ArrayKey | bytes, PhpValue]]
    ) -> None:
        """Assign every pair of the mappings or pairs given, in order, as `$a[$k] = $v` does."""
        for other in others:
            for key, value in other.items() if isinstance(other, Mapping) else other:
                self[key] = value

    def copy(self) -> PhpArray:
        """Return a shallow copy, next free index included (PHP copies arrays on write)."""
        duplicate = PhpArray()
        dict.update(duplicate, self)
        duplicate._next = self._next
        return duplicate

    def append(self, value: PhpValue) -> bool:
        """Do `$a[] = $value`; False when PHP refuses (the next index would pass PHP_INT_MAX and is taken)."""
        key = self._next
        if super().__contains__(key):
            return False
        self[key] = value
        return True

    def is_list(self) -> bool:
        """Whether the keys are exactly 0..n-1 in order (json_encode prints such an array as a JSON list)."""
        return all(key == index for index, key in enumerate(self))

    def __repr__(self) -> str:
        # Bounded, not recursive: a decoded array may be nested thousands deep.
        return f"PhpArray({short_json(self, 200)})"


def empty(value: PhpValue) -> bool:
    """PHP's empty(): null, false, 0, 0.0, -0.0, "", "0" and the empty array."""
    if value is None or value is False:
        return True
    if value is True:
        return False
    if isinstance(value, int | float):
        return value == 0
    if isinstance(value, str):
        return value in ("", "0")
    if isinstance(value, bytes):
        return value in (b"", b"0")
    return len(value) == 0


def strval(value: PhpValue) -> str:
    """PHP's string conversion, as array_intersect compares: true "1", false and null "", arrays "Array".

    Bytes are read as UTF-8 with surrogate escapes, so that two PHP strings compare as their bytes do.
    """
    if value is None or value is False:
        return ""
    if value is True:
        return "1"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "surrogateescape")
    # PHP 7 gives "Array" with a notice ("Array to string conversion"), PHP 8 with a warning.
    return "Array"


def _float_text(number: float, precision: int = FLOAT_PRECISION) -> str:
    """Print a float as PHP's `%.14G` (zend_gcvt): 0.1+0.2 is "0.3", 1e15 "1.0E+15", -0.0 "-0"."""
    if math.isnan(number):
        return "NAN"
    if math.isinf(number):
        return "INF" if number > 0 else "-INF"
    sign = "-" if math.copysign(1.0, number) < 0 else ""
    if number == 0:
        return sign + "0"
    # Both Python and zend_dtoa (mode 2) round the exact binary value to `precision` digits, ties to even.
    mantissa, exponent = f"{abs(number):.{precision - 1}e}".split("e")
    digits = mantissa.replace(".", "").rstrip("0")
    point = int(exponent) + 1  # zend_dtoa's decpt: where the decimal point falls in the digits
    if point < -3 or point > precision:
        power = point - 1
        return f"{sign}{digits[0]}.{digits[1:] or '0'}E{'-' if power < 0 else '+'}{abs(power)}"
    if point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    if len(digits) <= point:
        return sign + digits + "0" * (point - len(digits))
    return f"{sign}{digits[:point]}.{digits[point:]}"


def array_intersect(values: PhpArray, allowed: Iterable[PhpValue]) -> PhpArray:
    """PHP's array_intersect($values, $allowed): entries whose string form is allowed, keys and order kept."""
    wanted = {strval(item) for item in allowed}
    return PhpArray((key, item) for key, item in values.items() if strval(item) in wanted)


def multiply_by_one(text: str | bytes) -> int | float:
    """PHP 7's `$text * 1`: the numeric prefix as int or float ("12abc" 12, "1e1" 10.0, " 12" 12), else 0.

    PHP 7 warns ("A non-numeric value encountered") and gives 0 where there is no number; PHP 8 throws a
    TypeError. Integers past 64 bits become floats, read without any limit on the number of digits.
    """
    data = text.encode("utf-8", "surrogateescape") if isinstance(text, str) else text
    match = _NUMERIC_PREFIX.match(data)
    if match is None:
        return 0
    sign, digits, fraction, bare_fraction, exponent = match.groups()
    number = match.group()[match.start(1) - match.start() :]
    if fraction is not None or bare_fraction is not None or exponent is not None:
        return float(number)  # zend_strtod, correctly rounded like Python's float(); "1e999" is INF
    significant = digits.lstrip(b"0")
    if len(significant) >= 20:
        return float(number)
    if len(significant) == 19:
        # PHP compares the digits AND whatever follows them up to a NUL byte (strcmp) with LONG_MIN_DIGITS,
        # so "-9223372036854775808" is PHP_INT_MIN but "-9223372036854775808 " a float, in PHP 7 and 8 alike.
        rest = data[match.start(2) + len(digits) - 19 :].split(b"\0", 1)[0]
        if not (rest < _LONG_MIN_DIGITS or (rest == _LONG_MIN_DIGITS and sign == b"-")):
            return float(number)
    return int(number)


def short_json(value: PhpValue, limit: int = 60) -> str:
    """Render a value as ASCII JSON text, cut after `limit` characters with "..."; any size or depth, bounded work."""
    out: list[str] = []
    size = 0
    todo: list[PhpValue | tuple[str]] = [value]
    while todo and size <= limit:
        item = todo.pop()
        if isinstance(item, tuple):
            text = item[0]
        elif isinstance(item, PhpArray):
            # Only the first `limit` entries can show: look at no more of a big array than that.
            shown = list(islice(item.items(), limit + 1))
            is_list = all(key == index for index, (key, _) in enumerate(shown))
            text = "[" if is_list else "{"
            pending: list[PhpValue | tuple[str]] = []
            for index, (key, entry) in enumerate(shown):
                if index:
                    pending.append((",",))
                if not is_list:
                    pending.append((_scalar_json(strval(key), limit) + ":",))
                pending.append(entry)
            todo.append(("]" if is_list else "}",))
            todo.extend(reversed(pending))
        else:
            text = _scalar_json(item, limit)
        out.append(text)
        size += len(text)
    rendered = "".join(out)
    return rendered if size <= limit and not todo else rendered[:limit] + "..."


def _scalar_json(value: PhpValue, limit: int) -> str:
    """A scalar as JSON text; a string cut to what can show."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "surrogateescape")
    if isinstance(value, str):
        value = value[: limit + 1]
    return json.dumps(value)
