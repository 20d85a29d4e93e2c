"""Reading the YAML data files of mockserver/data into checked plain values."""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from typing import Any

import yaml

from contract.spec import safe_load_fast
from mockserver.errors import ConfigError


def read_data(name: str) -> dict[str, Any]:
    """Read one YAML data file shipped in mockserver/data, raising ConfigError when it is unusable."""
    resource = resources.files("mockserver").joinpath("data", name)
    try:
        text = resource.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"data/{name}: cannot read: {exc.strerror}") from exc
    try:
        document = safe_load_fast(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"data/{name}: not valid YAML: {exc}") from exc
    return mapping(document, f"data/{name}")


def mapping(value: Any, where: str) -> dict[str, Any]:
    """Return value as a dict with str keys (YAML int keys become str), or raise ConfigError."""
    if not isinstance(value, Mapping):
        raise ConfigError(f"{where}: expected a mapping, got {type(value).__name__}")
    return {str(key): item for key, item in value.items()}


def number(value: Any, where: str, *, low: float = 0.0, high: float = float("inf")) -> float:
    """Return value as a float in [low, high], or raise ConfigError."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{where}: expected a number, got {value!r}")
    if not low <= value <= high:
        raise ConfigError(f"{where}: {value!r} is outside [{low}, {high}]")
    return float(value)


def integer(value: Any, where: str, *, low: int = 0) -> int:
    """Return value as an int >= low, or raise ConfigError."""
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ConfigError(f"{where}: expected an integer >= {low}, got {value!r}")
    return value


def rate_range(value: Any, where: str) -> tuple[float, float]:
    """Return a [lo, hi] pair of rates with 0 <= lo <= hi <= 1, or raise ConfigError."""
    if not isinstance(value, list) or len(value) != 2:
        raise ConfigError(f"{where}: expected [lo, hi], got {value!r}")
    low, high = number(value[0], where, high=1.0), number(value[1], where, high=1.0)
    if low > high:
        raise ConfigError(f"{where}: lo {low} exceeds hi {high}")
    return low, high


def strings(value: Any, where: str) -> tuple[str, ...]:
    """Return a non-empty list of non-empty strings (YAML numbers are read as their text)."""
    if not isinstance(value, list) or not value:
        raise ConfigError(f"{where}: expected a non-empty list, got {value!r}")
    items = tuple(str(item) for item in value)
    if not all(items):
        raise ConfigError(f"{where}: holds an empty string")
    return items


def weights(value: Any, where: str) -> dict[str, float]:
    """Return a mapping of name to weight >= 0 with a positive total, or raise ConfigError."""
    table = {key: number(item, f"{where}.{key}") for key, item in mapping(value, where).items()}
    if sum(table.values()) <= 0:
        raise ConfigError(f"{where}: the weights add up to zero")
    return table
