"""Reads the `fields` query parameter as the backend does: json_decode, PHP `empty`, array_intersect.

Semantics are openapi.yaml's (Fields parameter) and the seed README's "Evidence" section: the sibling
/mailer/sends controller json_decodes the value and intersects it with the allowed names.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from mockserver.request_rules import MAX_LISTED, Query, listed, quote

__all__ = ["PHP_DECODE_DEPTH", "FieldsChoice", "read_fields"]

# Decision on hostile input (never a 500): PHP's json_decode gives up past its default depth of 512 and
# returns null, which is "empty", so the backend falls back to the default; the mock measures the depth
# before decoding and does the same. Size is not limited: a 10,000-name list is read in linear time, and
# PHP's max_input_vars (request_rules.MAX_INPUT_VARS) bounds the number of query variables.
PHP_DECODE_DEPTH = 512
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_INT64 = 2**63
_BARE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class FieldsChoice:
    """What the backend makes of `fields`: the names to answer (None: the 400 answer) and warnings."""

    names: tuple[str, ...] | None
    warnings: tuple[str, ...]


def read_fields(query: Query, field_names: Sequence[str], default: Sequence[str]) -> FieldsChoice:
    """Return the sections a view answers, in the document's order, from the query's `fields`."""
    params = query.all("fields")
    if not params:
        return FieldsChoice(tuple(default), ())
    warnings = []
    if len(params) > 1 and not all(param.is_array for param in params):
        warnings.append(
            f"fields is given {len(params)} times: the real service (PHP) keeps only the last value; "
            "send one JSON array"
        )
    fallback = json.dumps(list(default))
    last = params[-1]
    if last.is_array:
        warnings.append(
            "the real service does not read fields[]= (PHP hands json_decode an array, which fails), so it "
            f"falls back to {fallback} or errors; send a JSON array such as fields={_example(field_names)}"
        )
        return FieldsChoice(tuple(default), tuple(warnings))
    if not last.value:
        # `fields=` is the empty string: PHP-empty, the default, nothing to warn about.
        return FieldsChoice(tuple(default), tuple(warnings))
    value, problem = _php_json_decode(last.value)
    if problem is not None:
        warnings.append(f"{problem}: the real service's json_decode fails and it falls back to {fallback}")
        return FieldsChoice(tuple(default), tuple(warnings))
    if value is _NOT_JSON:
        warnings.append(_not_json_warning(last.value.decode("utf-8"), fallback, field_names))
        return FieldsChoice(tuple(default), tuple(warnings))
    if _php_empty(value):
        return FieldsChoice(tuple(default), tuple(warnings))
    if not isinstance(value, list):
        warnings.append(
            f"fields is a JSON {_json_type(value)}, not an array: the real service answers 400 as here; "
            f"send an array such as fields={_example(field_names)}"
        )
        return FieldsChoice(None, tuple(warnings))
    # array_intersect compares string forms, so only a string equal to a name matches (1 never does).
    requested = {entry for entry in value if isinstance(entry, str) and entry in field_names}
    dropped = [entry for entry in value if not (isinstance(entry, str) and entry in field_names)]
    if not requested:
        warnings.append(
            f"fields names no valid section ({_listed_entries(dropped)}): the real service answers 400 as here; "
            f"valid names are {', '.join(field_names)}"
        )
        return FieldsChoice(None, tuple(warnings))
    if dropped:
        warnings.append(
            f"fields entries unknown to the real service were dropped, as it does: {_listed_entries(dropped)}"
        )
    return FieldsChoice(tuple(name for name in field_names if name in requested), tuple(warnings))


class _NotJson:
    """Marks a value that is not JSON text."""


_NOT_JSON = _NotJson()


def _php_json_decode(raw: bytes) -> tuple[Any, str | None]:
    """Decode like PHP's json_decode: the value (or _NOT_JSON), or a problem for which PHP gives null."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None, "fields is not valid UTF-8"
    if _depth(text) > PHP_DECODE_DEPTH:
        return None, f"fields is nested deeper than PHP's json_decode depth ({PHP_DECODE_DEPTH})"
    try:
        # PHP accepts no NaN/Infinity literals; Python's json would.
        value = json.loads(text, parse_constant=_refuse_constant, parse_int=_php_int)
    except ValueError:
        return _NOT_JSON, None
    except RecursionError:
        return None, "fields is nested too deeply"
    if _has_lone_surrogate(value):
        return None, "fields holds an unpaired UTF-16 surrogate escape"
    return value, None


def _refuse_constant(name: str) -> Any:
    raise ValueError(name)


def _php_int(text: str) -> int | float:
    """Read a JSON integer as PHP does: past 64 bits it becomes a float (and no digit limit applies)."""
    if len(text.lstrip("-")) > 19:
        return float(text)
    value = int(text)
    return value if -_INT64 <= value < _INT64 else float(text)


def _listed_entries(entries: list[Any]) -> str:
    """Render the first few entries as JSON text (ASCII, cut short) and how many more there are."""
    shown = [json.dumps(entry, separators=(",", ":"))[:60] for entry in entries[:MAX_LISTED]]
    return listed(shown, total=len(entries))


def _depth(text: str) -> int:
    """Return the deepest nesting of arrays and objects, ignoring brackets inside strings."""
    depth = deepest = 0
    for char in re.findall(r"[\[\]{}]", _JSON_STRING.sub("", text)):
        depth = depth + 1 if char in "[{" else max(depth - 1, 0)
        deepest = max(deepest, depth)
    return deepest


def _has_lone_surrogate(value: Any) -> bool:
    """Tell whether any string in a decoded value holds a lone surrogate (PHP: JSON_ERROR_UTF16)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if not item.isascii() and any(0xD800 <= ord(char) <= 0xDFFF for char in item):
                return True
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
    return False


def _php_empty(value: Any) -> bool:
    """PHP's empty(): null, false, 0, 0.0, "", "0" and the empty array."""
    if value is None or value is False:
        return True
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value == 0
    return value in ("", "0") or value == []


def _json_type(value: Any) -> str:
    return {dict: "object", str: "string", bool: "boolean"}.get(type(value), "number")


def _example(field_names: Sequence[str]) -> str:
    return json.dumps(list(field_names[:2]), separators=(",", ":"))


def _not_json_warning(text: str, fallback: str, field_names: Sequence[str]) -> str:
    """Explain a `fields` value that is not JSON; comma-separated or bare section names get their fix."""
    pieces = [piece.strip() for piece in text.split(",")]
    if all(_BARE_NAME.fullmatch(piece) for piece in pieces) and any(piece in field_names for piece in pieces):
        fix = json.dumps(pieces[:10], separators=(",", ":"))[:200]
        form = "comma-separated fields" if len(pieces) > 1 else "a bare name in fields"
        return f"the real service does not read {form}; it falls back to {fallback}; send a JSON array: fields={fix}"
    example = _example(field_names)
    return f"fields {quote(text)} is not JSON: the real service falls back to {fallback}; send fields={example}"
