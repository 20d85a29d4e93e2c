"""Reading a scenario file safely: size limits, YAML under SafeLoader, JSON-like data with a line per field."""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
import yaml.reader
import yaml.scanner
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from mockserver.errors import ScenarioError

__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_VALUES", "FieldPath", "YamlDocument", "field_name", "read_yaml"]

MAX_BYTES = 2 * 1024 * 1024  # a scenario is a page of YAML; 2 MB holds thousands of pinned mailings
MAX_DEPTH = 24  # the format nests 6 levels; more is a mistake or an attack on the parser's recursion
MAX_VALUES = 200_000  # values after expanding aliases: refuses "billion laughs" documents

FieldPath = tuple[str | int, ...]
_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_COLLECTION_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps dates as text: the schema reads times, so `2024-12-05` must stay a string."""

    # A copy without the timestamp resolver; PyYAML reads this class attribute per loader class.
    yaml_implicit_resolvers = {  # noqa: RUF012 - PyYAML's own class-level table, replaced, never mutated
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


@dataclass(frozen=True)
class YamlDocument:
    """A scenario file's data (str keys, JSON types) and the line where each field path starts."""

    path: Path
    data: Any
    lines: dict[FieldPath, int]

    def line(self, where: FieldPath) -> int:
        """Return the line of the deepest known field on the path (1-based)."""
        for end in range(len(where), -1, -1):
            found = self.lines.get(where[:end])
            if found is not None:
                return found
        return 1

    def error(self, where: FieldPath, message: str) -> ScenarioError:
        """Return a ScenarioError naming this file, the field's line and the field."""
        return ScenarioError(message, path=self.path, line=self.line(where), field=field_name(where) or None)


def field_name(where: Sequence[str | int]) -> str:
    """Return a field path as a reader writes it: `faults.view[0].rate`, `forced.5`, `domain_statistic["a b"]`."""
    out = ""
    for part in where:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _PLAIN_KEY.match(part):
            out += f".{part}" if out else part
        else:
            out += '["' + part.replace("\\", "\\\\").replace('"', '\\"') + '"]'
    return out


def read_yaml(path: Path) -> YamlDocument:
    """Read a scenario file: at most MAX_BYTES of UTF-8 YAML, one document, nested at most MAX_DEPTH levels."""
    raw = _read_bytes(path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            f"not UTF-8 text (byte {exc.start})", path=path, line=raw.count(b"\n", 0, exc.start) + 1
        ) from None
    try:
        _check_depth(text, path)
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                raise ScenarioError("the file is empty: expected a mapping with name and description", path=path)
            walker = _Walker(loader, path)
            data = walker.value(node, (), 0)
        finally:
            loader.dispose()
    except ScenarioError:
        raise
    except yaml.MarkedYAMLError as exc:
        line, problem = _where(exc)
        raise ScenarioError(f"not valid YAML: {problem}", path=path, line=line) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (NUL, most controls)
        line = text.count("\n", 0, exc.position) + 1
        shown = f"#x{exc.character:04x}" if isinstance(exc.character, int) else repr(exc.character)
        raise ScenarioError(
            f"not valid YAML: unacceptable character {shown}: {exc.reason}", path=path, line=line
        ) from None
    except yaml.YAMLError as exc:
        raise ScenarioError(f"not valid YAML: {' '.join(str(exc).split())}", path=path) from None
    except Exception as exc:  # noqa: BLE001 - PyYAML raises plain builtin errors on odd input: each is one line
        raise ScenarioError(f"not readable as YAML: {_reason(exc)}", path=path) from None
    return YamlDocument(path=path, data=data, lines=walker.lines)


def _where(exc: yaml.MarkedYAMLError) -> tuple[int | None, str]:
    """Return the line where a YAML problem starts, and the problem in words.

    The scanner reads a token (a quoted string, a block scalar, a key) to its end before it fails: its
    context mark is where the token starts, the line to look at; the problem mark may be the end of the
    file. The parser's context is the enclosing collection: its problem mark is the offending token.
    """
    start = exc.context_mark if isinstance(exc, yaml.scanner.ScannerError) else None
    mark = start or exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else None
    problem = exc.problem or "unreadable"
    if exc.problem_mark is not None and exc.problem_mark is not mark and exc.problem_mark.line + 1 != line:
        problem += f" (line {exc.problem_mark.line + 1})"
    return line, f"{exc.context}: {problem}" if exc.context else problem


_TOO_LONG = f"a whole number of more than {sys.get_int_max_str_digits():,} digits (Python's limit)"


def _too_long(value: int) -> bool:
    """Tell whether an integer has more decimal digits than Python converts to text (every message would fail)."""
    limit = sys.get_int_max_str_digits()
    return limit > 0 and value.bit_length() * math.log10(2) >= limit


def _reason(exc: BaseException) -> str:
    """Return why a value could not be read, in one line."""
    if isinstance(exc, ValueError) and "integer string conversion" in str(exc):
        return _TOO_LONG
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:200]}" if text else type(exc).__name__


def _read_bytes(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ScenarioError(f"cannot read: {exc.strerror or exc}", path=path) from None
    if len(raw) > MAX_BYTES:
        raise ScenarioError(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB: not a scenario", path=path)
    return raw


def _check_depth(text: str, path: Path) -> None:
    """Refuse deep nesting before composing: PyYAML's composer recurses once per level."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                line = event.start_mark.line + 1 if event.start_mark else None
                raise ScenarioError(f"nested deeper than {MAX_DEPTH} levels", path=path, line=line)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


class _Walker:
    """Turns composed nodes into JSON-like values, recording lines and counting values against aliases."""

    def __init__(self, loader: _Loader, path: Path) -> None:
        self.loader = loader
        self.path = path
        self.lines: dict[FieldPath, int] = {(): 1}
        self.count = 0

    def fail(self, node: Node, where: FieldPath, message: str) -> ScenarioError:
        return ScenarioError(message, path=self.path, line=node.start_mark.line + 1, field=field_name(where) or None)

    def value(self, node: Node, where: FieldPath, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            raise self.fail(node, where, f"more than {MAX_VALUES:,} values (after expanding aliases): not a scenario")
        if depth > MAX_DEPTH:
            raise self.fail(node, where, f"nested deeper than {MAX_DEPTH} levels (through aliases)")
        if isinstance(node, MappingNode | SequenceNode) and node.tag not in _COLLECTION_TAGS:
            raise self.fail(node, where, f"unsupported YAML tag {node.tag}: use a plain mapping or list")
        if isinstance(node, MappingNode):
            return self.mapping(node, where, depth)
        if isinstance(node, SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.lines.setdefault((*where, index), item.start_mark.line + 1)
                items.append(self.value(item, (*where, index), depth + 1))
            return items
        return self.scalar(node, where)

    def mapping(self, node: MappingNode, where: FieldPath, depth: int) -> dict[str, Any]:
        seen: dict[str, int] = {}
        for key_node, _ in node.value:
            if isinstance(key_node, ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                key = self.key(key_node, where)
                if key in seen:
                    raise self.fail(key_node, (*where, key), f"duplicate key (first given on line {seen[key]})")
                seen[key] = key_node.start_mark.line + 1
        self.loader.flatten_mapping(node)  # resolves `<<: *anchor` merges; explicit keys win
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self.key(key_node, where)
            self.lines.setdefault((*where, key), key_node.start_mark.line + 1)
            result[key] = self.value(value_node, (*where, key), depth + 1)
        return result

    def construct(self, node: Node, where: FieldPath) -> Any:
        """Build a scalar's value; a value the YAML layer cannot build (a 5,000-digit number) is a ScenarioError."""
        try:
            value = self.loader.construct_object(node)
        except yaml.YAMLError:
            raise
        except Exception as exc:  # noqa: BLE001 - PyYAML's constructors raise plain builtin errors
            raise self.fail(node, where, f"cannot read this value: {_reason(exc)}") from None
        if isinstance(value, int) and _too_long(value):  # 0x.../0o... escape the limit on decimal digits
            raise self.fail(node, where, f"cannot read this value: {_TOO_LONG}")
        return value

    def key(self, node: Node, where: FieldPath) -> str:
        value = self.construct(node, where) if isinstance(node, ScalarNode) else None
        if isinstance(value, str):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        raise self.fail(node, where, "a key must be text or a whole number (quote it: 'yes', '1.5')")

    def scalar(self, node: Node, where: FieldPath) -> Any:
        value = self.construct(node, where)
        if isinstance(value, float) and not math.isfinite(value):
            raise self.fail(node, where, f"expected a finite number, got {node.value}")
        if value is None or isinstance(value, str | int | float | bool):
            return value
        raise self.fail(node, where, f"unsupported YAML value ({type(value).__name__}): use text or a number")
