"""How the suite reads `fields` (contract/fields.py): as the document says the PHP backend does."""

from __future__ import annotations

import pytest

from contract.fields import encode_fields, read_fields

NAMES = ("id", "common", "open_time", "click_statistic", "domain_statistic", "errors")
DEFAULT = ("id",)


@pytest.mark.parametrize(
    ("raw", "kind", "names", "invalid"),
    [
        (None, "absent", DEFAULT, False),
        ("id,common", "not-json", DEFAULT, False),
        ("[]", "php-empty", DEFAULT, False),
        ("null", "php-empty", DEFAULT, False),
        ("false", "php-empty", DEFAULT, False),
        ("0", "php-empty", DEFAULT, False),
        ('""', "php-empty", DEFAULT, False),
        ('"0"', "php-empty", DEFAULT, False),
        ('["errors","id"]', "list", ("id", "errors"), False),
        ('["common","bogus"]', "list", ("common",), False),
        ('["bogus"]', "list", (), True),
        ("[1, null]", "list", (), True),
        ('{"a": 1}', "other", (), True),
        ('"id"', "other", (), True),
        ("true", "other", (), True),
        ("1.5", "other", (), True),
    ],
)
def test_read_fields(raw: str | None, kind: str, names: tuple[str, ...], invalid: bool) -> None:
    """Each kind of value reads as the document's Fields parameter describes."""
    reading = read_fields(raw, NAMES, DEFAULT)
    assert (reading.kind, reading.names, reading.invalid) == (kind, names, invalid)


def test_unknown_entries_are_named() -> None:
    """The entries that are not valid names are kept, in order, for the report."""
    assert read_fields('["common", "bogus", 3, "bogus"]', NAMES, DEFAULT).unknown == ("bogus", "3")


def test_encode_fields_is_what_clients_send() -> None:
    """A list is encoded as compact JSON, as the vendor's clients json_encode it."""
    assert encode_fields(["id", "common"]) == '["id","common"]'
