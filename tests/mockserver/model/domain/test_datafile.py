"""Tests of mockserver.model.domain.datafile: checked reading of the YAML data files."""

from __future__ import annotations

from typing import Any

import pytest

from mockserver.errors import ConfigError
from mockserver.model.domain.datafile import integer, mapping, number, rate_range, read_data, strings, weights


@pytest.mark.parametrize(
    "name", ["profiles.yaml", "audience.yaml", "delivery.yaml", "clock.yaml", "titles.yaml", "links.yaml"]
)
def test_shipped_files_read(name: str) -> None:
    """Every shipped data file reads as a mapping."""
    assert read_data(name)


def test_missing_file_is_a_config_error() -> None:
    """A data file that does not exist fails with ConfigError naming it."""
    with pytest.raises(ConfigError, match=r"nope\.yaml"):
        read_data("nope.yaml")


@pytest.mark.parametrize(
    ("reader", "value"),
    [
        (mapping, [1]),
        (number, "1e-3"),  # YAML 1.1 reads 1e-3 as a string: a data-file trap worth an error
        (number, True),
        (integer, 1.5),
        (rate_range, [0.5, 0.1]),
        (rate_range, [0.1, 2]),
        (strings, []),
        (weights, {"a": 0}),
    ],
)
def test_bad_values_are_config_errors(reader: Any, value: Any) -> None:
    """A value of the wrong type or range fails with ConfigError saying where."""
    with pytest.raises(ConfigError, match="here"):
        reader(value, "here")


def test_yaml_int_keys_become_strings() -> None:
    """Mapping keys read as ints by YAML come back as strings."""
    assert mapping({16: 1}, "here") == {"16": 1}
