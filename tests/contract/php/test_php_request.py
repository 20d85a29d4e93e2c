"""Values, $_GET, `$x * 1` and the controller against real PHP: every explicit case, then hypothesis' inputs."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from contract.php import (
    PhpArray,
    PhpValue,
    array_intersect,
    empty,
    multiply_by_one,
    parse_query,
    read_fields,
    short_json,
    strval,
)
from tests.contract.php._oracle import PhpOracle, tag, untag
from tests.contract.php.cases import (
    ALLOWED,
    DEFAULT,
    EMPTY,
    INTERSECT,
    MULTIPLY,
    PARSE,
    PATH,
    READ,
    STRVAL,
    Parse,
    Read,
)
from tests.contract.php.strategies import fields_queries, path_segments, php_values, query_strings

_NEGATIVE_INT = re.compile(r"-[1-9][0-9]*")


@pytest.mark.parametrize(("value", "expected"), list(EMPTY.values()), ids=list(EMPTY))
def test_php_agrees_on_each_empty_case(php: PhpOracle, value: PhpValue, expected: bool) -> None:
    """Real PHP's empty() gives each explicit case's answer."""
    assert php.empty([value]) == [expected]


@pytest.mark.parametrize(("value", "expected"), list(STRVAL.values()), ids=list(STRVAL))
def test_php_agrees_on_each_string_form(php: PhpOracle, value: PhpValue, expected: str) -> None:
    """Real PHP's string conversion gives each explicit case's text."""
    assert php.strval([value]) == [expected]


@pytest.mark.parametrize(("values", "allowed", "expected"), list(INTERSECT.values()), ids=list(INTERSECT))
def test_php_agrees_on_each_intersection(
    php: PhpOracle, values: PhpArray, allowed: PhpArray, expected: PhpArray
) -> None:
    """Real PHP's array_intersect gives each explicit case's array."""
    assert php.array_intersect(values, allowed) == tag(expected)


@settings(max_examples=300, deadline=None)
@given(st.lists(php_values(), min_size=1, max_size=20))
def test_empty_and_strval_match_php(php: PhpOracle, values: list[PhpValue]) -> None:
    """empty() and strval() agree with PHP on values of every type, all floats included."""
    assert [empty(value) for value in values] == php.empty(values)
    assert [strval(value) for value in values] == php.strval(values)


@settings(max_examples=300, deadline=None)
@given(php_values(), php_values())
def test_array_intersect_matches_php(php: PhpOracle, values: PhpValue, allowed: PhpValue) -> None:
    """array_intersect() keeps what PHP keeps, with PHP's keys and order (only arrays are intersected)."""
    assume(isinstance(values, PhpArray))
    assume(isinstance(allowed, PhpArray))
    assert isinstance(values, PhpArray)
    assert isinstance(allowed, PhpArray)
    assert tag(array_intersect(values, allowed.values())) == php.array_intersect(values, allowed)


@pytest.mark.parametrize("case", list(PARSE.values()), ids=list(PARSE))
def test_php_agrees_on_each_query(php: PhpOracle, case: Parse) -> None:
    """Real PHP's parse_str gives each explicit case's $_GET (PHP 8's own where it departs from PHP 7)."""
    expected = case.get if case.php8 is None else case.php8
    assert php.parse_str([case.query]) == [tag(expected)]


def php8_differs(query: bytes) -> bool:
    """Whether PHP 8 reads a query otherwise than PHP 7, so that the PHP 8.2 installed here cannot judge ours."""
    # Two known changes: after an unclosed `[` PHP >= 8.0 also turns ` `, `.` and `[` into `_` (bug #78236),
    # and PHP >= 8.0 appends after negative keys at the largest key + 1 where PHP 7 appends at 0.
    parsed = parse_query(query)
    for assignment in parsed.assignments:
        name = assignment.name
        if not assignment.indices and "_" in name and any(mark in name for mark in " .["):
            return True
    negative = any(_NEGATIVE_INT.fullmatch(index or "") for a in parsed.assignments for index in a.indices)
    appends = any(index is None for a in parsed.assignments for index in a.indices)
    return negative and appends


@settings(max_examples=400, deadline=None)
@given(st.lists(query_strings(), min_size=1, max_size=20))
def test_parse_query_matches_php(php: PhpOracle, queries: list[bytes]) -> None:
    """$_GET is PHP's: names, brackets, escapes, last assignment wins, for queries PHP 7 and 8 read alike."""
    queries = [query for query in queries if not php8_differs(query)]
    assume(queries)
    for query, expected in zip(queries, php.parse_str(queries), strict=True):
        assert tag(parse_query(query).get) == expected, query


@pytest.mark.parametrize(("text", "expected"), list(MULTIPLY.values()), ids=list(MULTIPLY))
def test_php_agrees_on_each_multiplication(php: PhpOracle, text: str | bytes, expected: float) -> None:
    """Real PHP's `$text * 1` gives each explicit case's number and type (0 where PHP 8 throws, as PHP 7 gave)."""
    assert php.multiply([text]) == [tag(expected)]


@pytest.mark.parametrize(("segment", "number"), [(case[0], case[1]) for case in PATH.values()], ids=list(PATH))
def test_php_agrees_on_each_path_number(php: PhpOracle, segment: str, number: float) -> None:
    """Real PHP reads each explicit path segment as the number the case names."""
    assert php.multiply([segment]) == [tag(number)]


@settings(max_examples=400, deadline=None)
@given(st.lists(path_segments(), min_size=1, max_size=25))
def test_multiply_by_one_matches_php(php: PhpOracle, segments: list[str]) -> None:
    """`$segment * 1` is PHP's number, int or float, for signs, spaces, points, exponents and 64-bit edges."""
    for segment, expected in zip(segments, php.multiply(segments), strict=True):
        assert tag(multiply_by_one(segment)) == expected, segment


def _php_reading(result: dict[str, Any]) -> tuple[object, ...]:
    """The parts of oracle.php's controller answer that a reading must match."""
    dropped = untag(result["dropped"])
    assert isinstance(dropped, PhpArray)
    names = tuple(result["names"]) if result["status"] == 200 else None
    return names, result["decoded"], result["error"], tuple(short_json(entry) for entry in dropped.values())


@pytest.mark.parametrize("case", list(READ.values()), ids=list(READ))
def test_php_agrees_on_each_fields_reading(php: PhpOracle, case: Read) -> None:
    """The controller snippet under real PHP selects each case's sections (or 400s) and drops its entries."""
    [result] = php.controller([case.query], ALLOWED, DEFAULT)
    names, _, error, dropped = _php_reading(result)
    assert (names, error, dropped) == (case.names, case.json_error, case.dropped)


@settings(max_examples=250, deadline=None)
@given(st.lists(fields_queries(), min_size=1, max_size=20))
def test_read_fields_matches_the_controller_under_php(php: PhpOracle, queries: list[bytes]) -> None:
    """For any `fields` a client may send, our reading is the controller's: 200 with its sections, or 400."""
    queries = [query for query in queries if not php8_differs(query)]
    assume(queries)
    for query, result in zip(queries, php.controller(queries, ALLOWED, DEFAULT), strict=True):
        reading = read_fields(parse_query(query).value("fields"), ALLOWED, DEFAULT)
        ours = (reading.names, tag(reading.decoded), reading.json_error, reading.dropped)
        assert ours == _php_reading(result), query
