"""The mock's X-Mock-Warning sentences, worded from contract/php's readings of a request."""

from __future__ import annotations

import json
from urllib.parse import quote_from_bytes

import pytest

from contract.php import MAX_INPUT_VARS, parse_query, read_fields, read_path_id
from contract.spec import Contract
from mockserver.http.warnings import (
    documented_query_parameters,
    fields_warnings,
    path_id_warnings,
    query_warnings,
    sort_field_warnings,
    unknown_parameter_warnings,
)

ALL = ("id", "common", "open_time", "click_statistic", "domain_statistic", "errors")
KNOWN_INDEX = frozenset({"sort_field"})
DOCUMENTED = frozenset({"sort_field", "fields"})
Read = tuple[tuple[str, ...] | None, list[str]]


def read(query_string: bytes) -> Read:
    """Read a raw query string's fields as the backend does, and the mock's warnings about it."""
    query = parse_query(query_string)
    reading = read_fields(query.value("fields"), ALL, ("id",))
    return reading.names, fields_warnings(query, reading, ALL, ("id",))


def read_value(text: str | bytes) -> Read:
    """Read `fields=<text>`, percent-encoded as a client's http_build_query would send it."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return read(b"fields=" + quote_from_bytes(raw, safe="").encode())


def test_the_document_gives_the_names_and_the_default(contract: Contract) -> None:
    """The six names and the default the tests use are openapi.yaml's."""
    assert (contract.field_names, contract.default_fields) == (ALL, ("id",))


def test_no_fields_is_the_default_without_warnings() -> None:
    """Without the parameter the answer is the default ["id"]."""
    assert read(b"") == (("id",), [])


@pytest.mark.parametrize(
    ("value", "names"),
    [
        ('["id","common"]', ("id", "common")),
        ('["common","id"]', ("id", "common")),
        ('["errors","errors","errors"]', ("errors",)),
        (json.dumps(list(reversed(ALL))), ALL),
        ('[ "open_time" ,\n"id" ]', ("id", "open_time")),
        ('["\\u0069d"]', ("id",)),
    ],
)
def test_a_list_of_valid_names_answers_exactly_those_without_warnings(value: str, names: tuple[str, ...]) -> None:
    """Valid names are answered in the order id, common, open_time, ...; id only when asked; no warnings."""
    assert read_value(value) == (names, [])


@pytest.mark.parametrize("value", ["", "[]", "{}", "null", "false", "0", "-0", "0.0", '""', '"0"'])
def test_php_empty_values_are_the_default_without_warnings(value: str) -> None:
    """[], {}, null, false, 0, "" and "0" are PHP-empty: the default, as the backend reads them."""
    assert read_value(value) == (("id",), [])


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (
            "id,common",
            'does not read comma-separated fields; it falls back to ["id"]; send a JSON array: fields=["id","common"]',
        ),
        ("common, errors", 'send a JSON array: fields=["common","errors"]'),
        ("common", 'a bare name in fields; it falls back to ["id"]; send a JSON array: fields=["common"]'),
        ("{bad", '"{bad" is not JSON for PHP: the real service falls back to ["id"]'),
        ("[1,]", "is not JSON for PHP"),
        ("[NaN]", "is not JSON for PHP"),
        ('["common"', "is not JSON for PHP"),
        ("'common'", "is not JSON for PHP"),
        ('\ufeff["common"]', "is not JSON for PHP"),
    ],
)
def test_text_php_does_not_decode_is_the_default_with_a_warning(value: str, fragment: str) -> None:
    """A value json_decode refuses falls back to the default, and the warning shows the fix."""
    names, warnings = read_value(value)
    assert names == ("id",)
    assert len(warnings) == 1
    assert fragment in warnings[0]


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ('"common"', "string"),
        ("1", "number"),
        ("-1", "number"),
        ("1.5", "number"),
        ("1e999", "number"),
        ("123456789012345678901234567890", "number"),
        ("1" * 5000, "number"),
        ("true", "boolean"),
    ],
)
def test_json_that_is_not_an_array_is_the_400(value: str, kind: str) -> None:
    """A non-empty string, a non-zero number or true answers 400 (PHP 7's array_intersect gave null)."""
    names, warnings = read_value(value)
    assert names is None
    assert f"fields is a JSON {kind}, not an array" in warnings[0]


def test_an_object_is_read_by_its_values_with_a_warning() -> None:
    """json_decode($fields, true) makes an object an array: its values are the names, as PHP reads them."""
    names, warnings = read_value('{"a":"common","b":"bogus"}')
    assert names == ("common",)
    assert 'dropped, as it does: "bogus"' in warnings[0]
    assert "fields is a JSON object: the real service (json_decode($fields, true)) reads its values" in warnings[1]


@pytest.mark.parametrize(
    "value", ['["bogus"]', "[1]", "[null]", "[true]", '[["id"]]', '[{"id":1}]', '["ID"]', '[" id"]', '{"id":"x"}']
)
def test_an_array_without_a_valid_name_is_the_400(value: str) -> None:
    """Only a string value equal to a name matches (PHP compares string forms), so these name nothing."""
    names, warnings = read_value(value)
    assert names is None
    assert "names no valid section" in warnings[0]


def test_unknown_entries_beside_a_valid_name_are_dropped_with_a_warning() -> None:
    """Unknown entries are dropped as the backend does, and the warning names them."""
    assert read_value('["common","bogus",1,null]') == (
        ("common",),
        ['fields entries unknown to the real service were dropped, as it does: "bogus", 1, null'],
    )


@pytest.mark.parametrize(
    ("query_string", "names", "fragments"),
    [
        (b"fields[]=id", ("id",), ["does not read fields[]="]),
        (b"fields[0]=common", ("id",), ["does not read fields[]="]),
        (b"fields[]=common&fields[]=id", ("id",), ["does not read fields[]="]),
        (b'fields=["common"]&fields[]=errors', ("id",), ["given 2 times", "does not read fields[]="]),
        (b'fields[]=errors&fields=["common"]', ("common",), ["given 2 times"]),
        (
            b'fields=["id"]&fields=["common"]',
            ("common",),
            ["given 2 times: the real service (PHP) keeps only the last"],
        ),
        (b"fields=id&fields=common", ("id",), ["given 2 times", "a bare name in fields"]),
    ],
)
def test_other_list_forms_are_read_as_php_reads_them(
    query_string: bytes, names: tuple[str, ...], fragments: list[str]
) -> None:
    """fields[]= is an array json_decode cannot read; of repeated fields= PHP keeps the last."""
    found, warnings = read(query_string)
    assert found == names
    assert len(warnings) == len(fragments)
    assert all(fragment in warning for fragment, warning in zip(fragments, warnings, strict=True))


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (b'["common","\xff"]', "not valid UTF-8"),
        (b'["common","\xc3"]', "not valid UTF-8"),
        (b'["common","\\ud800"]', "unpaired UTF-16 surrogate"),
        (b'["common",{"\\udc00":1}]', "unpaired UTF-16 surrogate"),
        (b'["common","a\x01"]', "raw control character"),
    ],
)
def test_values_php_refuses_are_the_default_with_the_reason(raw: bytes, fragment: str) -> None:
    """Invalid UTF-8, lone surrogates and raw controls make json_decode return null: the default."""
    names, warnings = read_value(raw)
    assert names == ("id",)
    assert fragment in warnings[0]


def nested(depth: int) -> str:
    """A list holding "common" and lists nested to depth levels in all."""
    return '["common",' + "[" * (depth - 1) + "]" * (depth - 1) + "]"


def test_nesting_within_phps_decode_depth_is_read() -> None:
    """511 levels are within json_decode's default depth (512 counts the top level): "common" is answered."""
    names, warnings = read_value(nested(511))
    assert names == ("common",)
    assert warnings == ["fields entries unknown to the real service were dropped, as it does: " + "[" * 60 + "..."]


@pytest.mark.parametrize("depth", [512, 100_000])
def test_nesting_past_phps_decode_depth_is_the_default(depth: int) -> None:
    """From 512 levels json_decode returns null: the default with a warning, never a crash."""
    names, warnings = read_value(nested(depth))
    assert names == ("id",)
    assert "nested deeper than PHP's json_decode accepts" in warnings[0]


def test_ten_thousand_names_are_read_and_the_warning_stays_short() -> None:
    """A 10,000-name list is answered; the warning lists five dropped names and counts the rest."""
    names, warnings = read_value(json.dumps(["id", *(f"x{i}" for i in range(10_000))]))
    assert names == ("id",)
    assert warnings[0].endswith('"x3", "x4" and 9995 more')
    assert len(warnings[0]) < 300


def test_variables_past_max_input_vars_are_dropped_with_a_warning() -> None:
    """PHP's max_input_vars keeps the first 1000 variables; the mock says so."""
    query = parse_query(b"&".join(b"v%d=1" % i for i in range(MAX_INPUT_VARS + 5)))
    assert len(query.assignments) == MAX_INPUT_VARS
    assert "max_input_vars" in query_warnings(query)[0]
    assert query_warnings(parse_query(b"a=1")) == []


def test_documented_query_parameters_come_from_the_document(contract: Contract) -> None:
    """Each operation's query parameters are read from openapi.yaml."""
    assert documented_query_parameters(contract) == {
        "listSendStatistics": frozenset({"sort_field"}),
        "viewSendStatistics": frozenset({"fields"}),
    }


@pytest.mark.parametrize("segment", ["1", "42", "012", "0", "-3", "1.5", "abc", "", "0x1A", "9" * 30, "١٢"])
def test_segments_php_reads_as_no_other_mailing_do_not_warn(segment: str) -> None:
    """Digits (what the routes take) and segments PHP reads as no valid id get no warning."""
    assert path_id_warnings(segment, read_path_id(segment)) == []


@pytest.mark.parametrize(("segment", "php_reads"), [("12abc", 12), (" 12", 12), ("+12", 12), ("1.0", 1), ("1e1", 10)])
def test_segments_php_reads_as_another_id_warn(segment: str, php_reads: int) -> None:
    """A segment PHP's `$id *= 1` reads as a valid id is 404 here, with a warning naming that id."""
    warnings = path_id_warnings(segment, read_path_id(segment))
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
        (b"sort.field=date&bogus[]=1", 'unknown query parameter "bogus"'),
    ],
)
def test_unknown_parameters_warn(query_string: bytes, fragment: str) -> None:
    """Parameters the operation does not read warn, with a guess at the meant one and paging explained."""
    warnings = unknown_parameter_warnings(parse_query(query_string), KNOWN_INDEX, DOCUMENTED)
    assert len(warnings) == 1
    assert fragment in warnings[0]


def test_known_parameters_do_not_warn() -> None:
    """A documented parameter of the operation gets no warning; PHP reads sort.field as sort_field."""
    assert unknown_parameter_warnings(parse_query(b"sort_field=id&sort.field=id"), KNOWN_INDEX, DOCUMENTED) == []


def test_many_unknown_parameters_collapse_into_a_count() -> None:
    """Past five unknown names the rest are counted, so the headers stay small."""
    query = parse_query(b"&".join(b"u%d=1" % i for i in range(900)))
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
        (b"sort_field=date&sort_field=id", False),
    ],
)
def test_sort_field_warns_unless_it_names_a_sortable_field(query_string: bytes, warns: bool) -> None:
    """Any sort_field value but a sortable name (the last one, as PHP keeps it) warns that id orders."""
    warnings = sort_field_warnings(parse_query(query_string), ("id",))
    assert bool(warnings) is warns
    assert all("orders by id" in warning for warning in warnings)
