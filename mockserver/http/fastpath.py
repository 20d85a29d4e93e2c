"""The fast path: a WSGI layer in front of Flask that answers a repeated API request from memory.

An API answer is a pure function of the shared state (store version, scenario files), the method, the
path, the raw query and a few headers (Origin, Cookie, Prefer, the scenario and session headers, the
API key). Those make the key. A hit writes the kept status, headers and bytes and journals the request
like any other; no Flask, no Werkzeug request. A miss goes through Flask, whose journal hook says
whether the answer may be kept (mockserver.http.hooks.AnswerNote); answers with latency or faults
never are. Correctness never depends on the cache: without it every answer is the same, byte for byte.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mockserver.control.runtime import Runtime
from mockserver.http.answer_cache import AnswerCache, Kept, Stored
from mockserver.http.direct import DirectAnswers
from mockserver.http.hooks import NOTE_KEY, AnswerNote
from mockserver.state.exchange import answer_of
from mockserver.state.journal import SUMMARY, Entry, Row, row_of

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = ["MAX_KEY_CHARS", "ApiPaths", "FastPath", "key_environ"]

# Requests whose key is longer (a huge query string) are answered without the cache.
MAX_KEY_CHARS = 4096
_METHODS = frozenset({"GET", "HEAD"})


def key_environ(header_names: Iterable[str]) -> tuple[str, ...]:
    """Return the WSGI environ keys of request headers (X-Mock-Session is HTTP_X_MOCK_SESSION)."""
    return tuple(f"HTTP_{name.upper().replace('-', '_')}" for name in header_names)


@dataclass(frozen=True)
class ApiPaths:
    """The API's paths: literal ones, and templated ones (one segment per parameter, never empty).

    tails: the literal start of each template whose one parameter is its last segment (a prefix test);
    templated: the others, segment by segment.
    """

    literal: frozenset[str]
    tails: tuple[str, ...]
    templated: tuple[tuple[str, ...], ...]

    @classmethod
    def of(cls, documented: Iterable[str]) -> ApiPaths:
        """Read the document's path templates (/mailer/sendstatistics/{id})."""
        paths = list(documented)
        literal = frozenset(path for path in paths if "{" not in path)
        templates = [path for path in paths if "{" in path]
        tails = tuple(path.rsplit("/", 1)[0] + "/" for path in templates if _tail_only(path))
        others = tuple(tuple(path.split("/")) for path in templates if not _tail_only(path))
        return cls(literal, tails, others)

    def matches(self, path: str) -> bool:
        """Tell whether a request path is one of the API's."""
        if path in self.literal:
            return True
        for prefix in self.tails:
            if path.startswith(prefix):
                rest = path[len(prefix) :]
                if rest and "/" not in rest:
                    return True
        if not self.templated:
            return False
        segments = path.split("/")
        return any(_fits(template, segments) for template in self.templated)


def _tail_only(template: str) -> bool:
    """Tell whether a template's one parameter is its whole last segment (/a/b/{id})."""
    head, _, last = template.rpartition("/")
    return "{" not in head and last.startswith("{") and last.endswith("}") and last.count("{") == 1


def _fits(template: Sequence[str], segments: Sequence[str]) -> bool:
    """Tell whether path segments fit a template's (a parameter takes one non-empty segment)."""
    if len(template) != len(segments):
        return False
    for part, given in zip(template, segments, strict=True):
        if part.startswith("{") and part.endswith("}"):
            if not given:
                return False
        elif part != given:
            return False
    return True


class FastPath:
    """WSGI middleware: GET and HEAD of the API's paths answered from the AnswerCache, else by the app."""

    def __init__(
        self,
        app: WSGIApplication,
        runtime: Runtime,
        cache: AnswerCache[Kept],
        paths: ApiPaths,
        headers: Sequence[str],
        direct: DirectAnswers | None = None,
    ) -> None:
        self.app = app
        self.runtime = runtime
        self.cache = cache
        self.paths = paths
        self.headers = key_environ(headers)
        self.direct = direct

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Answer from memory when the same request was answered in the same state, else through the app."""
        started = time.perf_counter()
        method = environ.get("REQUEST_METHOD", "")
        path = environ.get("PATH_INFO", "")
        if method not in _METHODS or not self.paths.matches(path):
            return self.app(environ, start_response)
        state = self.runtime.state_key()
        query = environ.get("QUERY_STRING", "")
        key = (state, method, path, query, *map(environ.get, self.headers))
        found = self.cache.get(key)
        if found is None:
            return self._miss(environ, start_response, key, started)
        answer = found.answer
        start_response(answer.status, list(answer.headers))
        # The journal row of the request that built the answer, with this request's time, duration and headers
        # (a copy of the environ: the journal's writer reads the headers from it, off the request path).
        duration = (time.perf_counter() - started) * 1000
        row = (time.time(), *found.row, duration, found.worker, environ.copy(), *found.sent)
        self.runtime.journal.record_row(row)
        return [answer.body]

    def _miss(
        self, environ: WSGIEnvironment, start_response: StartResponse, key: tuple[Any, ...], started: float
    ) -> Iterable[bytes]:
        """Answer directly or through the app; keep the answer when it may be kept and the state held still."""
        key_size = sum(len(part) for part in key[1:] if isinstance(part, str))
        done = self.direct(environ, started) if self.direct is not None else None
        if done is not None:
            start_response(done.status, list(done.headers))
            if key_size <= MAX_KEY_CHARS:
                keeper = _Keeper(self, key, key_size, done.status, list(done.headers), done.entry)
                keeper.keep(done.body, done.answer.columns())
            return [done.body]
        note = AnswerNote()
        environ[NOTE_KEY] = note
        seen: list[tuple[str, list[tuple[str, str]]]] = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            seen.append((status, list(headers)))
            return start_response(status, headers, exc_info)

        body = self.app(environ, capture)
        if not note.cacheable or note.entry is None or not seen or key_size > MAX_KEY_CHARS:
            return body
        status, headers = seen[-1]
        keeper = _Keeper(self, key, key_size, status, headers, note.entry)
        length = next((value for name, value in headers if name.lower() == "content-length"), None)
        if length is not None and length.isdigit() and int(length) <= self.cache.max_entry:
            return [keeper.whole(body)]
        return keeper.stream(body)


@dataclass(frozen=True)
class _Keeper:
    """Collects a cacheable answer's body as it goes out and keeps it once complete."""

    fast: FastPath
    key: tuple[Any, ...]
    key_size: int
    status: str
    headers: list[tuple[str, str]]
    entry: Entry

    def whole(self, body: Iterable[bytes]) -> bytes:
        """Read a body of known, bounded length at once, keep it, and return it."""
        try:
            data = b"".join(body)
        finally:
            _close(body)
        self.keep(data)
        return data

    def stream(self, body: Iterable[bytes]) -> Iterator[bytes]:
        """Pass a body through chunk by chunk (the large index streams), keeping it if it fits."""
        chunks: list[bytes] | None = []
        size = 0
        try:
            for chunk in body:
                if chunks is not None:
                    size += len(chunk)
                    if size > self.fast.cache.max_entry:
                        chunks = None
                    else:
                        chunks.append(chunk)
                yield chunk
        finally:
            _close(body)
        if chunks is not None:
            self.keep(b"".join(chunks))

    def keep(self, data: bytes, sent: Row | None = None) -> None:
        """Keep the answer unless the state moved while it was built (it may stem from either state).

        sent: the journal's columns of the answer as sent (Answer.columns), when already computed.
        """
        if self.fast.runtime.state_key() != self.key[0]:
            return
        answer = Stored(self.status, tuple(self.headers), data)
        row = row_of(self.entry)[1 : SUMMARY - 2]
        if sent is None:
            sent = answer_of(self.headers, data, len(data)).columns()
        self.fast.cache.put(self.key, Kept(answer, row, self.entry.worker, sent), self.key_size)


def _close(body: Iterable[bytes]) -> None:
    """Call the body's close(), as a WSGI server must (Flask ends the request there)."""
    close = getattr(body, "close", None)
    if close is not None:
        close()
