"""Hypothesis strategies: JSON and near-JSON bytes, query strings, path segments, PHP values and JSON data."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote_from_bytes

from hypothesis import strategies as st

from contract.php import INT_MAX, INT_MIN, PhpArray, PhpValue
from tests.contract.php.cases import ALLOWED

# Pieces that break JSON in every way PHP's scanner tells apart, and valid pieces in odd places.
FRAGMENTS = (
    *(b" ", b"\t", b"\n", b"\r", b"\x0c", b"\x0b", b"\x00", b"\x01", b"\x1f", b"\x7f"),
    *(
        b"\xff",
        b"\xc3",
        b"\xc3\xa9",
        b"\xc0\x80",
        b"\xed\xa0\x80",
        b"\xef\xbb\xbf",
        b"\xf0\x9f\x98\x80",
        b"\xe2\x80\xa8",
    ),
    *(b"[", b"]", b"{", b"}", b",", b":", b'"', b"\\", b"'", b"/"),
    *(b"\\u", b"\\ud800", b"\\udc00", b"\\ud83d\\ude00", b"\\u00e9", b"\\x", b'\\"', b"\\/"),
    *(b"NaN", b"Infinity", b"-Infinity", b"nan", b"true", b"false", b"null", b"TRUE", b"nul"),
    *(b"-", b"-0", b"0", b"01", b"1.", b".5", b"1e", b"1e5", b"1E+2", b"-0.0", b"1e999", b"0x1A"),
    *(b"9223372036854775807", b"9223372036854775808", b"-9223372036854775808", b"-9223372036854775809"),
    *(b'"id"', b'"common"', b'"0"', b'""', b"1" * 25),
)
_ESCAPES = (b'\\"', b"\\\\", b"\\/", b"\\b", b"\\f", b"\\n", b"\\r", b"\\t")
_KEYS = (b'"0"', b'"1"', b'"5"', b'"-5"', b'"05"', b'"-0"', b'"a"', b'"id"', b'""', b'" 1"', b'"1.0"')
_KEYS += (b'"9223372036854775807"', b'"9223372036854775808"', b'"-9223372036854775808"', b'"-9223372036854775809"')
_NUMBERS = (b"0", b"-0", b"-0.0", b"1E2", b"1e-2", b"0.1", b"1e400", b"-1e400", b"1e-400", b"2.5E+3")
_NUMBERS += (b"9223372036854775807", b"9223372036854775808", b"-9223372036854775808", b"-9223372036854775809")
_WHITESPACE = (b"", b"", b"", b" ", b"\n", b"\t", b"\r\n", b"  ")


def _unicode_escape(code: int, upper: bool) -> bytes:
    text = f"\\u{code:04X}" if upper else f"\\u{code:04x}"
    return text.encode("ascii")


def _string_piece() -> st.SearchStrategy[bytes]:
    """One piece of a string's body: a raw character, an escape, a \\u escape (lone surrogates too), a bad byte."""
    return st.one_of(
        st.characters(codec="utf-8", exclude_characters='"\\').map(lambda char: char.encode("utf-8")),
        st.sampled_from(_ESCAPES),
        st.builds(_unicode_escape, st.integers(0, 0xFFFF), st.booleans()),
        st.builds(
            lambda high, low: _unicode_escape(high, False) + _unicode_escape(low, True),
            st.integers(0xD800, 0xDBFF),
            st.integers(0xDC00, 0xDFFF),
        ),
        st.sampled_from((b"\x00", b"\x01", b"\n", b"\x7f", b"\xff", b"\xc3", b"\xed\xa0\x80", b"\\u12", b"\\q")),
    )


def _strings() -> st.SearchStrategy[bytes]:
    return st.lists(_string_piece(), max_size=6).map(lambda pieces: b'"' + b"".join(pieces) + b'"')


def _numbers() -> st.SearchStrategy[bytes]:
    return st.one_of(
        st.integers(-(2**70), 2**70).map(lambda number: str(number).encode()),
        st.floats(allow_nan=False, allow_infinity=False).map(lambda number: repr(number).encode()),
        st.builds(lambda digits, power: f"{digits}e{power}".encode(), st.integers(-999, 999), st.integers(-330, 330)),
        st.integers(1, 400).map(lambda length: b"7" * length),
        st.sampled_from(_NUMBERS),
    )


@st.composite
def _joined(draw: st.DrawFn, parts: list[bytes], open_: bytes, close: bytes) -> bytes:
    """Join parts with commas and random JSON whitespace around each token."""
    space = st.sampled_from(_WHITESPACE)
    inner = b",".join(draw(space) + part + draw(space) for part in parts)
    return open_ + inner + (draw(space) if not parts else b"") + close


def _containers(children: st.SearchStrategy[bytes]) -> st.SearchStrategy[bytes]:
    keys = st.sampled_from(_KEYS) | _strings()
    members = st.tuples(keys, children).map(lambda pair: pair[0] + b":" + pair[1])
    return st.one_of(
        st.lists(children, max_size=4).flatmap(lambda parts: _joined(parts, b"[", b"]")),
        st.lists(members, max_size=4).flatmap(lambda parts: _joined(parts, b"{", b"}")),
    )


def valid_json() -> st.SearchStrategy[bytes]:
    """JSON texts (by RFC 8259; PHP may still refuse some: lone surrogate escapes, depth)."""
    scalars = _strings() | _numbers() | st.sampled_from((b"null", b"true", b"false"))
    return st.recursive(scalars, _containers, max_leaves=12)


@st.composite
def _mutated(draw: st.DrawFn) -> bytes:
    """A JSON text with up to three edits: a fragment in, a byte out or replaced, the end cut, a close swapped."""
    text = bytearray(draw(valid_json()))
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        edit = draw(st.sampled_from(("insert", "delete", "replace", "cut", "swap")))
        closes = [index for index, byte in enumerate(text) if byte in b"]}"]
        if edit == "swap" and closes:
            # A close of the other kind: PHP's JSON_ERROR_STATE_MISMATCH.
            index = closes[draw(st.integers(0, len(closes) - 1))]
            text[index] = 0x7D if text[index] == 0x5D else 0x5D
        elif edit == "insert":
            text[at:at] = draw(st.sampled_from(FRAGMENTS))
        elif edit == "delete":
            del text[at : at + 1]
        elif edit == "replace":
            text[at : at + 1] = draw(st.sampled_from(FRAGMENTS))
        else:
            del text[at:]
    return bytes(text)


def _soup() -> st.SearchStrategy[bytes]:
    """Fragments strung together: mostly broken, sometimes JSON."""
    return st.lists(st.sampled_from(FRAGMENTS) | st.binary(max_size=2), max_size=10).map(b"".join)


@st.composite
def _deep(draw: st.DrawFn) -> bytes:
    """Arrays and objects nested around PHP's depth limit (510 to 514 levels), closed or not."""
    levels = draw(st.integers(508, 514))
    opener = draw(st.sampled_from((b"[", b'{"a":', b"[0,")))
    closer = b"}" if opener.startswith(b"{") else b"]"
    inner = draw(st.sampled_from((b"", b"1", b"[]", b"{}", b'"\\ud800"', b"\x01")))
    closes = levels + draw(st.integers(-1, 1))
    if inner == b"" and opener != b"[":
        inner = b"1"
    return opener * levels + inner + closer * max(closes, 0)


def json_texts() -> st.SearchStrategy[bytes]:
    """JSON and near-JSON bytes: valid texts, texts with edits, fragment soup, nesting around 512."""
    return st.one_of(valid_json(), _mutated(), _soup(), _deep())


# Query strings: the characters PHP's variable names treat specially, percent-encoded or raw.
_NAME_PARTS = (b"fields", b"a", b"x", b"5", b"-5", b"05", b"[", b"]", b"[]", b"[ ]", b" ", b".", b"+")
_NAME_PARTS += (b"%20", b"%5B", b"%5D", b"%2E", b"%00", b"%FF", b"%09", b"\t", b"\xff", b"%", b"%zz")
_VALUE_PARTS = (b"1", b"id", b"%22", b"%5B", b"%5D", b"+", b"%", b"%zz", b"%FF", b"=", b"[", b"%00", b"%2B", b"\xff")


def query_strings() -> st.SearchStrategy[bytes]:
    """Query strings of a few pieces whose names and values mix brackets, dots, spaces, escapes and raw bytes."""
    names = st.lists(st.sampled_from(_NAME_PARTS), max_size=6).map(b"".join)
    values = st.lists(st.sampled_from(_VALUE_PARTS), max_size=4).map(b"".join)
    pieces = st.tuples(names, st.booleans(), values).map(lambda p: p[0] + (b"=" + p[2] if p[1] else b""))
    return st.lists(pieces | st.just(b""), max_size=8).map(b"&".join)


def _percent(raw: bytes) -> bytes:
    return quote_from_bytes(raw, safe="").encode("ascii")


def _fields_json() -> st.SearchStrategy[bytes]:
    """`fields` values: lists and objects of names (valid, unknown, odd types), or any near-JSON text."""
    entries: st.SearchStrategy[Any] = st.sampled_from(
        (*ALLOWED, "nope", "ID", "id ", "", "0", 1, 0, True, False, None, 1.5, ["id"], {"a": "id"}, "Array")
    )
    listed = st.lists(entries, max_size=4).map(lambda items: json.dumps(items).encode())
    objects = st.dictionaries(st.sampled_from(("a", "0", "1", "id")), entries, max_size=3)
    return st.one_of(listed, objects.map(lambda items: json.dumps(items).encode()), json_texts())


def fields_queries() -> st.SearchStrategy[bytes]:
    """Query strings a client may send for `fields`: JSON (percent-encoded or raw), `fields[]`, repeated, mixed."""
    one = st.one_of(
        _fields_json().map(lambda text: b"fields=" + _percent(text)),
        _fields_json().map(lambda text: b"fields=" + text),
        st.sampled_from(ALLOWED).map(lambda name: b"fields[]=" + name.encode()),
        st.sampled_from((b"fields=id,common", b"fields", b"fields=", b"fields[x]=id", b"sort_field=id")),
    )
    return st.lists(one, min_size=1, max_size=3).map(b"&".join)


def path_segments() -> st.SearchStrategy[str]:
    """Path segments around PHP's numeric strings: signs, spaces, points, exponents, 64-bit edges, junk."""
    return st.one_of(
        st.text(alphabet=" \t\n\r\v\f+-.eE0123456789xabc\x00٣", max_size=12),
        st.integers(-(2**65), 2**65).map(str),
        st.builds(
            lambda number, suffix: number + suffix,
            st.sampled_from(("9223372036854775807", "9223372036854775808", "-9223372036854775808", "0" * 5 + "1")),
            st.sampled_from(("", " ", "x", "\x00", "0", ".0", "e1")),
        ),
        st.floats().map(repr),
    )


def _php_scalars() -> st.SearchStrategy[PhpValue]:
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(INT_MIN, INT_MAX),
        st.floats(),
        st.text(max_size=4),
        st.sampled_from(("", "0", "0.0", " ", "1", "id", "Array", "1.0E+15", "INF", "NAN", "-0", "0.3")),
    )


def php_values() -> st.SearchStrategy[PhpValue]:
    """PHP values: scalars of every type (all floats too) and small nested arrays with int and string keys."""
    keys = st.integers(-3, 5) | st.sampled_from(("a", "0", "05", "-0", "id", ""))

    def arrays(children: st.SearchStrategy[PhpValue]) -> st.SearchStrategy[PhpValue]:
        return st.lists(st.tuples(keys, children), max_size=4).map(PhpArray)

    return st.recursive(_php_scalars(), arrays, max_leaves=8)


def json_data() -> st.SearchStrategy[Any]:
    """JSON data json_encode can print without floats: null, booleans, 64-bit ints, any text, lists, objects."""
    keys = st.text(max_size=4) | st.sampled_from(("0", "1", "2", "-1", "05", "9223372036854775808", "a/b"))
    scalars = st.none() | st.booleans() | st.integers(INT_MIN, INT_MAX) | st.text(max_size=6)
    return st.recursive(
        scalars,
        lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=4),
        max_leaves=12,
    )
