"""What a request reads: the readings of `fields` kept per value."""

from __future__ import annotations

import pytest

from contract.php import PhpArray, read_fields
from contract.spec import Contract
from mockserver.http.context import FieldsReadings


@pytest.mark.parametrize(
    "value",
    [None, b'["id","common"]', b'["nope"]', b"id,common", b"[", b"{}", b'{"a":"errors"}', PhpArray({0: b"id"})],
    ids=repr,
)
def test_a_kept_reading_is_the_controllers(contract: Contract, value: object) -> None:
    """FieldsReadings.read gives read_fields' reading, the first time and again."""
    readings = FieldsReadings(contract)
    expected = read_fields(value, contract.field_names, contract.default_fields)  # type: ignore[arg-type]
    assert readings.read(value) == expected  # type: ignore[arg-type]
    assert readings.read(value) == expected  # type: ignore[arg-type]


def test_readings_are_kept_within_their_bound(contract: Contract) -> None:
    """A reading is kept by its value; past the bound the kept readings are dropped, not grown."""
    readings = FieldsReadings(contract, size=2)
    first = readings.read(b'["id"]')
    assert readings.read(b'["id"]') is first
    for value in (b'["common"]', b'["errors"]'):
        readings.read(value)
    assert readings.read(b'["id"]') is not first
    assert len(readings._readings) <= 2
