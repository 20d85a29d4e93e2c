"""The controller's readings without PHP: `fields` (kinds, names, dropped entries) and the path id."""

from __future__ import annotations

import pytest

from contract.php import FieldsReading, PathId, parse_query, read_fields, read_path_id
from tests.contract.php._oracle import tag
from tests.contract.php.cases import ALLOWED, DEFAULT, PATH, READ, Read, php


@pytest.mark.parametrize("case", list(READ.values()), ids=list(READ))
def test_each_rule_reads_fields_as_the_controller(case: Read) -> None:
    """Each query string gives the controller's kind, sections (None: 400), dropped entries and json error."""
    reading = read_fields(parse_query(case.query).value("fields"), ALLOWED, DEFAULT)
    assert (reading.kind, reading.names, reading.dropped, reading.json_error) == (
        case.kind,
        case.names,
        case.dropped,
        case.json_error,
    )
    assert reading.invalid is (case.names is None)


def test_a_reading_keeps_the_decoded_value_and_whether_it_was_an_object() -> None:
    """The decoded value is kept as PHP holds it; was_object tells `{"a":"id"}` from `["id"]`."""
    reading = read_fields(b' {"a":"common","b":"x"}', ALLOWED, DEFAULT)
    assert tag(reading.decoded) == tag(php({"a": "common", "b": "x"}))
    assert reading == FieldsReading("names", ("common",), reading.decoded, None, True, ('"x"',))
    assert not read_fields(b'["common"]', ALLOWED, DEFAULT).was_object


def test_a_default_outside_the_allowed_names_is_the_400() -> None:
    """The default goes through array_intersect too: a default that names nothing allowed answers 400."""
    assert read_fields(None, ALLOWED, ("nope",)).invalid
    assert read_fields(None, ALLOWED, ("errors", "id")).names == ("id", "errors")


def test_text_values_read_like_their_bytes() -> None:
    """A str value is read as its UTF-8 bytes."""
    assert read_fields('["common"]', ALLOWED, DEFAULT) == read_fields(b'["common"]', ALLOWED, DEFAULT)


@pytest.mark.parametrize(("segment", "number", "canonical", "lookup"), list(PATH.values()), ids=list(PATH))
def test_path_ids_read_as_php_multiplies(segment: str, number: float, canonical: bool, lookup: int | None) -> None:
    """`$id *= 1` gives PHP's number; only a plain decimal is canonical; a positive integer is looked up."""
    path = read_path_id(segment)
    assert (tag(path.number), path.canonical, path.lookup) == (tag(number), canonical, lookup)
    assert read_path_id(segment.encode()) == path


def test_a_path_id_is_a_frozen_record() -> None:
    """PathId is a value object."""
    assert read_path_id("7") == PathId(7, True, 7, digits=True)


@pytest.mark.parametrize(
    ("segment", "digits"), [("12", True), ("012", True), ("0", True), ("12abc", False), (" 12", False), ("1e1", False)]
)
def test_digits_are_the_form_cakephp_routes_accept(segment: str, digits: bool) -> None:
    """Only ASCII digits reach the controller through CakePHP's resource routes (leading zeros included)."""
    assert read_path_id(segment).digits is digits
