"""The `fields` parameter read as the backend does: json_decode, PHP empty(), array_intersect."""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import quote_from_bytes

import pytest

from contract.spec import Contract
from mockserver.fields import PHP_DECODE_DEPTH, FieldsChoice, read_fields
from mockserver.request_rules import Query

ALL = ("id", "common", "open_time", "click_statistic", "domain_statistic", "errors")


Read = Callable[[bytes], FieldsChoice]


@pytest.fixture
def read(contract: Contract) -> Read:
    """Read a raw query string's fields with the document's names and default."""

    def read(query_string: bytes) -> FieldsChoice:
        return read_fields(Query.parse(query_string), contract.field_names, contract.default_fields)

    return read


def fields(text: str | bytes) -> bytes:
    """Build `fields=<text>` percent-encoded, as a client's http_build_query would."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return b"fields=" + quote_from_bytes(raw, safe="").encode()


def read_value(contract: Contract, text: str | bytes) -> FieldsChoice:
    """Read a `fields` value against the document's names and default."""
    return read_fields(Query.parse(fields(text)), contract.field_names, contract.default_fields)


def test_the_document_gives_the_names_and_the_default(contract: Contract) -> None:
    """The six names and the default come from openapi.yaml."""
    assert contract.field_names == ALL
    assert contract.default_fields == ("id",)


def test_no_fields_is_the_default_without_warnings(contract: Contract) -> None:
    """Without the parameter the answer is the default ["id"]."""
    assert read_fields(Query.parse(b""), ALL, ("id",)) == FieldsChoice(("id",), ())


@pytest.mark.parametrize(
    ("value", "names"),
    [
        ('["id","common"]', ("id", "common")),
        ('["common","id"]', ("id", "common")),
        ('["common"]', ("common",)),
        ('["errors","errors","errors"]', ("errors",)),
        (json.dumps(list(reversed(ALL))), ALL),
        ('[ "open_time" ,\n"id" ]', ("id", "open_time")),
        ('["\\u0069d"]', ("id",)),
    ],
)
def test_a_list_of_valid_names_answers_exactly_those_in_the_documents_order(
    contract: Contract, value: str, names: tuple[str, ...]
) -> None:
    """Valid names are answered in the order id, common, open_time, ...; id only when asked; no warnings."""
    assert read_value(contract, value) == FieldsChoice(names, ())


@pytest.mark.parametrize("value", ["", "[]", "null", "false", "0", "-0", "0.0", '""', '"0"'])
def test_php_empty_values_are_the_default_without_warnings(contract: Contract, value: str) -> None:
    """[], null, false, 0, "" and "0" are PHP-empty: the default, as the backend reads them."""
    assert read_value(contract, value) == FieldsChoice(("id",), ())


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (
            "id,common",
            'does not read comma-separated fields; it falls back to ["id"]; send a JSON array: fields=["id","common"]',
        ),
        ("common, errors", 'send a JSON array: fields=["common","errors"]'),
        ("common", 'a bare name in fields; it falls back to ["id"]; send a JSON array: fields=["common"]'),
        ("{bad", '"{bad" is not JSON: the real service falls back to ["id"]'),
        ("[1,]", "is not JSON"),
        ("NaN", "is not JSON"),
        ('["common"', "is not JSON"),
        ("'common'", "is not JSON"),
    ],
)
def test_text_that_is_not_json_is_the_default_with_a_warning(contract: Contract, value: str, fragment: str) -> None:
    """A value json_decode cannot read falls back to the default, and the warning shows the fix."""
    choice = read_value(contract, value)
    assert choice.names == ("id",)
    assert len(choice.warnings) == 1
    assert fragment in choice.warnings[0]


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ('{"a":"common"}', "object"),
        ("{}", "object"),
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
def test_json_that_is_not_a_list_is_the_400(contract: Contract, value: str, kind: str) -> None:
    """An object, a non-empty string, a non-zero number or true answers 400, with a hint."""
    choice = read_value(contract, value)
    assert choice.names is None
    assert f"fields is a JSON {kind}, not an array" in choice.warnings[0]


@pytest.mark.parametrize(
    "value", ['["bogus"]', "[1]", "[null]", "[true]", '[["id"]]', '[{"id":1}]', '["ID"]', '[" id"]']
)
def test_a_list_without_a_valid_name_is_the_400(contract: Contract, value: str) -> None:
    """Only a string equal to a name matches (PHP compares string forms), so these lists name nothing."""
    choice = read_value(contract, value)
    assert choice.names is None
    assert "names no valid section" in choice.warnings[0]


def test_unknown_entries_beside_a_valid_name_are_dropped_with_a_warning(contract: Contract) -> None:
    """Unknown entries are dropped as the backend does, and the warning names them."""
    choice = read_value(contract, '["common","bogus",1,null]')
    assert choice.names == ("common",)
    assert choice.warnings == ('fields entries unknown to the real service were dropped, as it does: "bogus", 1, null',)


@pytest.mark.parametrize(
    ("query_string", "names", "fragments"),
    [
        (b"fields[]=id", ("id",), ["does not read fields[]="]),
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
    read: Read, query_string: bytes, names: tuple[str, ...], fragments: list[str]
) -> None:
    """fields[]= is an array json_decode cannot read; of repeated fields= PHP keeps the last."""
    choice = read(query_string)
    assert choice.names == names
    assert len(choice.warnings) == len(fragments)
    assert all(fragment in warning for fragment, warning in zip(fragments, choice.warnings, strict=True))


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (b'["common","\xff"]', "not valid UTF-8"),
        (b'["common","\xc3"]', "not valid UTF-8"),
        (b'["common","\\ud800"]', "unpaired UTF-16 surrogate"),
        (b'["common",{"\\udc00":1}]', "unpaired UTF-16 surrogate"),
    ],
)
def test_text_php_cannot_decode_is_the_default(contract: Contract, raw: bytes, fragment: str) -> None:
    """Invalid UTF-8 and lone surrogate escapes make json_decode return null: the default, with a warning."""
    choice = read_value(contract, raw)
    assert choice.names == ("id",)
    assert fragment in choice.warnings[0]


def test_a_surrogate_pair_escape_is_valid(contract: Contract) -> None:
    """A paired surrogate escape (an emoji) is valid JSON: the entry is merely unknown."""
    assert read_value(contract, '["common","\\ud83d\\udd25"]').names == ("common",)


def nested(depth: int) -> str:
    """A list holding "common" and a list nested to depth levels in all."""
    return '["common",' + "[" * (depth - 1) + "]" * (depth - 1) + "]"


def test_nesting_within_phps_decode_depth_is_read(contract: Contract) -> None:
    """512 levels are within json_decode's default depth: the valid name is answered."""
    assert read_value(contract, nested(PHP_DECODE_DEPTH)).names == ("common",)


@pytest.mark.parametrize("depth", [PHP_DECODE_DEPTH + 1, 100_000])
def test_nesting_past_phps_decode_depth_is_the_default(contract: Contract, depth: int) -> None:
    """Deeper than 512 levels json_decode returns null: the default with a warning, never a crash."""
    choice = read_value(contract, nested(depth))
    assert choice.names == ("id",)
    assert "deeper than PHP's json_decode depth (512)" in choice.warnings[0]


def test_brackets_inside_strings_do_not_count_as_nesting(contract: Contract) -> None:
    """Brackets in a string (escaped quotes too) are text, not depth."""
    assert read_value(contract, json.dumps(["common", '\\"' + "[" * 1000])).names == ("common",)


def test_ten_thousand_names_are_read_and_the_warning_stays_short(contract: Contract) -> None:
    """A 10,000-name list is answered; the warning lists five dropped names and counts the rest."""
    choice = read_value(contract, json.dumps(["id", *(f"x{i}" for i in range(10_000))]))
    assert choice.names == ("id",)
    assert choice.warnings[0].endswith('"x3", "x4" and 9995 more')
    assert len(choice.warnings[0]) < 300
