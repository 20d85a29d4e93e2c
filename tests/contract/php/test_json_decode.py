"""json_decode without PHP: every rule's explicit case, depth and size limits, no exception on any bytes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contract.php import JSON_ERRORS, JsonDecoded, PhpArray, json_decode
from tests.contract.php._oracle import tag
from tests.contract.php.cases import Decode, decode_params, nested
from tests.contract.php.strategies import json_texts


@pytest.mark.parametrize("case", decode_params())
def test_each_rule_decodes_as_php(case: Decode) -> None:
    """Each explicit case gives PHP's value (types, key order, -0.0 included) and PHP's error constant."""
    decoded = json_decode(case.raw, case.depth)
    assert (tag(decoded.value), decoded.error) == (tag(case.value), case.error)


def test_a_failed_decode_is_null_with_the_error() -> None:
    """The result is a (value, error) pair; on error the value is null, as json_decode returns."""
    assert json_decode(b"[1,") == JsonDecoded(None, "JSON_ERROR_SYNTAX")
    assert json_decode(b"[1]").error is None


def test_objects_and_lists_are_php_arrays() -> None:
    """A JSON object and a JSON list both decode to PhpArray (JSON_OBJECT_AS_ARRAY)."""
    value = json_decode(b'{"a":[1]}').value
    assert isinstance(value, PhpArray)
    assert isinstance(value["a"], PhpArray)


def test_deep_nesting_needs_no_recursion() -> None:
    """4,998 nested arrays (beyond Python's recursion limit) decode when $depth allows them."""
    value = json_decode(nested(4_998), depth=5_000).value
    levels = 0
    while isinstance(value, PhpArray) and value:
        value, levels = value[0], levels + 1
    assert levels == 4_997


def test_ten_thousand_digit_numbers_need_no_int_conversion() -> None:
    """Past 19 digits an integer is a float: 10,000 digits read without Python's 4,300-digit int limit."""
    assert json_decode(b"-" + b"9" * 10_000).value == float("-inf")
    assert json_decode(b"[1" + b"0" * 300 + b"]").value == PhpArray([(0, 1e300)])


def test_depth_must_be_positive() -> None:
    """A $depth below 1 is a programming error (PHP 8 throws ValueError too)."""
    with pytest.raises(ValueError, match="greater than 0"):
        json_decode(b"1", depth=0)


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=200) | json_texts())
def test_any_bytes_give_a_value_or_a_php_error(raw: bytes) -> None:
    """No input raises: the answer is a value without error, or null with one of PHP's error constants."""
    decoded = json_decode(raw)
    assert decoded.error is None or (decoded.value is None and decoded.error in JSON_ERRORS.values())
