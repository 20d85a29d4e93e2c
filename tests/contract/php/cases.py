"""Explicit cases, one or more per rule of contract/php, with PHP 7's answer; checked against ours and real PHP."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_from_bytes

import pytest

from contract.php import PhpArray, PhpValue

INF = float("inf")
ALLOWED = ("id", "common", "open_time", "click_statistic", "domain_statistic", "errors")
DEFAULT = ("id",)


def php(value: Any) -> PhpValue:
    """A PHP value from a Python literal: lists and dicts become PhpArrays (keys normalised), at any depth."""
    if isinstance(value, list):
        return PhpArray((index, php(item)) for index, item in enumerate(value))
    if isinstance(value, dict):
        return PhpArray((key, php(item)) for key, item in value.items())
    result: PhpValue = value
    return result


def nested(depth: int, inner: bytes = b"", *, open_: bytes = b"[", close: bytes = b"]") -> bytes:
    """`depth` nested arrays (or other openers) around `inner`."""
    return open_ * depth + inner + close * depth


def chain(depth: int, leaf: PhpValue, key: str = "x") -> PhpValue:
    """`depth` arrays nested by `key` around a leaf value, built without recursion."""
    value = leaf
    for _ in range(depth):
        value = PhpArray([(key, value)])
    return value


def nested_value(depth: int) -> PhpValue:
    """The PhpArray of `depth` nested empty arrays, built without recursion."""
    value = PhpArray()
    for _ in range(depth - 1):
        value = PhpArray([(0, value)])
    return value


@dataclass(frozen=True)
class Decode:
    """json_decode($raw, true, $depth) gives value and error (PHP 7 and 8 alike)."""

    raw: bytes
    value: PhpValue
    error: str | None = None
    depth: int = 512


SYNTAX, CTRL, UTF8, UTF16 = "JSON_ERROR_SYNTAX", "JSON_ERROR_CTRL_CHAR", "JSON_ERROR_UTF8", "JSON_ERROR_UTF16"
DEPTH, MISMATCH = "JSON_ERROR_DEPTH", "JSON_ERROR_STATE_MISMATCH"

DECODE = {
    # values, arrays and objects
    "list": Decode(b'[1,"a",null,true,false]', php([1, "a", None, True, False])),
    "object": Decode(b'{"a":1,"b":[2]}', php({"a": 1, "b": [2]})),
    "empty-array": Decode(b"[]", PhpArray()),
    "empty-object": Decode(b"{}", PhpArray()),
    "top-level-int": Decode(b"42", 42),
    "top-level-string": Decode(b'"id"', "id"),
    "top-level-null": Decode(b"null", None),
    "top-level-false": Decode(b"false", False),
    "minus-zero-int": Decode(b"-0", 0),
    "minus-zero-float": Decode(b"-0.0", -0.0),
    "exponent": Decode(b"1E2", 100.0),
    "fraction": Decode(b"0.1", 0.1),
    "whitespace": Decode(b" \t\n\r[ 1 ,\r\n2 ]\r\n", php([1, 2])),
    # objects: last duplicate wins in the first one's place; numeric strings are int keys
    "duplicate-keys": Decode(b'{"a":1,"b":2,"a":3}', php({"a": 3, "b": 2})),
    "numeric-keys": Decode(
        b'{"5":1,"-5":2,"05":3,"-0":4,"0":5," 1":6,"1.0":7}',
        php({5: 1, -5: 2, "05": 3, "-0": 4, 0: 5, " 1": 6, "1.0": 7}),
    ),
    "int64-keys": Decode(
        b'{"9223372036854775807":1,"9223372036854775808":2,"-9223372036854775808":3,"-9223372036854775809":4}',
        php({2**63 - 1: 1, "9223372036854775808": 2, -(2**63): 3, "-9223372036854775809": 4}),
    ),
    "object-as-list": Decode(b'{"0":"a","1":"b"}', php(["a", "b"])),
    "nul-key": Decode(b'{"\\u0000a":1}', php({"\x00a": 1})),
    "empty-key": Decode(b'{"":1}', php({"": 1})),
    # numbers past 64 bits become floats, at any length
    "int-max": Decode(b"9223372036854775807", 2**63 - 1),
    "int-max-plus-one": Decode(b"9223372036854775808", 9223372036854775808.0),
    "int-min": Decode(b"-9223372036854775808", -(2**63)),
    "int-min-minus-one": Decode(b"-9223372036854775809", -9223372036854775809.0),
    "twenty-three-digits": Decode(b"12345678901234567890123", 1.2345678901234568e22),
    "ten-thousand-digits": Decode(b"1" * 10_000, INF),
    "ten-thousand-digit-fraction": Decode(b"0." + b"3" * 10_000, 0.3333333333333333),
    "huge-exponent": Decode(b"[1e400,-1e400,1e-400]", php([INF, -INF, 0.0])),
    # strings: escapes, surrogate pairs, DEL
    "escapes": Decode(b'"\\"\\\\\\/\\b\\f\\n\\r\\t"', '"\\/\b\f\n\r\t'),
    "unicode-escape": Decode(b'"\\u00e9\\u0416"', "éЖ"),
    "surrogate-pair": Decode(b'"\\ud83d\\ude00\\uD83D\\uDE00"', "😀😀"),
    "raw-utf8": Decode('"Скидки 🔥"'.encode(), "Скидки 🔥"),
    "del-is-allowed": Decode(b'"\x7f"', "\x7f"),
    "nul-escape": Decode(b'"\\u0000"', "\x00"),
    # lone surrogates: JSON_ERROR_UTF16
    "lone-high": Decode(b'["\\ud800"]', None, UTF16),
    "lone-low": Decode(b'["\\udc00"]', None, UTF16),
    "high-then-letter": Decode(b'"\\ud800\\u0041"', None, UTF16),
    "high-then-high": Decode(b'"\\ud800\\ud800"', None, UTF16),
    "low-then-high": Decode(b'"\\ude00\\ud83d"', None, UTF16),
    # invalid UTF-8
    "invalid-byte": Decode(b'["\xff"]', None, UTF8),
    "cut-sequence": Decode(b'"\xc3"', None, UTF8),
    "overlong": Decode(b'"\xc0\x80"', None, UTF8),
    "raw-surrogate": Decode(b'"\xed\xa0\x80"', None, UTF8),
    "invalid-outside-string": Decode(b"[\xff]", None, UTF8),
    "valid-char-outside-string": Decode("[é]".encode(), None, SYNTAX),
    # control characters
    "ctrl-in-string": Decode(b'["a\x01"]', None, CTRL),
    "newline-in-string": Decode(b'"a\nb"', None, CTRL),
    "form-feed-outside": Decode(b"\x0c[1]", None, CTRL),
    "vertical-tab-outside": Decode(b"[1\x0b]", None, CTRL),
    "nul-outside": Decode(b"[1] \x00", None, CTRL),
    "unterminated-string": Decode(b'["abc', None, CTRL),
    "ctrl-before-syntax-error": Decode(b'["\x01" 1 2]', None, CTRL),
    "syntax-before-ctrl": Decode(b'[1 2 "\x01"]', None, SYNTAX),
    # NaN, Infinity and other non-JSON numbers
    "nan": Decode(b"NaN", None, SYNTAX),
    "nan-in-list": Decode(b"[NaN]", None, SYNTAX),
    "infinity": Decode(b"Infinity", None, SYNTAX),
    "minus-infinity": Decode(b"[-Infinity]", None, SYNTAX),
    "leading-zero": Decode(b"01", None, SYNTAX),
    "trailing-point": Decode(b"[1.]", None, SYNTAX),
    "leading-point": Decode(b".5", None, SYNTAX),
    "plus-sign": Decode(b"+1", None, SYNTAX),
    "lone-minus": Decode(b"-", None, SYNTAX),
    "hex": Decode(b"0x1A", None, SYNTAX),
    "bare-exponent": Decode(b"1e", None, SYNTAX),
    # literals are lower case; single quotes are not JSON
    "upper-true": Decode(b"TRUE", None, SYNTAX),
    "short-null": Decode(b"nul", None, SYNTAX),
    "single-quotes": Decode(b"['id']", None, SYNTAX),
    "bad-escape": Decode(b'"\\x41"', None, SYNTAX),
    "short-unicode-escape": Decode(b'"\\u12"', None, SYNTAX),
    # a BOM, the empty text, trailing garbage
    "bom": Decode(b'\xef\xbb\xbf["id"]', None, SYNTAX),
    "empty-text": Decode(b"", None, SYNTAX),
    "only-whitespace": Decode(b"  ", None, SYNTAX),
    "trailing-garbage": Decode(b'["id"] x', None, SYNTAX),
    "trailing-bracket": Decode(b"[1]]", None, SYNTAX),
    "two-values": Decode(b"1 2", None, SYNTAX),
    "trailing-invalid-utf8": Decode(b"[1] \xff", None, UTF8),
    "trailing-unterminated": Decode(b'[1] "a', None, CTRL),
    # structure: a close of the other kind is a state mismatch, a trailing comma a syntax error
    "array-closed-by-brace": Decode(b"[1}", None, MISMATCH),
    "empty-array-closed-by-brace": Decode(b"[}", None, MISMATCH),
    "object-closed-by-bracket": Decode(b'{"a":1]', None, MISMATCH),
    "empty-object-closed-by-bracket": Decode(b"{]", None, MISMATCH),
    "trailing-comma-array": Decode(b"[1,]", None, SYNTAX),
    "trailing-comma-object": Decode(b'{"a":1,}', None, SYNTAX),
    "comma-then-brace": Decode(b"[1,}", None, SYNTAX),
    "key-without-value": Decode(b'{"a"}', None, SYNTAX),
    "number-key": Decode(b"{1:2}", None, SYNTAX),
    "unclosed": Decode(b"[", None, SYNTAX),
    "unclosed-member": Decode(b'{"a":', None, SYNTAX),
    # depth: the top level counts 1, so the default 512 admits 511 nested arrays
    "nested-511": Decode(nested(511), nested_value(511)),
    "nested-512": Decode(nested(512), None, DEPTH),
    "nested-513": Decode(nested(513), None, DEPTH),
    "objects-512": Decode(nested(512, b"1", open_=b'{"a":', close=b"}"), None, DEPTH),
    "depth-before-next-token": Decode(b"[" * 512 + b"\x01", None, DEPTH),
    "ctrl-before-depth": Decode(b"[" * 100 + b"\x01" + b"[" * 500, None, CTRL),
    "scalar-depth-1": Decode(b"1", 1, depth=1),
    "array-depth-1": Decode(b"[1]", None, DEPTH, depth=1),
    "nested-depth-3": Decode(b"[[1]]", php([[1]]), depth=3),
    "nested-depth-2": Decode(b"[[1]]", None, DEPTH, depth=2),
    "hundred-thousand-deep": Decode(nested(100_000), None, DEPTH),
    # bison's parse stack (YYMAXDEPTH 10,000) ends a very deep text when $depth allows it: a syntax error
    "bison-4998-arrays": Decode(nested(4998), nested_value(4998), depth=1_000_000),
    "bison-4999-arrays": Decode(nested(4999), None, SYNTAX, depth=1_000_000),
    "bison-2500-objects": Decode(nested(2500, b"1", open_=b'{"a":', close=b"}"), None, SYNTAX, depth=1_000_000),
    "bison-hundred-thousand": Decode(nested(100_000), None, SYNTAX, depth=1_000_000),
}


def decode_params() -> list[Any]:
    """The json_decode cases as pytest params, named by rule."""
    return [pytest.param(case, id=name) for name, case in DECODE.items()]


# empty(): what PHP 7 calls empty
EMPTY: dict[str, tuple[PhpValue, bool]] = {
    "null": (None, True),
    "false": (False, True),
    "true": (True, False),
    "zero": (0, True),
    "one": (1, False),
    "zero-float": (0.0, True),
    "minus-zero-float": (-0.0, True),
    "nan": (float("nan"), False),
    "empty-string": ("", True),
    "zero-string": ("0", True),
    "zero-bytes": (b"0", True),
    "zero-point-zero-string": ("0.0", False),
    "space-string": (" ", False),
    "empty-array": (PhpArray(), True),
    "array-of-empty": (php([None]), False),
}

# (string) as array_intersect compares: PHP's `precision` of 14 digits for floats
STRVAL: dict[str, tuple[PhpValue, str]] = {
    "true": (True, "1"),
    "false": (False, ""),
    "null": (None, ""),
    "int": (-17, "-17"),
    "float-sum": (0.1 + 0.2, "0.3"),
    "float-whole": (100.0, "100"),
    "float-1e14": (1e14, "1.0E+14"),
    "float-1e13": (1e13, "10000000000000"),
    "float-1e15": (1e15, "1.0E+15"),
    "float-small": (0.0001, "0.0001"),
    "float-smaller": (0.00001, "1.0E-5"),
    "float-minus-zero": (-0.0, "-0"),
    "float-tie-to-even": (123456789012345.0, "1.2345678901234E+14"),
    "float-big-exponent": (1e100, "1.0E+100"),
    "float-tiny": (5e-324, "4.9406564584125E-324"),
    "float-inf": (INF, "INF"),
    "float-minus-inf": (-INF, "-INF"),
    "float-nan": (float("nan"), "NAN"),
    "string": ("Скидки", "Скидки"),
    "array": (php([1]), "Array"),
}

# array_intersect keeps the first array's keys, order and duplicates; entries compare as strings
INTERSECT: dict[str, tuple[PhpValue, PhpValue, PhpValue]] = {
    "names": (php(["common", "x", "id"]), php(list(ALLOWED)), php({0: "common", 2: "id"})),
    "duplicates": (php(["id", "id"]), php(list(ALLOWED)), php(["id", "id"])),
    "object-values": (php({"a": "common", "id": "x"}), php(list(ALLOWED)), php({"a": "common"})),
    "true-is-1": (php([True, 1, 1.0, "1", False]), php(["1"]), php([True, 1, 1.0, "1"])),
    "false-is-empty-string": (php([False, None, ""]), php([""]), php([False, None, ""])),
    "float-form": (php([0.1 + 0.2, 1e15]), php(["0.3", "1.0E+15"]), php([0.1 + 0.2, 1e15])),
    "array-is-Array": (php([["id"], "x"]), php(["Array"]), php({0: ["id"]})),
    "nothing": (php([1, 2]), php(list(ALLOWED)), PhpArray()),
}


@dataclass(frozen=True)
class Parse:
    """parse_str($query) (the code that fills $_GET) gives `get` in PHP 7; `php8` when PHP 8 differs."""

    query: bytes
    get: PhpValue
    php8: PhpValue = None


PARSE = {
    "plain": Parse(b"a=1&b=2", php({"a": b"1", "b": b"2"})),
    "no-value": Parse(b"a&b=", php({"a": b"", "b": b""})),
    "empty-pieces": Parse(b"&&a=1&&", php({"a": b"1"})),
    "percent-and-plus": Parse(b"a=x%3Dy=z+w%20v%zz%4", php({"a": b"x=y=z w v%zz%4"})),
    "binary-value": Parse(b"a=%FF%00x", php({"a": b"\xff\x00x"})),
    "last-wins": Parse(b"fields=a&x=1&fields=b", php({"fields": b"b", "x": b"1"})),
    "dots-and-spaces": Parse(
        b"sort.field=1&sort+field=2&a%2Eb=3&c%20d=4", php({"sort_field": b"2", "a_b": b"3", "c_d": b"4"})
    ),
    "leading-spaces-dropped": Parse(b"+a=1&%20%20b=2", php({"a": b"1", "b": b"2"})),
    "empty-name-dropped": Parse(b"=1&+=2&[x]=3&a=4", php({"a": b"4"})),
    "append": Parse(b"a[]=1&a[]=2", php({"a": [b"1", b"2"]})),
    "append-percent-encoded": Parse(b"fields%5B%5D=id", php({"fields": [b"id"]})),
    "blank-index-appends": Parse(b"a[ ]=1&a[\t]=2", php({"a": [b"1", b"2"]})),
    "indexed": Parse(b"a[0]=x&a[k]=y&a[05]=z", php({"a": {0: b"x", "k": b"y", "05": b"z"}})),
    "nested": Parse(b"a[x][y]=1&a[x][z]=2", php({"a": {"x": {"y": b"1", "z": b"2"}}})),
    "index-keeps-dots": Parse(b"a[b.c d]=1", php({"a": {"b.c d": b"1"}})),
    "after-close-ignored": Parse(b"a[x]junk=1&b[y]junk[z]=2", php({"a": {"x": b"1"}, "b": {"y": b"2"}})),
    "array-replaces-plain": Parse(b"a=1&b=2&a[]=3", php({"a": [b"3"], "b": b"2"})),
    "plain-replaces-array": Parse(b"a[]=1&b=2&a=3", php({"a": b"3", "b": b"2"})),
    "numeric-name": Parse(b"5=a&05=b", php({5: b"a", "05": b"b"})),
    "nul-ends-name": Parse(b"a%00b=1", php({"a": b"1"})),
    "raw-nul-ends-query": Parse(b"a=1\x00&b=2", php({"a": b"1"})),
    "unclosed-bracket": Parse(b"a[b=1", php({"a_b": b"1"})),
    "unclosed-bracket-at-end": Parse(b"a[=1", php({"a_": b"1"})),
    # PHP 8.0 fixed bug #78236: after an unclosed `[` it also turns ` `, `.` and `[` into `_`.
    "unclosed-bracket-keeps-rest": Parse(b"a[b.c[d e=1", php({"a_b.c[d e": b"1"}), php8=php({"a_b_c_d_e": b"1"})),
    "later-unclosed-bracket": Parse(b"a[x][y=1", php({"a": {"x": b"1"}})),
    "later-unclosed-after-append": Parse(b"a[][y=1", php({"a": [b"1"]})),
    # PHP 7 appends at 0 after only negative keys; PHP >= 8.0 goes on from the largest (RFC negative_array_index).
    "append-after-negative": Parse(
        b"a[-5]=x&a[]=y", php({"a": {-5: b"x", 0: b"y"}}), php8=php({"a": {-5: b"x", -4: b"y"}})
    ),
    "append-after-int-max": Parse(b"a[9223372036854775807]=x&a[]=y", php({"a": {2**63 - 1: b"x"}})),
    # max_input_nesting_level (64): one level more deletes the whole variable
    "nesting-64": Parse(b"a" + b"[x]" * 64 + b"=1", php({"a": chain(64, b"1")})),
    "nesting-65-deletes": Parse(b"a=0&b=1&a" + b"[x]" * 65 + b"=1", php({"b": b"1"})),
    # max_input_vars (1000) counts every non-empty piece, empty names too
    "max-input-vars": Parse(b"&".join(b"v%d=1" % i for i in range(1005)), php({f"v{i}": b"1" for i in range(1000)})),
    "max-input-vars-counts-empty-names": Parse(
        b"&".join([*(b"v%d=1" % i for i in range(998)), b"=x", b"&&", b"last=1", b"after=1"]),
        php({**{f"v{i}": b"1" for i in range(998)}, "last": b"1"}),
    ),
}

# `$text * 1`: PHP 7 reads the numeric prefix; 0 where there is none (PHP 8 throws, the oracle gives 0)
MULTIPLY: dict[str, tuple[str | bytes, int | float]] = {
    "digits": ("12", 12),
    "leading-zeros": ("012", 12),
    "numeric-prefix": ("12abc", 12),
    "exponent": ("1e1", 10.0),
    "leading-space": (" 12", 12),
    "leading-whitespace": (" \t\n\r\v\f12", 12),
    "trailing-space": ("12 ", 12),
    "hex": ("0x1A", 0),
    "letters": ("abc", 0),
    "empty": ("", 0),
    "minus": ("-5", -5),
    "plus": ("+5", 5),
    "sign-then-space": ("- 5", 0),
    "fraction": ("1.5", 1.5),
    "trailing-point": ("1.", 1.0),
    "leading-point": (".5", 0.5),
    "minus-leading-point": ("-.5e1", -5.0),
    "lone-point": (".", 0),
    "bare-exponent": ("1e", 1),
    "exponent-without-digits": ("1e+", 1),
    "point-exponent": ("1.e2", 100.0),
    "int-max": ("9223372036854775807", 2**63 - 1),
    "int-max-plus-one": ("9223372036854775808", 9223372036854775808.0),
    "int-min": ("-9223372036854775808", -(2**63)),
    "int-min-minus-one": ("-9223372036854775809", -9223372036854775809.0),
    # PHP compares the 19 digits and what follows them (strcmp) with "9223372036854775808"
    "int-min-then-space": ("-9223372036854775808 ", -9223372036854775808.0),
    "int-min-then-letter": ("-9223372036854775808x", -9223372036854775808.0),
    "int-max-then-letter": ("9223372036854775807x", 2**63 - 1),
    "int-max-then-nul": (b"9223372036854775808\x00", 9223372036854775808.0),
    "leading-zeros-then-int-max": ("0009223372036854775807", 2**63 - 1),
    "twenty-digits": ("12345678901234567890", 1.2345678901234567e19),
    "ten-thousand-digits": ("9" * 10_000, INF),
    "huge-exponent": ("1e999", INF),
    "nul-after-digits": (b"12\x00", 12),
    "arabic-digits": ("١٢", 0),
    "inf-word": ("INF", 0),
    "not-utf8": (b"\xff12", 0),
}

# the path id: PHP's number, whether the segment is the plain decimal PHP prints, the id looked up
PATH: dict[str, tuple[str, int | float, bool, int | None]] = {
    "plain": ("12", 12, True, 12),
    "int-max": ("9223372036854775807", 2**63 - 1, True, 2**63 - 1),
    "leading-zero": ("012", 12, False, 12),
    "suffix": ("12abc", 12, False, 12),
    "space": (" 12", 12, False, 12),
    "exponent": ("1e1", 10.0, False, 10),
    "float": ("1.5", 1.5, False, None),
    "zero": ("0", 0, True, None),
    "negative": ("-5", -5, True, None),
    "letters": ("abc", 0, False, None),
    "past-int64": ("9223372036854775808", 9223372036854775808.0, False, None),
    "huge": ("9" * 10_000, INF, False, None),
}


@dataclass(frozen=True)
class Read:
    """The controller's reading of a query string: its kind and the sections it selects (None: 400 / 20620)."""

    query: bytes
    kind: str
    names: tuple[str, ...] | None
    dropped: tuple[str, ...] = ()
    json_error: str | None = None


def fields(text: str | bytes) -> bytes:
    """A query string `fields=<text>`, percent-encoded as a client sends it."""
    raw = text.encode() if isinstance(text, str) else text
    return b"fields=" + quote_from_bytes(raw, safe="").encode("ascii")


READ = {
    "absent": Read(b"sort_field=id", "absent", ("id",)),
    "list": Read(fields('["id","common"]'), "names", ("id", "common")),
    "document-order": Read(fields('["errors","id"]'), "names", ("id", "errors")),
    "unknown-dropped": Read(fields('["id","nope",1]'), "names", ("id",), ('"nope"', "1")),
    "duplicates": Read(fields('["common","common"]'), "names", ("common",)),
    "no-valid-name": Read(fields('["nope"]'), "no-valid-name", None, ('"nope"',)),
    "int-entry": Read(fields("[1]"), "no-valid-name", None, ("1",)),
    "nested-name": Read(fields('[["id"]]'), "no-valid-name", None, ('["id"]',)),
    "object-values-are-names": Read(fields('{"a":"common"}'), "names", ("common",)),
    "object-keys-are-not": Read(fields('{"id":"x"}'), "no-valid-name", None, ('"x"',)),
    "empty-object": Read(fields("{}"), "php-empty", ("id",)),
    "empty-list": Read(fields("[]"), "php-empty", ("id",)),
    "empty-text": Read(b"fields=", "not-json", ("id",), json_error="JSON_ERROR_SYNTAX"),
    "null": Read(fields("null"), "php-empty", ("id",)),
    "false": Read(fields("false"), "php-empty", ("id",)),
    "zero": Read(fields("0"), "php-empty", ("id",)),
    "zero-float": Read(fields("-0.0"), "php-empty", ("id",)),
    "empty-string": Read(fields('""'), "php-empty", ("id",)),
    "zero-string": Read(fields('"0"'), "php-empty", ("id",)),
    "string": Read(fields('"id"'), "not-an-array", None),
    "number": Read(fields("1"), "not-an-array", None),
    "true": Read(fields("true"), "not-an-array", None),
    "nan": Read(fields("[NaN]"), "not-json", ("id",), json_error="JSON_ERROR_SYNTAX"),
    "lone-surrogate": Read(fields('["\\ud800"]'), "not-json", ("id",), json_error="JSON_ERROR_UTF16"),
    "nested-512": Read(fields(nested(512)), "not-json", ("id",), json_error="JSON_ERROR_DEPTH"),
    "nested-513": Read(fields(nested(513)), "not-json", ("id",), json_error="JSON_ERROR_DEPTH"),
    "comma-list": Read(b"fields=id,common", "not-json", ("id",), json_error="JSON_ERROR_SYNTAX"),
    "bare-name": Read(b"fields=common", "not-json", ("id",), json_error="JSON_ERROR_SYNTAX"),
    "invalid-utf8": Read(b'fields=["%FF"]', "not-json", ("id",), json_error="JSON_ERROR_UTF8"),
    "brackets": Read(b"fields[]=id&fields[]=common", "not-a-string", ("id",)),
    "last-wins": Read(fields('["common"]') + b"&" + fields('["errors"]'), "names", ("errors",)),
    "brackets-after-json": Read(fields('["common"]') + b"&fields[]=x", "not-a-string", ("id",)),
    "json-after-brackets": Read(b"fields[]=x&" + fields('["common"]'), "names", ("common",)),
    "dotted-name-is-another": Read(b'fields.x=["common"]', "absent", ("id",)),
    "nul-in-name": Read(b'fields%00junk=["common"]', "names", ("common",)),
    "plus-is-space": Read(b'fields=["id",+"common"]', "names", ("id", "common")),
}
