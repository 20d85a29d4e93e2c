"""Reading a request as the PHP backend does: query string, path id, sort_field, unknown parameters."""

from __future__ import annotations

import pytest

from contract.spec import Contract
from mockserver.request_rules import (
    MAX_INPUT_VARS,
    Query,
    QueryParam,
    documented_query_parameters,
    php_number,
    quote,
    read_path_id,
    sort_field_warnings,
    unknown_parameter_warnings,
)

KNOWN_INDEX = frozenset({"sort_field"})
DOCUMENTED = frozenset({"sort_field", "fields"})


@pytest.mark.parametrize(
    ("query_string", "expected"),
    [
        (b"", ()),
        (b"a=1", (QueryParam("a", False, b"1"),)),
        (b"a", (QueryParam("a", False, b""),)),
        (b"a=1&&b=2", (QueryParam("a", False, b"1"), QueryParam("b", False, b"2"))),
        (b"a=x%3Dy=z", (QueryParam("a", False, b"x=y=z"),)),
        (b"a=b+c%20d", (QueryParam("a", False, b"b c d"),)),
        (b"a=%FF%zz", (QueryParam("a", False, b"\xff%zz"),)),
        (b"fields[]=id", (QueryParam("fields", True, b"id"),)),
        (b"fields%5B%5D=id", (QueryParam("fields", True, b"id"),)),
        (b"fields[=id", (QueryParam("fields[", False, b"id"),)),
        (b"sort.field=id", (QueryParam("sort_field", False, b"id"),)),
        (b"sort+field=id", (QueryParam("sort_field", False, b"id"),)),
    ],
    ids=repr,
)
def test_query_strings_parse_as_php_registers_variables(query_string: bytes, expected: tuple[QueryParam, ...]) -> None:
    """Pairs split on &, percent-decoding keeps raw bytes, [] marks arrays, dots and spaces become _."""
    assert Query.parse(query_string).params == expected


def test_the_last_assignment_is_the_one_php_keeps() -> None:
    """Of repeated variables PHP keeps the last value."""
    query = Query.parse(b"fields=a&x=1&fields=b")
    assert query.last("fields") == QueryParam("fields", False, b"b")
    assert query.names() == ["fields", "x"]
    assert query.last("missing") is None


def test_variables_past_max_input_vars_are_dropped_with_a_warning() -> None:
    """PHP's max_input_vars keeps the first 1000 variables; the mock says so."""
    query = Query.parse(b"&".join(b"v%d=1" % i for i in range(MAX_INPUT_VARS + 5)))
    assert len(query.params) == MAX_INPUT_VARS
    assert "max_input_vars" in query.warnings()[0]


def test_a_short_query_has_no_truncation_warning() -> None:
    """A query within max_input_vars gets no warning."""
    assert Query.parse(b"a=1").warnings() == []


def test_documented_query_parameters_come_from_the_document(contract: Contract) -> None:
    """Each operation's query parameters are read from openapi.yaml."""
    assert documented_query_parameters(contract) == {
        "listSendStatistics": frozenset({"sort_field"}),
        "viewSendStatistics": frozenset({"fields"}),
    }


@pytest.mark.parametrize(
    ("segment", "number"),
    [
        ("12", 12),
        ("012", 12),
        ("12abc", 12),
        (" 12", 12),
        ("+12", 12),
        ("-3", -3),
        ("1.5", 1.5),
        ("1.0", 1.0),
        ("1e1", 10.0),
        ("1e", 1),
        (".5", 0.5),
        ("abc", 0),
        ("", 0),
        ("0x1A", 0),
        ("99999999999999999999", 1e20),
        ("9223372036854775807", 2**63 - 1),
        ("9223372036854775808", 2.0**63),
    ],
)
def test_php_number_reads_the_numeric_prefix(segment: str, number: float) -> None:
    """`$id *= 1` reads the longest numeric prefix, int when it fits 64 bits, else float, 0 when none."""
    result = php_number(segment)
    assert result == number
    assert type(result) is type(number)


def test_php_number_survives_a_huge_digit_string() -> None:
    """100,000 digits overflow to a float instead of hitting Python's int digit limit."""
    assert php_number("9" * 100_000) == float("inf")


@pytest.mark.parametrize(
    ("segment", "mailing_id"), [("1", 1), ("42", 42), ("012", 12), ("9223372036854775807", 2**63 - 1)]
)
def test_a_plain_decimal_integer_names_a_mailing(segment: str, mailing_id: int) -> None:
    """Digits only, value >= 1 and within 64 bits, name a mailing without warnings."""
    assert read_path_id(segment) == (mailing_id, [])


@pytest.mark.parametrize("segment", ["0", "000", "-3", "1.5", "abc", "", "0x1A", "9" * 30, "١٢", "9223372036854775808"])
def test_other_segments_name_no_mailing_and_php_agrees(segment: str) -> None:
    """Segments PHP reads as no valid id (0, negative, fractional, overflowing) are 404 without a warning."""
    assert read_path_id(segment) == (None, [])


@pytest.mark.parametrize(("segment", "php_reads"), [("12abc", 12), (" 12", 12), ("+12", 12), ("1.0", 1), ("1e1", 10)])
def test_segments_php_reads_as_another_id_warn(segment: str, php_reads: int) -> None:
    """A segment PHP's `$id *= 1` reads as a valid id is 404 here, with a warning naming that id."""
    mailing_id, warnings = read_path_id(segment)
    assert mailing_id is None
    assert len(warnings) == 1
    assert f"reads it as {php_reads} " in warnings[0]


@pytest.mark.parametrize(
    ("query_string", "fragment"),
    [
        (b"limit=5&page=2", 'ignores "limit", "page" and lists every mailing'),
        (b"sortField=id", '"sortField" (did you mean "sort_field"?)'),
        (b"sort=id", '"sort" (did you mean "sort_field"?)'),
        (b"fields=%5B%5D", 'this operation does not read "fields"'),
        (b"bogus=1", 'unknown query parameter "bogus": the real service ignores it'),
    ],
)
def test_unknown_parameters_warn(query_string: bytes, fragment: str) -> None:
    """Parameters the operation does not read warn, with a guess at the meant one and paging explained."""
    warnings = unknown_parameter_warnings(Query.parse(query_string), KNOWN_INDEX, DOCUMENTED)
    assert len(warnings) == 1
    assert fragment in warnings[0]


def test_known_parameters_do_not_warn() -> None:
    """A documented parameter of the operation gets no warning."""
    assert unknown_parameter_warnings(Query.parse(b"sort_field=id"), KNOWN_INDEX, DOCUMENTED) == []


def test_many_unknown_parameters_collapse_into_a_count() -> None:
    """Past five unknown names the rest are counted, so the headers stay small."""
    query = Query.parse(b"&".join(b"u%d=1" % i for i in range(900)))
    warnings = unknown_parameter_warnings(query, KNOWN_INDEX, DOCUMENTED)
    assert len(warnings) == 6
    assert warnings[-1].startswith("895 more unknown query parameters")


@pytest.mark.parametrize(
    ("query_string", "warns"),
    [
        (b"", False),
        (b"sort_field=id", False),
        (b"sort_field=date", True),
        (b"sort_field=ID", True),
        (b"sort_field[]=id", True),
    ],
)
def test_sort_field_warns_unless_it_names_a_sortable_field(query_string: bytes, warns: bool) -> None:
    """Any sort_field value but a sortable name warns that the real service orders by id."""
    warnings = sort_field_warnings(Query.parse(query_string), ("id",))
    assert bool(warnings) is warns
    assert all("orders by id" in warning for warning in warnings)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("id", '"id"'), ("a\r\nX-Evil: 1", '"a\\r\\nX-Evil: 1"'), ("é", '"\\u00e9"'), ("x" * 70, '"' + "x" * 60 + '"...')],
)
def test_quote_makes_client_text_safe_for_a_header(text: str, expected: str) -> None:
    """Client text is JSON-quoted ASCII, control characters escaped, cut after 60 characters."""
    assert quote(text) == expected
