"""One request and its answer, whoever sent it (the suite or schemathesis), and how to replay it with curl."""

from __future__ import annotations

import json
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, Literal
from urllib.parse import unquote, urlsplit

from contract.php import Query, parse_query
from contract.text import printable

INDEX_PATH = "/mailer/sendstatistics"
VIEW_PATH = "/mailer/sendstatistics/{id}"
Operation = Literal["index", "view"]
MASK = "***"
# Headers that carry credentials even when the user did not name them with --header.
SECRET_HEADERS = frozenset({"x-estis-auth", "authorization", "cookie", "proxy-authorization"})


@dataclass(frozen=True)
class Exchange:
    """A GET and its answer, with the parts the checks read: operation, path id, query, status, body."""

    source: str
    method: str
    url: str
    request_headers: Mapping[str, str]
    status: int
    headers: Mapping[str, str]
    body: bytes
    elapsed: float
    base_path: str = ""
    # Set when the request was sent with the user's --header values (not a generated or missing key).
    authenticated: bool = True
    # Why no usable answer came (a timeout, a reset connection, a body over --max-body); the status is then 0.
    error: str | None = None
    # The check that reports the missing answer: `no-answer`, or `body-size` for a body over the cap.
    error_check: str = "no-answer"
    _cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def answered(self) -> bool:
        """Whether the server answered at all."""
        return self.error is None

    @cached_property
    def path(self) -> str:
        """The request path relative to the base URL (percent-encoded as sent)."""
        path = urlsplit(self.url).path
        if self.base_path and path.startswith(self.base_path):
            path = path[len(self.base_path) :]
        return path or "/"

    @cached_property
    def operation(self) -> Operation | None:
        """Which documented operation the request addressed, if any."""
        if self.path.rstrip("/") == INDEX_PATH:
            return "index"
        if self.path.startswith(INDEX_PATH + "/") and len(self.path) > len(INDEX_PATH) + 1:
            return "view"
        return None

    @cached_property
    def segment(self) -> str | None:
        """The path id of a view request, decoded, exactly as the server received it."""
        if self.operation != "view":
            return None
        return unquote(self.path[len(INDEX_PATH) + 1 :])

    @cached_property
    def query(self) -> Query:
        """The query string as the PHP backend reads it ($_GET: a repeated name keeps its last value)."""
        return parse_query(urlsplit(self.url).query.encode("utf-8", "surrogateescape"))

    @property
    def media_type(self) -> str:
        """The response's media type without parameters, lower-case ('' when absent)."""
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    def slim(self, *, keep_body: bool = False) -> Exchange:
        """A copy without the answer's headers and, unless `keep_body`, its body: what is kept after judging."""
        return replace(self, headers={}, body=self.body if keep_body else b"", _cache={})

    def json(self) -> Any:
        """The decoded JSON body; raises ValueError when the body is not JSON."""
        if "json" not in self._cache:
            try:
                self._cache["json"] = (True, json.loads(self.body.decode("utf-8")))
            except (UnicodeDecodeError, ValueError) as exc:
                self._cache["json"] = (False, str(exc))
        ok, value = self._cache["json"]
        if not ok:
            raise ValueError(value)
        return value

    def body_text(self, limit: int = 300) -> str:
        """The body as text for a report, cut at `limit` characters, non-printable characters (newlines too) escaped."""
        return printable(self.body[: limit * 4].decode("utf-8", errors="replace"), limit)

    def describe(self) -> str:
        """`GET /path?query` relative to the base URL, decoded and escaped, for a report."""
        query = urlsplit(self.url).query
        return printable(f"{self.method} {unquote(self.path)}" + (f"?{unquote(query)}" if query else ""), 300)

    def curl(self, masked: frozenset[str] = frozenset()) -> str:
        """One curl line that replays the request, with credential values masked."""
        parts = ["curl", "-sS", "-g", "-i"]
        hidden = {name.lower() for name in masked} | SECRET_HEADERS
        for name in sorted(self.request_headers):
            if name.lower() in hidden:
                parts += ["-H", f"{name}: {MASK}"]
        parts.append(self.url)
        return " ".join(shlex.quote(part) for part in parts)


def flatten_headers(headers: Mapping[str, Any]) -> dict[str, str]:
    """Lower-case header names, one string value each (lists are joined as HTTP would)."""
    flat: dict[str, str] = {}
    for name, value in headers.items():
        flat[name.lower()] = ", ".join(value) if isinstance(value, list) else str(value)
    return flat
