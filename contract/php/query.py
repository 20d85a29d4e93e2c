"""PHP 7's `$_GET` from a raw query string (php_default_treat_data and php_register_variable_ex, as parse_str).

Names and values are percent-decoded (`+` is a space); a name's base drops leading spaces and turns ` `
and `.` into `_`; `[` opens an array level (`a[]`, `a[0]`, `a[x][y]`); the last assignment to a key wins,
in place, whether plain or array. Values stay bytes; keys are text (non-UTF-8 bytes as surrogate escapes).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

from contract.php.values import PhpArray, PhpValue, array_key

__all__ = ["MAX_INPUT_NESTING_LEVEL", "MAX_INPUT_VARS", "Assignment", "Query", "parse_query"]

# php.ini defaults: variables past max_input_vars are dropped (with a warning), and a variable nested
# deeper than max_input_nesting_level is deleted altogether.
MAX_INPUT_VARS = 1000
MAX_INPUT_NESTING_LEVEL = 64
# C's isspace(), which PHP uses to skip one blank after `[` (`a[ ]` appends, like `a[]`).
_C_SPACE = frozenset(b" \t\n\v\f\r")


@dataclass(frozen=True)
class Assignment:
    """One variable PHP registered, in query order: its base name, its bracket indices (None for `[]`), its value."""

    name: str
    indices: tuple[str | None, ...]
    value: bytes

    @property
    def is_array(self) -> bool:
        """Whether the assignment goes into an array (`name[...]=`), not to a plain variable."""
        return bool(self.indices)


@dataclass(frozen=True)
class Query:
    """A query string as PHP reads it: `$_GET` itself, the assignments in order, and whether some were dropped."""

    get: PhpArray
    assignments: tuple[Assignment, ...]
    truncated: bool = False

    def value(self, name: str) -> PhpValue:
        """Return `$_GET[$name] ?? null`: bytes, a PhpArray, or None."""
        return self.get.get(name)

    def all(self, name: str) -> tuple[Assignment, ...]:
        """Return every assignment to a base name, in order."""
        return tuple(assignment for assignment in self.assignments if assignment.name == name)

    def names(self) -> tuple[str, ...]:
        """Return the base names assigned, each once, in order of first appearance."""
        return tuple(dict.fromkeys(assignment.name for assignment in self.assignments))

    def without(self, names: Collection[str]) -> Query:
        """Return the query as PHP would read it had the variables of these base names never been sent."""
        get = PhpArray((key, value) for key, value in self.get.items() if key not in names)
        kept = tuple(assignment for assignment in self.assignments if assignment.name not in names)
        return Query(get, kept, self.truncated)


def parse_query(
    raw: bytes, *, max_input_vars: int = MAX_INPUT_VARS, max_nesting: int = MAX_INPUT_NESTING_LEVEL
) -> Query:
    """Read a raw query string (without `?`) into `$_GET` as PHP 7 does; at most max_input_vars pieces."""
    get = PhpArray()
    assignments: list[Assignment] = []
    # PHP reads the query string as a C string (a raw NUL ends it) and splits with strtok: no empty pieces.
    pieces = [piece for piece in raw.split(b"\0", 1)[0].split(b"&") if piece]
    for piece in pieces[:max_input_vars]:
        name, _, value = piece.partition(b"=")
        assignment = _register(get, _url_decode(name), _url_decode(value), max_nesting)
        if assignment is not None:
            assignments.append(assignment)
    return Query(get, tuple(assignments), truncated=len(pieces) > max_input_vars)


def _url_decode(data: bytes) -> bytes:
    """php_url_decode: `+` is a space, `%XX` a byte, any other `%` stays."""
    return unquote_to_bytes(data.replace(b"+", b" "))


def _text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def _register(get: PhpArray, name: bytes, value: bytes, max_nesting: int) -> Assignment | None:
    """php_register_variable_ex: store one variable in `get`; return what was registered (None if dropped)."""
    name = name.split(b"\0", 1)[0].lstrip(b" ")  # the name is a C string; leading spaces are ignored
    bracket = name.find(b"[")
    base = (name if bracket < 0 else name[:bracket]).replace(b" ", b"_").replace(b".", b"_")
    if not base:
        return None  # an empty name (`=x`, `[a]=x`, ` =x`) registers nothing
    if bracket < 0:
        get[base] = value
        return Assignment(_text(base), (), value)
    rest = name[bracket:]
    container: PhpArray = get
    index: bytes | None = base
    indices: list[str | None] = []
    position = 0  # at the `[` that opens the next level
    for level in range(1, len(rest) + 1):
        if level > max_nesting:
            get.pop(base, None)  # PHP deletes the whole variable, not just this assignment
            return None
        start = position + 1
        cursor = start + 1 if start < len(rest) and rest[start] in _C_SPACE else start
        next_index: bytes | None = None
        if cursor < len(rest) and rest[cursor] == 0x5D:  # `]`, after at most one blank: append
            close = cursor
        else:
            close = rest.find(b"]", cursor)
            if close < 0:
                if level == 1:
                    # Not an index: the `[` becomes `_` and the name runs on, as it is. PHP >= 8.0 also turns
                    # ` `, `.` and `[` after it into `_` (bug #78236): "a[b.c" is "a_b.c" in PHP 7, "a_b_c" in 8.
                    plain = base + b"_" + rest[1:]
                    get[plain] = value
                    return Assignment(_text(plain), (), value)
                break  # a later unclosed `[`: the value goes to the index read so far
            next_index = rest[start:close]
        entered = _enter(container, index)
        if entered is None:
            return None  # `[]` could not append (the next index would pass PHP_INT_MAX)
        container = entered
        indices.append(None if next_index is None else _text(next_index))
        index = next_index
        position = close + 1
        if position >= len(rest) or rest[position] != 0x5B:  # anything after `]` but `[` is ignored
            break
    if index is None:
        container.append(value)
    else:
        container[index] = value
    return Assignment(_text(base), tuple(indices), value)


def _enter(container: PhpArray, index: bytes | None) -> PhpArray | None:
    """Return the array at `index` (None: a new one appended), replacing a plain value there by an empty array."""
    if index is None:
        child = PhpArray()
        return child if container.append(child) else None
    key = array_key(index)
    found = container.get(key)
    if isinstance(found, PhpArray):
        return found
    child = PhpArray()
    container[key] = child  # in place: an existing plain value keeps its position
    return child
