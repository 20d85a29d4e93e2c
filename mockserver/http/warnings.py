"""The mock's X-Mock-Warning sentences: where a request relies on something the real PHP backend does not do.

How the backend reads a request is contract/php's (the one model of it, judged by real PHP in CI); this
module only words what those readings mean for a client: one sentence each, naming what the real service
will do.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Collection, Sequence

from contract.php import MAX_INPUT_VARS, FieldsReading, PathId, PhpArray, Query
from contract.spec import Contract
from mockserver.text import MAX_LISTED, listed, quote

__all__ = [
    "documented_query_parameters",
    "fields_warnings",
    "path_id_warnings",
    "query_warnings",
    "sort_field_warnings",
    "unknown_parameter_warnings",
]

_PAGING = ("limit", "page")
_BARE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Why PHP's json_decode refused a value, as a client would put it (JSON_ERROR_SYNTAX: see _not_json).
_REFUSED = {
    "JSON_ERROR_DEPTH": "fields is nested deeper than PHP's json_decode accepts",
    "JSON_ERROR_UTF8": "fields is not valid UTF-8",
    "JSON_ERROR_UTF16": "fields holds an unpaired UTF-16 surrogate escape",
    "JSON_ERROR_CTRL_CHAR": "fields holds a raw control character inside a JSON string",
    "JSON_ERROR_STATE_MISMATCH": "fields is not well-formed JSON (mismatched brackets)",
}


def documented_query_parameters(contract: Contract) -> dict[str, frozenset[str]]:
    """Return, per operationId, the names of the query parameters the document gives it."""
    result: dict[str, frozenset[str]] = {}
    for item in contract.document["paths"].values():
        for operation in item.values():
            params = [
                contract.parameter(p["$ref"].rsplit("/", 1)[1]) if "$ref" in p else p
                for p in operation.get("parameters", ())
            ]
            result[operation["operationId"]] = frozenset(p["name"] for p in params if p["in"] == "query")
    return result


def query_warnings(query: Query) -> list[str]:
    """Warn when PHP would have dropped variables (max_input_vars)."""
    if not query.truncated:
        return []
    return [
        f"the query string has more than {MAX_INPUT_VARS} variables: PHP (max_input_vars) drops the rest, "
        "and so did this mock"
    ]


def fields_warnings(
    query: Query, reading: FieldsReading, field_names: Sequence[str], default: Sequence[str]
) -> list[str]:
    """Explain how the backend read `fields` where the request relies on something it does not do."""
    assigned = query.all("fields")
    warnings = []
    if len(assigned) > 1 and not all(assignment.is_array for assignment in assigned):
        warnings.append(
            f"fields is given {len(assigned)} times: the real service (PHP) keeps only the last value; "
            "send one JSON array"
        )
    fallback = json.dumps(list(default))
    example = json.dumps(list(field_names[:2]), separators=(",", ":"))
    if reading.kind == "not-a-string":
        warnings.append(
            "the real service does not read fields[]= (PHP hands json_decode an array, which fails), so it "
            f"falls back to {fallback}; send a JSON array such as fields={example}"
        )
    elif reading.kind == "not-json" and query.value("fields"):  # `fields=` is the empty string: PHP-empty
        warnings.append(_not_json(query.value("fields"), reading.json_error, fallback, field_names, example))
    elif reading.kind == "not-an-array":
        warnings.append(
            f"fields is a JSON {_json_type(reading.decoded)}, not an array: the real service answers 400 as here; "
            f"send an array such as fields={example}"
        )
    elif reading.kind == "no-valid-name":
        warnings.append(
            f"fields names no valid section ({listed(list(reading.dropped))}): the real service answers 400 "
            f"as here; valid names are {', '.join(field_names)}"
        )
    elif reading.kind == "names" and reading.dropped:
        warnings.append(
            f"fields entries unknown to the real service were dropped, as it does: {listed(list(reading.dropped))}"
        )
    if reading.was_object and reading.kind == "names":
        warnings.append(
            "fields is a JSON object: the real service (json_decode($fields, true)) reads its values as the "
            f"names; send an array such as fields={example}"
        )
    return warnings


def path_id_warnings(segment: str, path_id: PathId) -> list[str]:
    """Warn when the backend's `$id *= 1` would read a segment the mock answers 404 as a mailing id."""
    if path_id.digits or path_id.lookup is None:
        return []
    return [
        f"the path id {quote(segment)} is not a plain integer: this mock answers 404, but the real "
        f"backend's `$id *= 1` reads it as {path_id.lookup} and may answer mailing {path_id.lookup}"
    ]


def unknown_parameter_warnings(query: Query, known: Collection[str], documented: Collection[str]) -> list[str]:
    """Warn about query variables this operation does not read (the real service ignores them)."""
    unknown = [name for name in query.names() if name not in known]
    warnings = []
    paging = [name for name in unknown if name in _PAGING]
    if paging:
        warnings.append(
            f"the document has no paging: the real service ignores {listed([quote(n) for n in paging])} "
            "and lists every mailing"
        )
    others = [name for name in unknown if name not in _PAGING]
    for name in others[:MAX_LISTED]:
        if name in documented:
            warnings.append(f"this operation does not read {quote(name)}: the real service ignores it")
            continue
        guess = _guess(name, known)
        hint = f" (did you mean {quote(guess)}?)" if guess else ""
        warnings.append(f"unknown query parameter {quote(name)}{hint}: the real service ignores it")
    if len(others) > MAX_LISTED:
        warnings.append(f"{len(others) - MAX_LISTED} more unknown query parameters are ignored by the real service")
    return warnings


def sort_field_warnings(query: Query, sortable: Collection[str]) -> list[str]:
    """Warn when sort_field names no sortable field: the backend ignores it and sorts by id (openapi.yaml)."""
    value = query.value("sort_field")
    if value is None:
        return []
    if isinstance(value, PhpArray):
        shown = "an array"
    else:
        text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
        if text in sortable:
            return []
        shown = quote(text)
    only = ", ".join(sortable)
    return [f"sort_field {shown} is not sortable: the real service ignores it and orders by {only} (ascending)"]


def _guess(name: str, known: Collection[str]) -> str | None:
    """Return the known name a misspelled one most likely meant: same letters, a prefix, or a close match."""

    def squash(text: str) -> str:
        return text.lower().replace("_", "").replace("-", "")

    for candidate in sorted(known):
        if squash(candidate) == squash(name) or (len(name) >= 3 and squash(candidate).startswith(squash(name))):
            return candidate
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return close[0] if close else None


def _not_json(raw: object, error: str | None, fallback: str, field_names: Sequence[str], example: str) -> str:
    """Explain a `fields` value json_decode refuses; comma-separated or bare section names get their fix."""
    problem = _REFUSED.get(error or "")
    if problem is not None:
        return f"{problem}: the real service's json_decode fails and it falls back to {fallback}"
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    pieces = [piece.strip() for piece in text.split(",")]
    if all(_BARE_NAME.fullmatch(piece) for piece in pieces) and any(piece in field_names for piece in pieces):
        fix = json.dumps(pieces[:10], separators=(",", ":"))[:200]
        form = "comma-separated fields" if len(pieces) > 1 else "a bare name in fields"
        return f"the real service does not read {form}; it falls back to {fallback}; send a JSON array: fields={fix}"
    return f"fields {quote(text)} is not JSON for PHP: the real service falls back to {fallback}; send fields={example}"


def _json_type(value: object) -> str:
    if isinstance(value, bytes | str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    return "number"
