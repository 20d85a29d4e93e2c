"""Reads a request as the PHP backend does: the query string, the path id, sort_field, unknown names.

Each reader returns what the backend would conclude plus warnings: one sentence each, naming what the
real service will do where the request relies on something it does not do (sent as X-Mock-Warning).
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

from contract.spec import Contract

__all__ = [
    "MAX_INPUT_VARS",
    "MAX_LISTED",
    "Query",
    "QueryParam",
    "documented_query_parameters",
    "listed",
    "quote",
    "read_path_id",
    "sort_field_warnings",
    "unknown_parameter_warnings",
]

# PHP's max_input_vars (default 1000): variables past it are dropped with a warning. It also bounds the
# mock's work on a hostile query string.
MAX_INPUT_VARS = 1000
# PHP 8's numeric string grammar (leading whitespace, sign, integer/decimal, exponent); `$id *= 1`
# reads the longest such prefix ("12abc" is 12) and 0 when there is none (seed README, "Evidence").
_PHP_NUMERIC_PREFIX = re.compile(r"[ \t\n\r\v\f]*([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)")
_INT_MAX = 2**63 - 1
_PAGING = ("limit", "page")
MAX_LISTED = 5


def quote(value: str, limit: int = 60) -> str:
    """Render a client's text for a header or log: JSON-quoted, ASCII only, cut to limit characters."""
    return json.dumps(value[:limit]) + ("..." if len(value) > limit else "")


def listed(values: Sequence[str], total: int | None = None) -> str:
    """Render up to MAX_LISTED rendered values and how many more there are (of total, default all)."""
    total = len(values) if total is None else total
    shown = ", ".join(values[:MAX_LISTED])
    return shown + (f" and {total - MAX_LISTED} more" if total > MAX_LISTED else "")


@dataclass(frozen=True)
class QueryParam:
    """One query variable as PHP registers it: the base name, `[]` form or not, the raw value bytes."""

    name: str
    is_array: bool
    value: bytes


@dataclass(frozen=True)
class Query:
    """A query string read the way PHP fills $_GET, keeping every assignment in order."""

    params: tuple[QueryParam, ...]
    truncated: bool = False

    @classmethod
    def parse(cls, query_string: bytes) -> Query:
        """Split on `&`, percent-decode (`+` is a space), keep values as bytes; at most MAX_INPUT_VARS."""
        pairs = [pair for pair in query_string.split(b"&") if pair]
        params = []
        for pair in pairs[:MAX_INPUT_VARS]:
            raw_name, _, raw_value = pair.partition(b"=")
            name = unquote_to_bytes(raw_name.replace(b"+", b" ")).decode("utf-8", "replace").lstrip(" ")
            base, bracket, rest = name.partition("[")
            is_array = bool(bracket) and "]" in rest
            # PHP turns spaces and dots of a variable name into underscores (`sort.field` is sort_field).
            base = (base if is_array else name).replace(" ", "_").replace(".", "_")
            params.append(QueryParam(base, is_array, unquote_to_bytes(raw_value.replace(b"+", b" "))))
        return cls(tuple(params), truncated=len(pairs) > MAX_INPUT_VARS)

    def names(self) -> list[str]:
        """Return the distinct variable names, in order of first appearance."""
        return list(dict.fromkeys(param.name for param in self.params))

    def all(self, name: str) -> list[QueryParam]:
        """Return every assignment to a variable, in order."""
        return [param for param in self.params if param.name == name]

    def last(self, name: str) -> QueryParam | None:
        """Return the assignment PHP keeps: the last one."""
        found = self.all(name)
        return found[-1] if found else None

    def warnings(self) -> list[str]:
        """Warn when PHP would have dropped variables (max_input_vars)."""
        if not self.truncated:
            return []
        return [
            f"the query string has more than {MAX_INPUT_VARS} variables: PHP (max_input_vars) drops the rest, "
            "and so did this mock"
        ]


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


def _guess(name: str, known: Collection[str]) -> str | None:
    """Return the known name a misspelled one most likely meant: same letters, a prefix, or a close match."""

    def squash(text: str) -> str:
        return text.lower().replace("_", "").replace("-", "")

    for candidate in sorted(known):
        if squash(candidate) == squash(name) or (len(name) >= 3 and squash(candidate).startswith(squash(name))):
            return candidate
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return close[0] if close else None


def sort_field_warnings(query: Query, sortable: Collection[str]) -> list[str]:
    """Warn when sort_field names no sortable field: the backend ignores it and sorts by id (openapi.yaml)."""
    param = query.last("sort_field")
    if param is None:
        return []
    value = "an array" if param.is_array else quote(param.value.decode("utf-8", "replace"))
    if not param.is_array and param.value.decode("utf-8", "replace") in sortable:
        return []
    only = ", ".join(sortable)
    return [f"sort_field {value} is not sortable: the real service ignores it and orders by {only} (ascending)"]


def php_number(segment: str) -> int | float:
    """Return PHP's `$segment * 1`: the numeric prefix as int or float, 0 when there is none."""
    match = _PHP_NUMERIC_PREFIX.match(segment)
    if match is None:
        return 0
    text = match.group(1)
    if any(mark in text for mark in ".eE"):
        return float(text)
    digits = text.lstrip("+-").lstrip("0")
    # Past 19 digits the value cannot fit 64 bits; PHP overflows to float (and int() would refuse
    # over 4300 digits).
    if len(digits) > 19:
        return float(text)
    value = int(text)
    return value if -_INT_MAX - 1 <= value <= _INT_MAX else float(text)


def read_path_id(segment: str) -> tuple[int | None, list[str]]:
    """Return the mailing id a path segment names (only plain decimal digits, value >= 1) and warnings."""
    number = php_number(segment)
    plain = segment.isascii() and segment.isdigit()
    if plain and isinstance(number, int) and number >= 1:
        # Leading zeros are kept plain: "012" * 1 is 12 in PHP too.
        return number, []
    if isinstance(number, float) and number.is_integer() and 1 <= number <= _INT_MAX:
        number = int(number)
    if isinstance(number, int) and number >= 1:
        return None, [
            f"the path id {quote(segment)} is not a plain integer: this mock answers 404, but the real "
            f"backend's `$id *= 1` reads it as {number} and may answer mailing {number}"
        ]
    return None, []
