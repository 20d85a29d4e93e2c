"""How the backend reads the view's `fields` parameter, as openapi.yaml documents it (Fields parameter)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["absent", "not-json", "php-empty", "list", "other"]
# PHP's empty(): these JSON values read as "no fields given" and fall back to the default.
PHP_EMPTY: tuple[Any, ...] = ([], None, False, 0, 0.0, "", "0")


@dataclass(frozen=True)
class FieldsReading:
    """What a `fields` value means: its kind, the valid names it selects and the entries dropped."""

    kind: Kind
    names: tuple[str, ...]
    unknown: tuple[str, ...] = ()

    @property
    def invalid(self) -> bool:
        """Whether the backend answers 400 / 20620 for this value."""
        return self.kind == "other" or (self.kind == "list" and not self.names)

    @property
    def documented_by_seed(self) -> bool:
        """Whether the seed itself says what this value gets (absent, or a list of names)."""
        return self.kind in ("absent", "list")


def read_fields(raw: str | None, allowed: tuple[str, ...], default: tuple[str, ...]) -> FieldsReading:
    """Read a raw query value: json_decode, PHP-empty falls back to the default, lists intersect `allowed`."""
    if raw is None:
        return FieldsReading("absent", default)
    try:
        value = json.loads(raw)
    except ValueError:
        return FieldsReading("not-json", default)
    if _php_empty(value):
        return FieldsReading("php-empty", default)
    if not isinstance(value, list):
        return FieldsReading("other", ())
    asked = {entry for entry in value if isinstance(entry, str)}
    unknown = tuple(dict.fromkeys(_show(entry) for entry in value if not (isinstance(entry, str) and entry in allowed)))
    return FieldsReading("list", tuple(name for name in allowed if name in asked), unknown)


def encode_fields(names: tuple[str, ...] | list[str]) -> str:
    """Encode a list of names as the vendor's clients do: json_encode of the list."""
    return json.dumps(list(names), separators=(",", ":"))


def _php_empty(value: Any) -> bool:
    return any(type(value) is type(empty) and value == empty for empty in PHP_EMPTY)


def _show(entry: Any) -> str:
    return entry if isinstance(entry, str) else json.dumps(entry)
