"""Validating a scenario against data/scenario.schema.json, with messages that say what was expected."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from mockserver.errors import ScenarioError
from mockserver.scenario.yamlfile import FieldPath, YamlDocument

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator

__all__ = [
    "Problem",
    "ScenarioValidator",
    "check_document",
    "describe",
    "explain",
    "load_schema",
    "strict_validator",
    "unknown_field",
]

Problem = tuple[FieldPath, str]
_TYPES = {
    "integer": "a whole number",
    "number": "a number",
    "string": "text",
    "boolean": "true or false",
    "object": "a mapping",
    "array": "a list",
    "null": "null",
}


def load_schema() -> dict[str, Any]:
    """Return the parsed scenario schema shipped in mockserver/data."""
    text = resources.files("mockserver").joinpath("data", "scenario.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def _is_int(_checker: Any, value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def strict_validator(schema: Mapping[str, Any], **kwargs: Any) -> Validator:
    """Return a Draft 2020-12 validator whose integers are ints only (YAML's 5.0 is not a count)."""
    from jsonschema import Draft202012Validator, validators

    checker = Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_int)
    cls = validators.extend(Draft202012Validator, type_checker=checker)  # type: ignore[no-untyped-call]
    validator: Validator = cls(schema, **kwargs)
    return validator


class ScenarioValidator:
    """The scenario schema: jsonschema_rs passes a valid file at native speed; strict_validator judges the others.

    The native engine reads 5.0 as an integer, as JSON Schema does; strict_validator does not. A file holding a
    whole float anywhere, or one the native engine refuses or cannot read, is judged by strict_validator alone,
    so the verdict is always strict_validator's; jsonschema is imported on the first such file.
    """

    def __init__(self, schema: Mapping[str, Any]) -> None:
        self.schema = schema
        self._fast = jsonschema_rs.Draft202012Validator(dict(schema), validate_formats=False)
        self._strict: Validator | None = None

    def passes(self, data: Any) -> bool:
        """Tell whether data is surely valid without the strict validator (False: ask it)."""
        try:
            return bool(self._fast.is_valid(data)) and not _holds_whole_float(data)
        except Exception:  # noqa: BLE001 - what the native engine cannot read, the strict validator judges
            return False

    def strict(self) -> Validator:
        """Return the strict validator (built on first use)."""
        if self._strict is None:
            self._strict = strict_validator(self.schema)
        return self._strict

    def iter_errors(self, data: Any) -> Iterable[ValidationError]:
        """Return the strict validator's errors for data (none, at once, when the native engine passes it)."""
        return () if self.passes(data) else self.strict().iter_errors(data)


def _holds_whole_float(value: Any) -> bool:
    """Tell whether a float with no fraction (5.0) is anywhere in a parsed document."""
    if isinstance(value, float):
        return value.is_integer()
    if isinstance(value, Mapping):
        return any(_holds_whole_float(key) or _holds_whole_float(item) for key, item in value.items())
    if isinstance(value, list | tuple):
        return any(_holds_whole_float(item) for item in value)
    return False


def check_document(document: YamlDocument, validator: ScenarioValidator | Validator) -> list[ScenarioError]:
    """Return the document's schema problems, each naming its line and field, ordered by line."""
    problems = dict.fromkeys(p for error in validator.iter_errors(document.data) for p in explain(error))
    errors = [document.error(where, message) for where, message in problems]
    return sorted(errors, key=lambda e: (e.line or 0, e.field or ""))


def explain(error: ValidationError, prefix: FieldPath = ()) -> list[Problem]:
    """Turn a jsonschema error into (field path, message) pairs a reader understands."""
    where: FieldPath = (*prefix, *error.absolute_path)
    keyword, schema, value = error.validator, error.schema, _known(error.instance)
    if "propertyNames" in error.absolute_schema_path and isinstance(value, str):
        where = (*where, value)  # the error is about a key, which jsonschema leaves out of the path
    if keyword == "required" and isinstance(value, Mapping):
        missing = [name for name in _known(error.validator_value) if name not in value]
        if len(missing) == 1:
            return [((*where, missing[0]), "missing: this field is required")]
        return [(where, f"missing required fields: {', '.join(missing)}")]
    if keyword == "additionalProperties" and isinstance(value, Mapping) and isinstance(schema, Mapping):
        known = list(schema.get("properties", {}))
        return [((*where, key), unknown_field(str(key), known)) for key in value if key not in known]
    if isinstance(schema, Mapping) and "x-expected" in schema:
        return [(where, f"expected {schema['x-expected']}, got {describe(value)}")]
    if keyword in ("anyOf", "oneOf") and error.context:
        return _explain_branches(error, where, prefix)
    return [(where, _message(error))]


def _explain_branches(error: ValidationError, where: FieldPath, prefix: FieldPath) -> list[Problem]:
    """Explain a failed anyOf/oneOf by the branch meant for this kind of value, or list the constants it allows."""
    context = list(error.context or ())
    if all(e.validator == "const" for e in context):
        return [(where, f"expected {_choices(e.validator_value for e in context)}, got {describe(error.instance)}")]
    # A branch for another type of value (a list where a mapping was given) explains nothing.
    meant = [e for e in context if not (e.validator == "type" and e.absolute_path == error.absolute_path)]
    from jsonschema.exceptions import best_match

    return explain(best_match(meant or context), prefix)


def _known(value: Any) -> Any:
    """Return a jsonschema error attribute as plain data (its type admits an `Unset` marker)."""
    return value


def unknown_field(key: str, known: list[str], what: str = "field") -> str:
    """Return `unknown field (did you mean 'x'?); expected one of: ...` for a name not among known."""
    close = difflib.get_close_matches(key, known, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown {what}{hint}; expected one of: {', '.join(known)}"


def _message(error: ValidationError) -> str:
    keyword, expected, value = error.validator, _known(error.validator_value), _known(error.instance)
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    got = f", got {describe(value)}"
    if keyword == "type":
        names = [expected] if isinstance(expected, str) else list(expected)
        return f"expected {' or '.join(_TYPES.get(n, n) for n in names)}{got}"
    if keyword in ("minimum", "maximum"):
        kind = _TYPES["integer" if schema.get("type") == "integer" else "number"]
        low, high = schema.get("minimum"), schema.get("maximum")
        if low is not None and high is not None:
            return f"expected {kind} between {_number(low)} and {_number(high)}{got}"
        bound = "at least" if keyword == "minimum" else "at most"
        return f"expected {kind} of {bound} {_number(expected)}{got}"
    if keyword in ("enum", "const"):
        options = expected if keyword == "enum" else [expected]
        return f"expected {_choices(options)}{got}"
    if keyword in ("maxLength", "minLength"):
        bound = "at most" if keyword == "maxLength" else "at least"
        return f"expected {bound} {_number(expected)} characters, got {_number(len(value))}"
    if keyword in ("maxItems", "minItems", "maxProperties", "minProperties"):
        bound = "at most" if keyword.startswith("max") else "at least"
        unit = "items" if keyword.endswith("Items") else "entries"
        return f"expected {bound} {_number(expected)} {unit}, got {_number(len(value))}"
    if keyword == "uniqueItems":
        return "the list holds the same value twice"
    if keyword == "pattern":
        return f"expected text matching {expected}{got}"
    return error.message


def _choices(options: Iterable[Any]) -> str:
    shown = list(dict.fromkeys(json.dumps(option, ensure_ascii=False) for option in options))
    return "one of " + ", ".join(shown) if len(shown) > 1 else shown[0]


def _number(value: Any) -> str:
    if isinstance(value, int) and abs(value) >= 10_000:
        return f"{value:,}"
    return str(value)


def describe(value: Any) -> str:
    """Return a short description of a received value for an error message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value) if len(value) <= 60 else f"text of {len(value):,} characters"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return f"a list of {len(value)}" if value else "an empty list"
    return str(value)
