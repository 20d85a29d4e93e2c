"""Emulates PHP's `json_encode`: the one serializer of every API body the mock sends.

The real backend is PHP (seed README, "Evidence"), so its bodies carry PHP's quirks: an empty map is
`[]`, a map keyed 0..n-1 in order is a list, non-ASCII is `\\uXXXX`, `/` is `\\/`, and there are no spaces.
Clients must decode JSON, never match bytes; the mock sends the same bytes so that they learn it.
"""

from __future__ import annotations

import enum
import json
import operator
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from itertools import compress
from typing import Any

from contract.errors import ContractError

__all__ = ["PhpJsonError", "PhpJsonFlag", "PhpObject", "encode", "encode_records", "parse_flags"]

# PHP's json_encode refuses structures nested deeper than its `depth` argument (default 512).
MAX_DEPTH = 512
# PHP integers are 64-bit; a larger Python int has no PHP value to encode.
INT_MIN, INT_MAX = -(2**63), 2**63 - 1
# A string array key that PHP stores as an integer key: canonical decimal, no leading zero, not "-0".
# At most 19 digits: a longer one cannot fit 64 bits, and int() of over 4300 digits would raise ValueError.
_INT_KEY = re.compile(r"-?[1-9][0-9]{0,18}|0")


class PhpJsonError(ContractError):
    """A value that PHP's json_encode would refuse (json_encode returns false)."""


class PhpObject(dict[Any, Any]):
    """A PHP object (an array cast with `(object)`, a stdClass): json_encode always prints it as a JSON object.

    A backend that sends `{}` for an empty map, or `{"0": 7}` rather than `[7]`, builds its maps this way; a
    plain dict stays a PHP array (`[]` when empty, a list when keyed 0..n-1), PHP's default.
    """


class PhpJsonFlag(enum.IntFlag):
    """The json_encode flags a deployment may set; the values are PHP's own constants."""

    NONE = 0
    JSON_UNESCAPED_SLASHES = 64
    JSON_UNESCAPED_UNICODE = 256
    JSON_UNESCAPED_LINE_TERMINATORS = 2048


def parse_flags(value: int | str | Iterable[str] | None) -> PhpJsonFlag:
    """Read flags from config: an int bitmask, a flag name, or names (`JSON_UNESCAPED_UNICODE`)."""
    if value is None:
        return PhpJsonFlag.NONE
    if isinstance(value, bool):
        raise PhpJsonError(f"json_encode flags are an int or names, not {value!r}")
    if isinstance(value, int):
        if value < 0 or value & ~sum(PhpJsonFlag):
            raise PhpJsonError(f"unsupported json_encode flag bits: {value}")
        return PhpJsonFlag(value)
    names = [value] if isinstance(value, str) else list(value)
    flags = PhpJsonFlag.NONE
    for name in names:
        try:
            flags |= PhpJsonFlag[str(name).upper()]
        except KeyError:
            known = ", ".join(flag.name or "" for flag in PhpJsonFlag if flag)
            raise PhpJsonError(f"unknown json_encode flag {name!r} (known: {known})") from None
    return flags


def encode(value: Any, flags: PhpJsonFlag = PhpJsonFlag.NONE) -> bytes:
    """Return what PHP's json_encode($value, $flags) prints, as UTF-8 bytes."""
    if not flags and _plain(value):
        # Python's C encoder prints a plain value (see _plain) as PHP does but for "/" and the empty map
        # (which PHP prints as []): 10-20x faster. Neither "/" nor "{}" occurs outside strings, and no plain
        # string holds "{}".
        text = _PLAIN.encode(value).replace("/", "\\/")
        return (text.replace("{}", "[]") if "{}" in text else text).encode("ascii")
    return _encode(value, flags)


def encode_records(keys: Sequence[str], rows: Iterable[Sequence[Any]], flags: PhpJsonFlag = PhpJsonFlag.NONE) -> bytes:
    """Return encode([dict(zip(keys, row)) for row in rows], flags): a PHP list of arrays with the same keys.

    With default flags, string keys and columns of ints or strings (the index's id and letter_title), each
    column is judged and printed at once by C code, not record by record: 100,000 records in about 0.1 s.
    """
    rows = list(rows)
    columns = _plain_columns(keys, rows) if not flags and rows else None
    if columns is None:
        return encode([dict(zip(keys, row, strict=True)) for row in rows], flags)
    names = [_PLAIN.encode(key).replace("/", "\\/").replace("%", "%%") for key in keys]
    record = "{" + ",".join(f"{name}:%s" for name in names) + "}"
    return ("[" + ",".join(map(record.__mod__, zip(*columns, strict=True))) + "]").encode("ascii")


def _plain_columns(keys: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[list[str]] | None:
    """Return each column's values printed as JSON, or None when a key or a value is not plain (see _plain)."""
    if not keys or len(set(keys)) != len(keys) or not _plain_keys(dict.fromkeys(keys)):
        return None
    if set(map(len, rows)) != {len(keys)}:
        return None
    printed = []
    for column in zip(*rows, strict=True):
        kinds = set(map(type, column))
        if kinds == _INT and INT_MIN <= min(column) <= max(column) <= INT_MAX:
            printed.append(list(map(int.__repr__, column)))
        elif kinds == _STR and _plain_text("\x00".join(column)):
            quoted = map(_encode_basestring_ascii, column)
            printed.append(list(map(operator.methodcaller("replace", "/", "\\/"), quoted)))
        else:
            return None
    return printed


def _encode(value: Any, flags: PhpJsonFlag) -> bytes:
    """Print value by PHP's rules, one item at a time (every value and flag, and every refusal)."""
    out: list[str] = []
    # An explicit stack, not recursion: 512 levels of nesting must not hit Python's recursion limit.
    todo: list[tuple[Any, int] | str] = [(value, 0)]
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        current, depth = item
        if isinstance(current, list | tuple | Mapping):
            _open_array(current, depth + 1, flags, out, todo)
        else:
            out.append(_scalar(current, flags))
    return "".join(out).encode("utf-8")


# Compact, ASCII-only, refusing NaN: what json_encode prints for plain values, less the escaped "/".
_PLAIN = json.JSONEncoder(ensure_ascii=True, check_circular=False, allow_nan=False, separators=(",", ":"))
# The C quoting the encoder above uses for every string (the same escapes, the same lowercase hex).
_encode_basestring_ascii = json.encoder.encode_basestring_ascii


def _plain(value: Any) -> bool:
    """Tell whether Python's C encoder prints value as PHP's json_encode does with default flags (less "/").

    Plain: dicts, lists, tuples, None, bools, 64-bit ints and strings, nested at most 64 deep, where no
    dict is a PHP list (int keys 0..n-1 in order) or has the key "0" (it may be one), none mixes int and str
    keys (PHP may merge "1" and 1), and no string holds DEL (PHP prints it raw), a lone surrogate (PHP
    refuses) or "{}" (so that the empty maps' {} can be told apart and printed as PHP's []).
    Anything else goes the long way, which prints it or refuses it.
    """
    # Level by level, every value of a level judged at once in C (a mailing has about 200 values, the
    # large index 200,000): their types, the ints' range, the strings joined; dicts' keys one dict at a time.
    level: list[Any] = [value]
    depth = 0
    checked: Any = None  # the last string keys found plain (index entries and maps of counts repeat theirs)
    while level:
        depth += 1
        types = list(map(type, level))
        kinds = set(types)
        if not kinds <= _PLAIN_TYPES or (depth > _PLAIN_DEPTH and not kinds.isdisjoint(_CONTAINERS)):
            return False
        if int in kinds:
            ints = list(compress(level, map(_IS_INT, types)))
            if not INT_MIN <= min(ints) <= max(ints) <= INT_MAX:
                return False
        if str in kinds and not _plain_text("\x00".join(compress(level, map(_IS_STR, types)))):
            return False
        below: list[Any] = []
        if dict in kinds:
            for current in compress(level, map(_IS_DICT, types)):
                keys = current.keys()
                if keys and keys != checked:
                    if not _plain_keys(current):
                        return False
                    checked = keys if type(next(iter(keys))) is str else checked
                below.extend(current.values())
        if list in kinds or tuple in kinds:
            for current in compress(level, map(_IS_SEQUENCE, types)):
                below.extend(current)
        level = below
    return True


def _plain_keys(mapping: dict[Any, Any]) -> bool:
    """Tell whether a non-empty dict's keys are plain: all str (no "0", plain text) or all 64-bit ints, not 0..n-1."""
    kinds = set(map(type, mapping))
    if kinds == _STR:
        return "0" not in mapping and _plain_text("\x00".join(mapping))
    if kinds != _INT or not INT_MIN <= min(mapping) <= max(mapping) <= INT_MAX:
        return False
    return next(iter(mapping)) != 0 or list(mapping) != list(range(len(mapping)))


_CONTAINERS = frozenset({dict, list, tuple})
_PLAIN_TYPES = _CONTAINERS | {int, str, bool, type(None)}
_STR, _INT = frozenset({str}), frozenset({int})
_IS_INT, _IS_STR, _IS_DICT = partial(operator.is_, int), partial(operator.is_, str), partial(operator.is_, dict)
_IS_SEQUENCE = partial(operator.contains, frozenset({list, tuple}))
# Deeper values take the long way: the C encoder recurses, and must stay far from Python's recursion limit.
_PLAIN_DEPTH = 64


def _plain_text(text: str) -> bool:
    """Tell whether a string has no DEL, no lone surrogate and no "{}"."""
    return "\x7f" not in text and "{}" not in text and (text.isascii() or _is_valid_utf8(text))


def _scalar(value: Any, flags: PhpJsonFlag) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        if not INT_MIN <= value <= INT_MAX:
            raise PhpJsonError(f"{value} does not fit a PHP integer (64 bits)")
        return str(value)
    if isinstance(value, str):
        return _string(value, flags)
    # Floats are refused, not guessed: the API has none, and PHP's float text depends on the
    # serialize_precision ini setting of the deployment.
    raise PhpJsonError(f"json_encode emulation does not encode {type(value).__name__} values")


def _open_array(value: Any, depth: int, flags: PhpJsonFlag, out: list[str], todo: list[tuple[Any, int] | str]) -> None:
    """Print a PHP array's opening and schedule its items: a list when its keys are exactly 0..n-1 in order."""
    if depth > MAX_DEPTH:
        raise PhpJsonError(f"nested deeper than json_encode's default depth ({MAX_DEPTH})")
    items = list(enumerate(value)) if isinstance(value, list | tuple) else _php_items(value)
    is_list = not isinstance(value, PhpObject) and all(key == index for index, (key, _) in enumerate(items))
    out.append("[" if is_list else "{")
    todo.append("]" if is_list else "}")
    for index in range(len(items) - 1, -1, -1):
        key, item = items[index]
        todo.append((item, depth))
        if not is_list:
            todo.append(_string(str(key), flags) + ":")
        if index:
            todo.append(",")


def _php_items(mapping: Mapping[Any, Any]) -> list[tuple[int | str, Any]]:
    """Return the mapping's items with keys as PHP stores them ("0" becomes 0), refusing collisions."""
    items: list[tuple[int | str, Any]] = []
    for key, item in mapping.items():
        if isinstance(key, int):
            items.append((int(key), item))
        elif isinstance(key, str):
            as_int = _INT_KEY.fullmatch(key) is not None and INT_MIN <= int(key) <= INT_MAX
            items.append((int(key) if as_int else key, item))
        else:
            raise PhpJsonError(f"a PHP array key is an int or a string, not {type(key).__name__}")
    if len({key for key, _ in items}) != len(items):
        raise PhpJsonError("two keys name the same PHP array key (such as 0 and '0')")
    return items


# What PHP escapes in every mode: quote, backslash, slash, C0 controls, U+2028/9 (line terminators in JS).
# DEL (0x7f) is not escaped by PHP (Python's json module would escape it).
_ESCAPED = re.compile(r'["\\/\x00-\x1f\u2028\u2029]|[^\x00-\x7f]')
_SHORT = {'"': '\\"', "\\": "\\\\", "/": "\\/", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _string(text: str, flags: PhpJsonFlag) -> str:
    """Quote a string as PHP does (lowercase hex, surrogate pairs for characters beyond U+FFFF)."""
    if not flags and "\x7f" not in text and _is_valid_utf8(text):
        # With PHP's default flags, Python's ASCII-only JSON differs only in "/" (and DEL, and lone
        # surrogates, excluded above): the C encoder is ~20x faster than the escape callback below.
        return json.dumps(text).replace("/", "\\/")
    return _php_string(text, flags)


def _is_valid_utf8(text: str) -> bool:
    """Whether text has no lone surrogate (PHP refuses those)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _php_string(text: str, flags: PhpJsonFlag) -> str:
    """Quote a string with PHP's escaping rules, one escaped character at a time."""
    unescaped_unicode = PhpJsonFlag.JSON_UNESCAPED_UNICODE in flags

    def escape(match: re.Match[str]) -> str:
        char = match.group()
        code = ord(char)
        if char in _SHORT:
            return char if char == "/" and PhpJsonFlag.JSON_UNESCAPED_SLASHES in flags else _SHORT[char]
        if 0xD800 <= code <= 0xDFFF:
            # A lone surrogate cannot come from valid UTF-8: PHP fails with "Malformed UTF-8 characters".
            raise PhpJsonError(f"lone surrogate U+{code:04X} is not valid UTF-8")
        if code < 0x20:
            return f"\\u{code:04x}"
        if unescaped_unicode:
            # PHP >= 7.1 still escapes U+2028/U+2029 under JSON_UNESCAPED_UNICODE unless told not to.
            keep = code not in (0x2028, 0x2029) or PhpJsonFlag.JSON_UNESCAPED_LINE_TERMINATORS in flags
            return char if keep else f"\\u{code:04x}"
        if code > 0xFFFF:
            code -= 0x10000
            return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
        return f"\\u{code:04x}"

    return '"' + _ESCAPED.sub(escape, text) + '"'
