"""An exchange opened in full: a journal entry's request headers (credentials hidden), answer headers and body.

What the request path records is cheap: the request's headers as raw WSGI environ pairs (a cached answer
keeps a copy of the environ itself, the cheapest thing to take), and the answer: its headers encoded once
and its body cut to MAX_BODY, named together by a digest, so that an answer repeated by thousands of
requests is stored once. The journal's writer turns the raw headers into what is shown, with credentials
replaced by REDACTED, off the request path.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from http.cookies import CookieError, SimpleCookie
from itertools import chain
from typing import Any

from werkzeug.wrappers import Response

from mockserver.names import SCENARIO_COOKIE, SESSION_COOKIE

__all__ = [
    "MAX_BODY",
    "REDACTED",
    "Answer",
    "Exchange",
    "HeaderText",
    "RawHeaders",
    "RequestHeaders",
    "answer_of",
    "body_json",
    "raw_request_headers",
    "recorded",
    "shown_request_headers",
]

# Bytes of an answer's body kept per distinct body: every answer of the shipped scenarios but the large
# index (29 MB) fits whole.
MAX_BODY = 64 * 1024
REDACTED = "[redacted]"
# Request headers whose value is a credential: Authorization, Proxy-Authorization, the API key
# (X-Estis-Auth), and anything named like a key, token, secret or password.
_SECRET = re.compile(r"auth|token|secret|passw|api[-_]?key", re.IGNORECASE)
# The mock's own cookies select a scenario or a session: shown, while every other cookie's value is hidden.
_SHOWN_COOKIES = frozenset({SCENARIO_COOKIE, SESSION_COOKIE})
_CONTENT = {"CONTENT_TYPE": "Content-Type", "CONTENT_LENGTH": "Content-Length"}
# A request's headers as the WSGI environ holds them: (HTTP_X_MOCK_SESSION, value), (CONTENT_TYPE, value).
RawHeaders = tuple[tuple[str, str], ...]
# What a journal row holds of a request's headers: raw pairs, or a copy of its environ to read them from.
RequestHeaders = RawHeaders | Mapping[str, Any]


@dataclass(frozen=True)
class Answer:
    """The answer side of an exchange as stored: a digest of headers and kept body, headers (JSON), body, size.

    size is the whole body's length in bytes; None when unknown (a streamed answer longer than what is kept).
    """

    id: str
    headers: str
    body: bytes
    size: int | None

    def columns(self) -> tuple[str, str, bytes, int | None]:
        """Return the values a journal row carries for the answer: id, headers, body, size."""
        return (self.id, self.headers, self.body, self.size)


@dataclass(frozen=True)
class Exchange:
    """What a journal entry keeps besides its summary: the raw request headers, and the answer (None: none sent)."""

    request_headers: RequestHeaders
    answer: Answer | None

    def columns(self) -> tuple[Any, ...]:
        """Return the values a journal row carries for the exchange: raw request headers, then the answer's."""
        if self.answer is None:
            return (self.request_headers, None, None, None, None)
        return (self.request_headers, *self.answer.columns())


def raw_request_headers(environ: Mapping[str, Any]) -> RawHeaders:
    """Return a request's headers from its WSGI environ, as raw pairs (the cheap part, on the request path)."""
    return tuple((key, value) for key, value in environ.items() if key.startswith("HTTP_") or key in _CONTENT)


def answer_of(headers: Iterable[tuple[str, str]], body: bytes, size: int | None) -> Answer:
    """Return an answer to store: its headers as JSON and its body cut to MAX_BODY, named by a digest of both."""
    kept = body[:MAX_BODY]
    text = json.dumps([[name, value] for name, value in headers], ensure_ascii=False)
    digest = hashlib.blake2b(text.encode(), digest_size=16)
    digest.update(kept)
    return Answer(digest.hexdigest(), text, kept, size)


def recorded(environ: Mapping[str, Any], response: Response, *, sent: bool, built: bytes | None) -> Exchange:
    """Return the exchange of a finished Flask answer; a streamed body is read only as far as MAX_BODY.

    sent: False when no answer went out (a dropped connection, a timeout); built: the whole answer as built
    when a fault cut it on the way out (truncate), which is what the entry then shows.
    """
    request_headers = raw_request_headers(environ)
    if not sent:
        return Exchange(request_headers, None)
    headers = response.headers.to_wsgi_list()
    size: int | None
    if environ.get("REQUEST_METHOD") == "HEAD":
        body, size = b"", 0
    elif built is not None:
        body, size = built, len(built)
    elif response.is_streamed:
        body, size = _peek(response)
    else:
        body = response.get_data()
        size = len(body)
    return Exchange(request_headers, answer_of(headers, body, size))


def _peek(response: Response) -> tuple[bytes, int | None]:
    """Read a streamed body's first MAX_BODY bytes and put them back in front of the rest of the stream."""
    stream = response.iter_encoded()
    taken: list[bytes] = []
    size = 0
    for chunk in stream:
        taken.append(chunk)
        size += len(chunk)
        if size >= MAX_BODY:
            response.response = _replay(taken, stream)
            return b"".join(taken)[:MAX_BODY], None
    response.response = taken
    return b"".join(taken), size


def _replay(taken: Sequence[bytes], rest: Iterator[bytes]) -> Iterator[bytes]:
    """Yield the chunks already read, then the rest of the stream."""
    yield from chain(taken, rest)


class HeaderText:
    """Turns request headers into the JSON shown (names as sent, credentials redacted), remembering recent ones.

    Most clients send the same headers request after request, so the writer encodes each set once.
    """

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._known: dict[RawHeaders, str] = {}

    def __call__(self, headers: RequestHeaders) -> str:
        """Return the JSON text of a request's shown headers."""
        raw = headers if isinstance(headers, tuple) else raw_request_headers(headers)
        found = self._known.get(raw)
        if found is None:
            if len(self._known) >= self.size:
                self._known.clear()
            found = self._known[raw] = json.dumps(shown_request_headers(raw), ensure_ascii=False)
        return found


def shown_request_headers(raw: RawHeaders) -> list[list[str]]:
    """Return request headers as [name, value] pairs, credentials redacted and other cookies' values hidden."""
    shown = []
    for key, value in raw:
        name = _CONTENT.get(key) or "-".join(part.capitalize() for part in key[5:].split("_"))
        if _SECRET.search(name):
            value = REDACTED
        elif name == "Cookie":
            value = _cookies(value)
        shown.append([name, value])
    return shown


def _cookies(header: str) -> str:
    """Return a Cookie header with every value but the mock's own cookies' replaced by REDACTED."""
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(header)
    except CookieError:
        return REDACTED
    if not jar:
        return REDACTED
    return "; ".join(f"{name}={morsel.value if name in _SHOWN_COOKIES else REDACTED}" for name, morsel in jar.items())


def body_json(body: bytes | None, size: int | None) -> dict[str, Any]:
    """Return a kept body as the control API shows it: UTF-8 text, the whole size, the bytes kept."""
    kept = body or b""
    # A body cut inside a character loses that character's first bytes, not the text (final=False).
    text = codecs.getincrementaldecoder("utf-8")("replace").decode(kept, final=size == len(kept))
    return {"body": text, "body_size": size, "body_kept": len(kept)}
