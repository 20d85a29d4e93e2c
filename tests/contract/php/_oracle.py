"""The client of oracle.php (one long-running `php` process) and the flat tagged form of PHP values."""

from __future__ import annotations

import base64
import json
import struct
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from contract.php import PhpArray, PhpValue

ORACLE = Path(__file__).with_name("oracle.php")
# php -n reads no php.ini: the settings the model assumes are given here, the defaults of PHP 7 and 8.
PHP_SETTINGS = (
    "precision=14",
    "serialize_precision=-1",
    "max_input_vars=1000",
    "max_input_nesting_level=64",
    "memory_limit=1G",
    "display_errors=0",
    "log_errors=0",
)
Tags = list[str]


def b64(data: bytes | str) -> str:
    """Base64 of bytes, or of a str's UTF-8 (surrogate escapes back to their bytes)."""
    raw = data.encode("utf-8", "surrogateescape") if isinstance(data, str) else data
    return base64.b64encode(raw).decode("ascii")


def unb64(text: str) -> bytes:
    """The bytes of a base64 text."""
    return base64.b64decode(text)


def tag(value: PhpValue) -> Tags:
    """Flatten a value to oracle.php's tokens (N, T, F, I<int>, D<IEEE hex>, S<base64>, A<count> pairs)."""
    out: Tags = []
    todo: list[PhpValue] = [value]
    while todo:
        item = todo.pop()
        if item is None:
            out.append("N")
        elif item is True:
            out.append("T")
        elif item is False:
            out.append("F")
        elif isinstance(item, int):
            out.append(f"I{item}")
        elif isinstance(item, float):
            out.append("D" + struct.pack(">d", item).hex())
        elif isinstance(item, str | bytes):
            out.append("S" + b64(item))
        else:
            out.append(f"A{len(item)}")
            pending: list[PhpValue] = []
            for key, entry in item.items():
                pending.extend((key, entry))
            todo.extend(reversed(pending))
    return out


def untag(tokens: Sequence[str]) -> PhpValue:
    """Rebuild a value from oracle.php's tokens; strings as text (bytes that are not UTF-8 as surrogate escapes)."""
    root = PhpArray()
    # Each frame: the array being filled, the entries still to read, the key read (None: a key comes next).
    stack: list[list[Any]] = [[root, 1, 0]]
    for token in tokens:
        kind, body = token[0], token[1:]
        value: PhpValue
        if kind == "A":
            value = PhpArray()
        elif kind == "S":
            value = unb64(body).decode("utf-8", "surrogateescape")
        elif kind == "I":
            value = int(body)
        elif kind == "D":
            value = struct.unpack(">d", bytes.fromhex(body))[0]
        else:
            value = {"N": None, "T": True, "F": False}[kind]
        frame = stack[-1]
        if frame[2] is None:
            frame[2] = value
            continue
        frame[0][frame[2]] = value
        frame[1] -= 1
        frame[2] = None
        while stack and stack[-1][1] == 0:
            stack.pop()
        if isinstance(value, PhpArray) and int(body):
            stack.append([value, int(body), None])
    return root[0]


class PhpOracle:
    """Sends batches of ops to `php oracle.php` and reads their results."""

    def __init__(self, process: subprocess.Popen[bytes], stderr: Path) -> None:
        self._process = process
        self._stderr = stderr

    def run(self, ops: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        """Run ops in one round trip; raise with PHP's stderr if the process died."""
        assert self._process.stdin is not None
        assert self._process.stdout is not None
        self._process.stdin.write(json.dumps({"ops": list(ops)}).encode("ascii") + b"\n")
        self._process.stdin.flush()
        line = self._process.stdout.readline()
        if not line:
            raise RuntimeError(f"php oracle.php ended: {self._stderr.read_text(errors='replace')[-2000:]}")
        results: list[dict[str, Any]] = json.loads(line)["results"]
        return results

    def json_decode(self, raws: Sequence[bytes], depth: int = 512) -> list[tuple[Tags, str | None]]:
        """PHP's json_decode($raw, true, $depth) of each: the tagged value and the error constant's name."""
        results = self.run([{"op": "json_decode", "raw": b64(raw), "depth": depth} for raw in raws])
        return [(result["value"], result["error"]) for result in results]

    def empty(self, values: Sequence[PhpValue]) -> list[bool]:
        """PHP's empty() of each value."""
        return [result["empty"] for result in self.run([{"op": "empty", "value": tag(value)} for value in values])]

    def strval(self, values: Sequence[PhpValue]) -> list[str]:
        """PHP's string conversion of each value ("Array" for arrays), as text."""
        results = self.run([{"op": "strval", "value": tag(value)} for value in values])
        return [unb64(result["string"]).decode("utf-8", "surrogateescape") for result in results]

    def array_intersect(self, values: PhpValue, allowed: PhpValue) -> Tags:
        """PHP's array_intersect($values, $allowed), tagged (null for a non-array, as PHP 7)."""
        op = {"op": "array_intersect", "values": tag(values), "allowed": tag(allowed)}
        result: Tags = self.run([op])[0]["result"]
        return result

    def parse_str(self, queries: Sequence[bytes]) -> list[Tags]:
        """PHP's parse_str of each query string (the code that fills $_GET), tagged."""
        return [result["get"] for result in self.run([{"op": "parse_str", "query": b64(q)} for q in queries])]

    def multiply(self, texts: Sequence[str | bytes]) -> list[Tags]:
        """`$text * 1` of each, tagged (0 where PHP 8 throws, as PHP 7 gave)."""
        return [result["number"] for result in self.run([{"op": "multiply", "text": b64(t)} for t in texts])]

    def controller(
        self, queries: Sequence[bytes], allowed: Sequence[str], default: Sequence[str]
    ) -> list[dict[str, Any]]:
        """The controller's reading of `fields` for each query string: status, decoded, error, names, dropped."""
        common = {"allowed": tag(PhpArray(enumerate(allowed))), "default": tag(PhpArray(enumerate(default)))}
        return self.run([{"op": "controller", "query": b64(query), **common} for query in queries])

    def json_encode(self, texts: Sequence[bytes], flags: int, depth: int = 512) -> list[bytes | None]:
        """json_encode(json_decode($json, true, $depth), $flags) of each JSON text (None where json_encode fails)."""
        ops = [{"op": "json_encode", "json": b64(text), "flags": flags, "depth": depth} for text in texts]
        results = self.run(ops)
        return [None if result["out"] is None else unb64(result["out"]) for result in results]
