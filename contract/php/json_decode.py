"""PHP's `json_decode($raw, true)` (the PHP >= 7.0 parser): the value, or null and PHP's error constant.

The scanner follows ext/json/json_scanner.re and the parser ext/json/json_parser.y token by token, so
that the FIRST problem in the text decides the error, as in PHP: a control character before a syntax
error is JSON_ERROR_CTRL_CHAR, a `}` closing a `[` is JSON_ERROR_STATE_MISMATCH. An explicit stack
replaces recursion; the work is linear in the input; any bytes give an answer, never an exception.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from contract.php.values import PhpArray, PhpValue, array_key

__all__ = ["DEFAULT_DEPTH", "JSON_ERRORS", "JsonDecoded", "json_decode"]

# json_decode's default $depth. PHP counts the top level as depth 1 (parser->depth starts at 1), so
# 511 nested arrays decode and 512 are refused with JSON_ERROR_DEPTH (PHP 7 and 8 alike).
DEFAULT_DEPTH = 512
# PHP's json_last_error() codes and their constants' names.
JSON_ERRORS = {
    0: "JSON_ERROR_NONE",
    1: "JSON_ERROR_DEPTH",
    2: "JSON_ERROR_STATE_MISMATCH",
    3: "JSON_ERROR_CTRL_CHAR",
    4: "JSON_ERROR_SYNTAX",
    5: "JSON_ERROR_UTF8",
    6: "JSON_ERROR_RECURSION",
    7: "JSON_ERROR_INF_OR_NAN",
    8: "JSON_ERROR_UNSUPPORTED_TYPE",
    9: "JSON_ERROR_INVALID_PROPERTY_NAME",
    10: "JSON_ERROR_UTF16",
}
DEPTH, STATE_MISMATCH, CTRL_CHAR, SYNTAX, UTF8, UTF16 = (JSON_ERRORS[code] for code in (1, 2, 3, 4, 5, 10))
# bison's default stack limit (json_parser.tab.c defines no other).
YYMAXDEPTH = 10000

# JSON's whitespace for PHP: space, tab, CR, LF only (\f and \v are control characters there).
_WHITESPACE = re.compile(rb"[ \t\n\r]*")
# INT, FLOAT and EXP of the scanner: no leading zeros, no "1.", no ".5", no "+1".
_NUMBER = re.compile(rb"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")
# A run of string bytes the scanner passes over: no quote, no backslash, no control character.
_PLAIN = re.compile(rb'[^"\\\x00-\x1f]*')
_HEX4 = re.compile(rb"[0-9a-fA-F]{4}")
_SHORT_ESCAPES = {ord('"'): '"', ord("\\"): "\\", ord("/"): "/", ord("b"): "\b", ord("f"): "\f", ord("n"): "\n"}
_SHORT_ESCAPES |= {ord("r"): "\r", ord("t"): "\t"}
_LITERALS: tuple[tuple[bytes, PhpValue], ...] = ((b"null", None), (b"true", True), (b"false", False))
_LONG_MIN_DIGITS = b"9223372036854775808"
# The length of a UTF-8 sequence by its first byte (0: a byte that cannot start one).
_UTF8_LENGTH = bytes(
    1 if b < 0x80 else 2 if 0xC2 <= b <= 0xDF else 3 if 0xE0 <= b <= 0xEF else 4 if 0xF0 <= b <= 0xF4 else 0
    for b in range(256)
)


class JsonDecoded(NamedTuple):
    """json_decode's result: the value (null on error) and json_last_error()'s constant name (None if no error)."""

    value: PhpValue
    error: str | None


class _Fail(Exception):
    """Carries the error constant of the first problem met (internal: json_decode never raises it)."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


# Tokens: punctuation is the byte itself; values carry their decoded value.
_EOI, _VALUE, _STRING = "eoi", "value", "string"


class _Scanner:
    """json_scanner.re: one token at a time, from a position, raising _Fail for an error token."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def next(self) -> tuple[str, PhpValue]:
        """Return the next token's kind and value."""
        data = self.data
        pos = _WHITESPACE.match(data, self.pos).end()  # type: ignore[union-attr]
        if pos == len(data):
            self.pos = pos
            return _EOI, None
        byte = data[pos]
        if byte in b"{}[]:,":
            self.pos = pos + 1
            return chr(byte), None
        if byte == 0x22:  # '"'
            return _STRING, self._string(pos + 1)
        if byte == 0x2D or 0x30 <= byte <= 0x39:  # '-' or a digit
            number = _NUMBER.match(data, pos)
            if number is not None:
                self.pos = number.end()
                return _VALUE, _number(number)
        for literal, value in _LITERALS:
            if data.startswith(literal, pos):
                self.pos = pos + len(literal)
                return _VALUE, value
        # A NUL before the end is the EOI rule short of the limit: PHP reports a control character.
        if byte < 0x20:
            raise _Fail(CTRL_CHAR)
        if byte < 0x80 or _is_utf8_char(data, pos):
            raise _Fail(SYNTAX)  # a valid character that starts no token (a BOM, "NaN", "'", "+1")
        raise _Fail(UTF8)

    def _string(self, pos: int) -> str:
        """Scan a string's body from after its quote (STR_P1 and STR_P2) and return its text."""
        data = self.data
        parts: list[str] = []
        while True:
            end = _PLAIN.match(data, pos).end()  # type: ignore[union-attr]
            if end > pos:
                chunk = data[pos:end]
                if chunk.isascii():
                    parts.append(chunk.decode("ascii"))
                else:
                    try:
                        parts.append(chunk.decode("utf-8"))  # strict UTF-8 is exactly the scanner's UTF8 rule
                    except UnicodeDecodeError:
                        raise _Fail(UTF8) from None
            if end == len(data):
                raise _Fail(CTRL_CHAR)  # unterminated: the scanner meets the terminating NUL, a CTRL byte
            byte = data[end]
            if byte == 0x22:
                self.pos = end + 1
                return "".join(parts)
            if byte < 0x20:
                raise _Fail(CTRL_CHAR)
            pos = self._escape(end, parts)

    def _escape(self, pos: int, parts: list[str]) -> int:
        """Read the escape at pos (a backslash) into parts; return the position after it."""
        data = self.data
        kind = data[pos + 1] if pos + 1 < len(data) else -1
        if kind in _SHORT_ESCAPES:
            parts.append(_SHORT_ESCAPES[kind])
            return pos + 2
        if kind != 0x75 or not _HEX4.match(data, pos + 2):  # not "\u" and four hex digits: a lone ESCPREF
            raise _Fail(SYNTAX)
        code = int(data[pos + 2 : pos + 6], 16)
        if 0xD800 <= code <= 0xDBFF:
            # UTF16_4: a high surrogate only counts when a low one follows at once; alone it is UCS2 → UTF16.
            if data.startswith(b"\\u", pos + 6) and _HEX4.match(data, pos + 8):
                low = int(data[pos + 8 : pos + 12], 16)
                if 0xDC00 <= low <= 0xDFFF:
                    parts.append(chr(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)))
                    return pos + 12
            raise _Fail(UTF16)
        if 0xDC00 <= code <= 0xDFFF:
            raise _Fail(UTF16)
        parts.append(chr(code))
        return pos + 6


def _number(match: re.Match[bytes]) -> int | float:
    """A number token's value: an int, or a float for fractions, exponents and integers past 64 bits."""
    token = match.group()
    if match.group(1) is not None or match.group(2) is not None:
        return float(token)  # zend_strtod; Python's float() also rounds correctly and has no digit limit
    negative = token[0] == 0x2D
    digits = token[1:] if negative else token
    if len(digits) > 19 or (
        len(digits) == 19 and not (digits < _LONG_MIN_DIGITS or (digits == _LONG_MIN_DIGITS and negative))
    ):
        return float(token)  # PHP's "bigint" without JSON_BIGINT_AS_STRING
    return int(token)


def _is_utf8_char(data: bytes, pos: int) -> bool:
    """Whether a valid UTF-8 character starts at pos."""
    length = _UTF8_LENGTH[data[pos]]
    if not length:
        return False
    try:
        data[pos : pos + length].decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class _Frame:
    """An array or object being built, and how many entries it holds on bison's parse stack."""

    __slots__ = ("array", "entries", "is_object", "key")

    def __init__(self, is_object: bool) -> None:
        self.array = PhpArray()
        self.is_object = is_object
        self.key = ""
        # `[` and the depth check's mid-rule symbol; then `element` (3), `,` (4); for objects `member`
        # (3), `,` (4), `key` (5), `:` (6), or `key` (3), `:` (4) for the first member.
        self.entries = 2


def json_decode(raw: bytes, depth: int = DEFAULT_DEPTH) -> JsonDecoded:
    """Decode as PHP's json_decode($raw, true, $depth): objects become PhpArrays, last duplicate key wins."""
    if depth < 1:
        raise ValueError(f"json_decode(): depth must be greater than 0, not {depth}")  # PHP 8: a ValueError too
    if not raw:
        return JsonDecoded(None, SYNTAX)  # PHP >= 7.0: the empty string is a syntax error
    try:
        return JsonDecoded(_Parser(_Scanner(raw), depth).parse(), None)
    except _Fail as failure:
        return JsonDecoded(None, failure.error)


class _Parser:
    """json_parser.y's grammar, run with an explicit stack; raises _Fail at the first bad token.

    It also counts the entries bison's own parse stack would hold: bison stops at YYMAXDEPTH (10,000) with
    "memory exhausted", which PHP reports as JSON_ERROR_SYNTAX. Only a $depth above about 1,666 can reach
    it (4,998 nested empty arrays decode, 4,999 do not; 2,499 objects `{"a":1}`, 1,666 `{"b":0,"a":...}`).
    """

    def __init__(self, scanner: _Scanner, max_depth: int) -> None:
        self.scanner = scanner
        self.max_depth = max_depth
        self.stack: list[_Frame] = []
        self.height = 1  # bison's stack holds its start state

    def grow(self, entries: int) -> None:
        """Push entries on bison's stack; fail as bison does when it reaches YYMAXDEPTH."""
        self.height += entries
        if self.height >= YYMAXDEPTH:
            raise _Fail(SYNTAX)

    def parse(self) -> PhpValue:
        """Read the whole text and return its value."""
        stack = self.stack
        # States: "value" (a value must come), "first" (just after "[" or "{"), "key" (after "," in an object),
        # "colon" (after a key), "after" (after an element or a member: "," or the close must come).
        state = "value"
        while True:
            kind, value = self.scanner.next()
            in_object = bool(stack) and stack[-1].is_object
            if state == "colon":
                if kind != ":":
                    raise _Fail(SYNTAX)
                self.grow(1)
                stack[-1].entries += 1
                state = "value"
                continue
            if state == "after" and kind == ",":
                self.grow(1)
                stack[-1].entries += 1
                state = "key" if in_object else "value"
                continue
            if state in ("first", "after") and kind in ("]", "}"):
                value = self.close(kind)
            elif state == "key" or (state == "first" and in_object):
                if kind != _STRING:
                    raise _Fail(SYNTAX)
                self.grow(1)
                stack[-1].entries += 1
                stack[-1].key = str(value)
                state = "colon"
                continue
            elif state == "after" or kind not in (_VALUE, _STRING, "[", "{"):
                raise _Fail(SYNTAX)
            elif kind in ("[", "{"):
                self.grow(1)
                # The depth check is a mid-rule action right after the bracket, before the next token is
                # read; PHP counts the document's top level as depth 1.
                if len(stack) + 1 >= self.max_depth:
                    raise _Fail(DEPTH)
                self.grow(1)
                stack.append(_Frame(kind == "{"))
                state = "first"
                continue
            else:
                self.grow(1)
            # A value is complete, one entry on bison's stack: it joins the enclosing array or object
            # (which then holds 3 entries: `[` mid-rule `element`), or ends the document.
            if not stack:
                if self.scanner.next()[0] != _EOI:
                    raise _Fail(SYNTAX)
                return value
            parent = stack[-1]
            self.height += 3 - parent.entries - 1
            parent.entries = 3
            if parent.is_object:
                parent.array[array_key(parent.key)] = value  # zend_symtable_update: "5" is 5, position kept
            else:
                parent.array.append(value)
            state = "after"

    def close(self, kind: str) -> PhpArray:
        """Close the innermost array or object; a `}` for a `[` (or the reverse) is a state mismatch."""
        frame = self.stack[-1]
        if frame.entries == 2:
            self.grow(1)  # `elements` (or `members`): %empty
        self.grow(1)  # the closing token
        if (kind == "}") != frame.is_object:
            raise _Fail(STATE_MISMATCH)
        self.stack.pop()
        self.height -= 3  # `[` mid-rule `elements` `]` reduce to one `value`
        return frame.array
