"""PHP json_encode emulation, against outputs written by hand from PHP's documented behaviour."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contract.php.json_encode import (
    MAX_DEPTH,
    PhpJsonError,
    PhpJsonFlag,
    _encode,
    _php_string,
    _plain,
    _string,
    encode,
    encode_records,
    parse_flags,
)

UNICODE = PhpJsonFlag.JSON_UNESCAPED_UNICODE
SLASHES = PhpJsonFlag.JSON_UNESCAPED_SLASHES


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "null"),
        (True, "true"),
        (False, "false"),
        (0, "0"),
        (-17, "-17"),
        (2**63 - 1, "9223372036854775807"),
        (-(2**63), "-9223372036854775808"),
        ("", '""'),
        ([], "[]"),
        ({}, "[]"),
        ([1, "a", None], '[1,"a",null]'),
        ((1, 2), "[1,2]"),
        ({"a": 1, "b": [True]}, '{"a":1,"b":[true]}'),
        ({0: "a", 1: "b"}, '["a","b"]'),
        ({"0": "a", "1": "b"}, '["a","b"]'),
        ({1: "b", 0: "a"}, '{"1":"b","0":"a"}'),
        ({1: "a", 2: "b"}, '{"1":"a","2":"b"}'),
        ({0: "a", 2: "b"}, '{"0":"a","2":"b"}'),
        ({0: 7}, "[7]"),
        ({"00": 7}, '{"00":7}'),
        ({"-0": 7}, '{"-0":7}'),
        ({" 0": 7}, '{" 0":7}'),
        ({-1: 7}, '{"-1":7}'),
        ({"9223372036854775808": 1}, '{"9223372036854775808":1}'),
        ({"z": 1, "a": 2}, '{"z":1,"a":2}'),
        ({0: {}, 1: {"k": []}}, '[[],{"k":[]}]'),
    ],
    ids=repr,
)
def test_values_encode_as_php_prints_them(value: Any, expected: str) -> None:
    """Scalars, lists and PHP arrays print as json_encode with default flags prints them."""
    assert encode(value) == expected.encode()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain", r'"plain"'),
        ('say "hi"', r'"say \"hi\""'),
        ("back\\slash", r'"back\\slash"'),
        ("a/b", r'"a\/b"'),
        ("https://example.com/", r'"https:\/\/example.com\/"'),
        ("\b\f\n\r\t", r'"\b\f\n\r\t"'),
        ("\x00\x01\x1f", r'"\u0000\u0001\u001f"'),
        ("\x7f", '"\x7f"'),
        ("é", r'"\u00e9"'),
        ("Скидки", r'"\u0421\u043a\u0438\u0434\u043a\u0438"'),
        ("—", r'"\u2014"'),
        ("\u2028\u2029", r'"\u2028\u2029"'),
        ("🔥", r'"\ud83d\udd25"'),
        ("a😀b", r'"a\ud83d\ude00b"'),
        ("\U00010000", r'"\ud800\udc00"'),
        ("\U0010ffff", r'"\udbff\udfff"'),
    ],
    ids=repr,
)
def test_strings_are_escaped_as_php_does_by_default(text: str, expected: str) -> None:
    """Non-ASCII is \\uXXXX in lowercase hex (astral characters as surrogate pairs), / is \\/, DEL stays raw."""
    assert encode(text) == expected.encode()


@pytest.mark.parametrize(
    ("text", "flags", "expected"),
    [
        ("a/b", SLASHES, '"a/b"'),
        ("a/b", UNICODE, r'"a\/b"'),
        ("é🔥", UNICODE, '"é🔥"'),
        ("é/", UNICODE | SLASHES, '"é/"'),
        ('"\n', UNICODE | SLASHES, r'"\"\n"'),
        ("\u2028", UNICODE, r'"\u2028"'),
        ("\u2028", UNICODE | PhpJsonFlag.JSON_UNESCAPED_LINE_TERMINATORS, '"\u2028"'),
        ("\u2028", PhpJsonFlag.JSON_UNESCAPED_LINE_TERMINATORS, r'"\u2028"'),
    ],
    ids=repr,
)
def test_flags_turn_escaping_off_as_in_php(text: str, flags: PhpJsonFlag, expected: str) -> None:
    """JSON_UNESCAPED_SLASHES and JSON_UNESCAPED_UNICODE print raw UTF-8; U+2028/9 need the third flag."""
    assert encode(text, flags) == expected.encode("utf-8")


def test_the_seeds_example_prints_byte_for_byte() -> None:
    """The seed's full view example, built as PHP arrays, prints as the backend's compact JSON."""
    body = {
        "id": 1,
        "common": {"count": 1, "delivered": 1, "bounce": 0, "opened": 1, "clicked": 0, "spam": 0, "unsubs": 0},
        "open_time": {1474279200: 1},
        "click_statistic": {},
        "domain_statistic": {"example.com": {"delivered": 1, "bounce": 0}},
        "errors": {},
    }
    expected = (
        '{"id":1,"common":{"count":1,"delivered":1,"bounce":0,"opened":1,"clicked":0,"spam":0,"unsubs":0},'
        '"open_time":{"1474279200":1},"click_statistic":[],'
        '"domain_statistic":{"example.com":{"delivered":1,"bounce":0}},"errors":[]}'
    )
    assert encode(body) == expected.encode()


def test_output_decodes_to_the_same_data_as_its_input() -> None:
    """Whatever the escaping, a JSON decoder reads back the strings that went in."""
    text = 'Скидки до 50% 🔥 "/" \\ \x7f \u2028'
    assert json.loads(encode({"t": text})) == {"t": text}
    assert json.loads(encode({"t": text}, UNICODE | SLASHES)) == {"t": text}


def test_nesting_up_to_phps_default_depth_encodes() -> None:
    """512 nested arrays are within json_encode's default depth."""
    value: Any = 0
    for _ in range(MAX_DEPTH):
        value = [value]
    assert encode(value) == b"[" * MAX_DEPTH + b"0" + b"]" * MAX_DEPTH


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(2**63, id="int-beyond-64-bits"),
        pytest.param(-(2**63) - 1, id="int-below-64-bits"),
        pytest.param(1.5, id="float"),
        pytest.param({1.5: 1}, id="float-key"),
        pytest.param(b"bytes", id="bytes"),
        pytest.param({0: "a", "0": "b"}, id="colliding-keys"),
        pytest.param("\ud800", id="lone-surrogate"),
        pytest.param({"\udc00": 1}, id="lone-surrogate-key"),
    ],
)
def test_values_php_cannot_encode_are_refused(value: Any) -> None:
    """What json_encode would fail on (or the emulation does not guess at) raises PhpJsonError."""
    with pytest.raises(PhpJsonError):
        encode(value)


def test_nesting_past_the_default_depth_is_refused() -> None:
    """513 nested arrays exceed json_encode's default depth of 512."""
    value: Any = []
    for _ in range(MAX_DEPTH):
        value = [value]
    with pytest.raises(PhpJsonError, match="depth"):
        encode(value)


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        (None, PhpJsonFlag.NONE),
        (0, PhpJsonFlag.NONE),
        (320, UNICODE | SLASHES),
        ("JSON_UNESCAPED_UNICODE", UNICODE),
        (["json_unescaped_slashes", "JSON_UNESCAPED_UNICODE"], UNICODE | SLASHES),
        ((), PhpJsonFlag.NONE),
    ],
)
def test_flags_are_read_from_config(config: Any, expected: PhpJsonFlag) -> None:
    """Config gives flags as PHP's bitmask or as the constants' names."""
    assert parse_flags(config) == expected


@pytest.mark.parametrize("config", [1, -1, True, "JSON_PRETTY_PRINT", ["JSON_UNESCAPED_UNICODE", "nope"]])
def test_unknown_flags_are_refused(config: Any) -> None:
    """A flag the emulation does not implement is an error, not silently ignored."""
    with pytest.raises(PhpJsonError):
        parse_flags(config)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=())))
def test_fast_string_quoting_matches_the_php_rules(text: str) -> None:
    """With default flags, the C-encoder shortcut quotes every string exactly as the PHP rules do, or both refuse."""
    try:
        expected = _php_string(text, PhpJsonFlag.NONE)
    except PhpJsonError:
        with pytest.raises(PhpJsonError):
            _string(text, PhpJsonFlag.NONE)
        return
    assert _string(text, PhpJsonFlag.NONE) == expected


# Keys and strings near every rule of the shortcut: list-like keys, "0", int-like strings, 64-bit bounds,
# DEL, lone surrogates, slashes, astral characters.
KEYS = st.one_of(
    st.integers(-3, 3),
    st.sampled_from([2**63 - 1, 2**63, -(2**63), 1474279200]),
    st.sampled_from(["0", "1", "-1", "01", "a", "a/b", "\x7f", "\ud800", "é", "🔥", "", "{}", "{", "}"]),
    st.text(max_size=4),
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**64), 2**64),
    st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=6),
    st.sampled_from(["\x7f", "a\x7fb", "x\ud800", "\udc00y", "a/b", "🔥", "{}", "a{}", "{", "}"]),
    st.floats(allow_nan=False, max_value=10, min_value=-10),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(KEYS, inner, max_size=4),
        st.lists(inner, max_size=3).map(lambda items: dict(enumerate(items))),
    ),
    max_leaves=12,
)


def general(value: Any) -> bytes | type[PhpJsonError]:
    """The long way's output, or PhpJsonError when it refuses."""
    try:
        return _encode(value, PhpJsonFlag.NONE)
    except PhpJsonError:
        return PhpJsonError


@settings(max_examples=1500, deadline=None)
@given(VALUES)
def test_the_shortcut_prints_what_the_long_way_prints(value: Any) -> None:
    """With default flags, encode() gives the long way's bytes for every value, or refuses as it does."""
    expected = general(value)
    if expected is PhpJsonError:
        assert not _plain(value)
        with pytest.raises(PhpJsonError):
            encode(value)
    else:
        assert encode(value) == expected


@pytest.mark.parametrize(
    ("value", "plain"),
    [
        ({"id": 1, "common": {"count": 2}, "open_time": {1474279200: 1}, "urls": {"https://a.b/c": 3}}, True),
        ({0: 1, 6: 2}, True),
        ({0: 1, 1: 2}, False),
        ({"0": 1, "a": 2}, False),
        ({}, True),
        ({"a": {}, "b": [{}]}, True),
        ({"a": "{}"}, False),
        ({1: 1, "a": 2}, False),
        ({"a": "\x7f"}, False),
        (["\udc00"], False),
        ([2**63], False),
        ([1.0], False),
    ],
    ids=repr,
)
def test_the_shortcut_takes_plain_values_only(value: Any, plain: bool) -> None:
    """Bodies of the API (empty maps too) take the shortcut; PHP lists, mixed keys, DEL, big ints and floats do not."""
    assert _plain(value) is plain


RECORD_KEYS = st.lists(st.sampled_from(["id", "letter_title", "0", "1", "a/b", "%s", "{}", "", "é"]), max_size=3)
RECORD_VALUES = st.one_of(
    st.integers(-(2**64), 2**64),
    st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=5),
    st.sampled_from(["\x7f", "x\ud800", "{}", "a/b", "%s", "🔥", ""]),
    st.none(),
    st.booleans(),
)


@settings(max_examples=1000, deadline=None)
@given(RECORD_KEYS, st.integers(0, 4), st.data())
def test_records_print_as_their_dicts_do(keys: list[str], count: int, data: st.DataObject) -> None:
    """encode_records(keys, rows) prints what encode() prints for the rows as dicts, or refuses as it does."""
    column_values = [data.draw(st.lists(RECORD_VALUES, min_size=count, max_size=count)) for _ in keys]
    rows = [tuple(column[n] for column in column_values) for n in range(count)]
    try:
        expected: bytes | type[PhpJsonError] = encode([dict(zip(keys, row, strict=True)) for row in rows])
    except PhpJsonError:
        expected = PhpJsonError
    if expected is PhpJsonError:
        with pytest.raises(PhpJsonError):
            encode_records(keys, rows)
    else:
        assert encode_records(keys, rows) == expected


def test_index_records_take_the_shortcut() -> None:
    """Ids and subject lines (Cyrillic, emoji, slashes) print in one go, as their dicts do."""
    rows = [(1, "Скидки 50% / 🔥"), (2, "a"), (9, "")]
    assert encode_records(("id", "letter_title"), rows) == encode([{"id": i, "letter_title": t} for i, t in rows])
