"""PHP's value model without PHP: arrays and their keys, empty(), string forms, array_intersect, `* 1`."""

from __future__ import annotations

import pytest

from contract.php import INT_MAX, PhpArray, PhpValue, array_intersect, array_key, empty, multiply_by_one, short_json
from contract.php import strval as php_strval
from tests.contract.php._oracle import tag
from tests.contract.php.cases import EMPTY, INTERSECT, MULTIPLY, STRVAL, nested_value, php


@pytest.mark.parametrize(
    ("key", "stored"),
    [
        ("7", 7),
        ("-7", -7),
        ("0", 0),
        ("07", "07"),
        ("-0", "-0"),
        ("7 ", "7 "),
        (" 7", " 7"),
        ("+7", "+7"),
        ("1.0", "1.0"),
        ("9223372036854775807", INT_MAX),
        ("9223372036854775808", "9223372036854775808"),
        ("-9223372036854775808", -(2**63)),
        ("-9223372036854775809", "-9223372036854775809"),
        ("1" * 5000, "1" * 5000),
        ("٧", "٧"),
        (b"7", 7),
        (b"\xff", "\udcff"),
        (True, 1),
        (12, 12),
    ],
    ids=repr,
)
def test_keys_are_stored_as_php_stores_them(key: int | str | bytes, stored: int | str) -> None:
    """A canonical decimal string within 64 bits is an int key; anything else stays a string."""
    assert array_key(key) == stored
    assert type(array_key(key)) is type(stored)


def test_a_key_that_is_neither_int_nor_string_is_refused() -> None:
    """A float key has no PHP array key here: TypeError, not a silent guess."""
    with pytest.raises(TypeError, match="int or a string"):
        array_key(1.5)  # type: ignore[arg-type]


def test_every_way_in_normalises_the_key() -> None:
    """Construction, assignment, lookup, get, pop, setdefault and update all see "5" as 5."""
    array = PhpArray({"5": "a", "x": "b"})
    array[b"6"] = "c"
    array.update({"7": "d"}, [(b"8", "e")])
    assert list(array) == [5, "x", 6, 7, 8]
    assert (array["5"], array.get("6"), "7" in array, b"8" in array, 1.5 in array) == ("a", "c", True, True, False)
    assert array.setdefault("9", "f") == "f"
    assert array.setdefault("9", "g") == "f"
    assert array.pop("5") == "a"
    del array["x"]
    assert list(array) == [6, 7, 8, 9]


def test_assigning_an_existing_key_keeps_its_position() -> None:
    """PHP's hash update replaces the value in place: the last duplicate wins, in the first one's position."""
    array = PhpArray([("a", 1), ("b", 2), ("a", 3)])
    assert list(array.items()) == [("a", 3), ("b", 2)]


@pytest.mark.parametrize(
    ("keys", "appended_at"),
    [
        ([], 0),
        ([0, 1], 2),
        ([5], 6),
        ([-5], 0),
        ([3, -1], 4),
        (["a"], 0),
    ],
    ids=repr,
)
def test_append_uses_php7s_next_free_index(keys: list[int | str], appended_at: int) -> None:
    """`$a[] = v` goes one past the largest int key ever stored, never below 0 (PHP 7's nNextFreeElement)."""
    array = PhpArray((key, None) for key in keys)
    assert array.append("v")
    assert list(array)[-1] == appended_at


def test_append_remembers_deleted_keys() -> None:
    """Deleting the largest key does not lower the next index, as in PHP."""
    array = PhpArray([(0, "a"), (1, "b")])
    del array[1]
    array.append("c")
    assert list(array) == [0, 2]


def test_append_after_php_int_max_fails() -> None:
    """After the key PHP_INT_MAX there is no next index: PHP refuses the append (a warning) and so do we."""
    array = PhpArray([(INT_MAX, "a")])
    assert not array.append("b")
    assert list(array.values()) == ["a"]


def test_a_copy_keeps_values_and_the_next_index() -> None:
    """copy() is a PhpArray with the same entries that appends where the original would."""
    array = PhpArray([(5, "a")])
    del array[5]
    duplicate = array.copy()
    duplicate.append("b")
    assert (type(duplicate), list(duplicate)) == (PhpArray, [6])


@pytest.mark.parametrize(
    ("value", "is_list"),
    [(php([]), True), (php(["a", "b"]), True), (php({1: "a", 0: "b"}), False), (php({0: "a", 2: "b"}), False)],
    ids=repr,
)
def test_a_list_is_keyed_0_to_n_minus_1_in_order(value: PhpArray, is_list: bool) -> None:
    """is_list() is true exactly when json_encode would print a JSON list."""
    assert value.is_list() is is_list


def test_repr_of_a_deep_array_is_bounded() -> None:
    """A 100,000-deep array has a short repr, not a RecursionError."""
    text = repr(nested_value(100_000))
    assert text.startswith("PhpArray([[[[")
    assert len(text) < 250


@pytest.mark.parametrize(("value", "expected"), list(EMPTY.values()), ids=list(EMPTY))
def test_empty_is_phps(value: PhpValue, expected: bool) -> None:
    """empty() is true for null, false, 0, 0.0, -0.0, "", "0" and the empty array only."""
    assert empty(value) is expected


@pytest.mark.parametrize(("value", "expected"), list(STRVAL.values()), ids=list(STRVAL))
def test_string_forms_are_phps(value: PhpValue, expected: str) -> None:
    """strval() prints as PHP's (string) cast: floats with 14 significant digits, arrays as "Array"."""
    assert php_strval(value) == expected


def test_bytes_compare_as_their_bytes() -> None:
    """A string that is not UTF-8 keeps its bytes (as surrogate escapes), so it equals only itself."""
    assert php_strval(b"\xffid") == "\udcffid"
    assert php_strval(b"id") == "id"


@pytest.mark.parametrize(("values", "allowed", "expected"), list(INTERSECT.values()), ids=list(INTERSECT))
def test_array_intersect_is_phps(values: PhpArray, allowed: PhpArray, expected: PhpArray) -> None:
    """array_intersect keeps the first array's entries whose string form is allowed, keys and order too."""
    assert tag(array_intersect(values, allowed.values())) == tag(expected)


@pytest.mark.parametrize(("text", "expected"), list(MULTIPLY.values()), ids=list(MULTIPLY))
def test_multiply_by_one_is_php7s(text: str | bytes, expected: int | float) -> None:
    """`$text * 1` reads the numeric prefix as PHP 7 does, the int or float type included."""
    assert tag(multiply_by_one(text)) == tag(expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "null"),
        ("Скидки/", '"\\u0421\\u043a\\u0438\\u0434\\u043a\\u0438/"'),
        (b"\xff", '"\\udcff"'),
        (1.5, "1.5"),
        (php([1, [True]]), "[1,[true]]"),
        (php({"a": 1, 5: None}), '{"a":1,"5":null}'),
        ("x" * 100, '"' + "x" * 59 + "..."),
        (php(list(range(100))), "[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,..."),
    ],
    ids=["null", "text", "bytes", "float", "list", "object", "long-text", "long-list"],
)
def test_short_json_renders_and_cuts(value: PhpValue, expected: str) -> None:
    """short_json prints ASCII JSON text, cut after 60 characters with "..."."""
    assert short_json(value) == expected


def test_short_json_of_a_deep_or_huge_value_is_quick_and_short() -> None:
    """Depth and size do not matter: only what can show is looked at."""
    assert short_json(nested_value(100_000)) == "[" * 60 + "..."
    assert len(short_json(php(["x" * 1_000_000] * 1_000))) == 63
