"""An exchange in full: request headers with credentials hidden, the answer's headers and bounded body."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Response

from mockserver.state.exchange import (
    MAX_BODY,
    REDACTED,
    HeaderText,
    answer_of,
    body_json,
    raw_request_headers,
    recorded,
    shown_request_headers,
)


def environ(method: str = "GET", **headers: str) -> dict[str, object]:
    """A WSGI environ of a request with these headers (underscores in names become dashes)."""
    named = {name.replace("_", "-"): value for name, value in headers.items()}
    return EnvironBuilder(path="/mailer/sendstatistics", method=method, headers=named).get_environ()


def test_request_headers_are_read_from_the_environ_with_their_names() -> None:
    """HTTP_* keys and the content headers become header names as a client writes them."""
    raw = raw_request_headers(environ(X_Mock_Session="qa", Content_Type="application/json", Accept="*/*"))
    shown = dict(map(tuple, shown_request_headers(raw)))
    assert shown["X-Mock-Session"] == "qa"
    assert shown["Content-Type"] == "application/json"
    assert shown["Accept"] == "*/*"


@pytest.mark.parametrize(
    "name", ["Authorization", "Proxy-Authorization", "X-Estis-Auth", "X-Api-Key", "X-Auth-Token", "X-Client-Secret"]
)
def test_credentials_are_redacted(name: str) -> None:
    """Authorization, the API key and any header named like a key, token or secret keep only their name."""
    shown = shown_request_headers(raw_request_headers(environ(**{name.replace("-", "_"): "s3cret"})))
    assert [name, REDACTED] in shown
    assert "s3cret" not in str(shown)


def test_only_the_mocks_own_cookies_keep_their_values() -> None:
    """mock_scenario and mock_session are shown; every other cookie shows its name only."""
    shown = dict(map(tuple, shown_request_headers((("HTTP_COOKIE", "mock_scenario=empty; sid=abc; mock_session=qa"),))))
    assert shown["Cookie"] == f"mock_scenario=empty; sid={REDACTED}; mock_session=qa"


def test_a_cookie_header_that_does_not_parse_is_redacted_whole() -> None:
    """A Cookie header the parser cannot read is hidden rather than shown raw."""
    assert shown_request_headers((("HTTP_COOKIE", "=;;"),)) == [["Cookie", REDACTED]]


def test_headers_are_read_from_a_copied_environ_too() -> None:
    """A cached answer's entry holds the request's environ; the writer reads the same headers from it."""
    request = environ(X_Mock_Session="qa", Cookie="mock_scenario=empty")
    assert HeaderText()(request) == HeaderText()(raw_request_headers(request))


def test_header_text_is_encoded_once_per_distinct_set() -> None:
    """The writer's encoder returns the same text for the same headers, and forgets all when full."""
    text = HeaderText(size=2)
    first = text((("HTTP_A", "1"),))
    assert text((("HTTP_A", "1"),)) is first
    text((("HTTP_B", "2"),))
    text((("HTTP_C", "3"),))
    assert text((("HTTP_A", "1"),)) == first == '[["A", "1"]]'


def test_a_body_is_cut_to_max_body_and_named_with_its_headers() -> None:
    """An answer keeps its first MAX_BODY bytes; equal headers and kept bytes give the same id, others another."""
    headers = [("Content-Type", "application/json")]
    big = answer_of(headers, b"x" * (MAX_BODY + 10), MAX_BODY + 10)
    assert (len(big.body), big.size) == (MAX_BODY, MAX_BODY + 10)
    assert answer_of(headers, b"x" * MAX_BODY, None).id == big.id
    assert answer_of(headers, b"y", 1).id != big.id
    assert answer_of([], b"x" * MAX_BODY, None).id != big.id
    assert big.headers == '[["Content-Type", "application/json"]]'


def test_a_kept_body_is_shown_as_text() -> None:
    """A whole body is decoded; a cut inside a character drops that character; bad bytes become U+FFFD."""
    word = "Привет".encode()
    assert body_json(word, len(word)) == {"body": "Привет", "body_size": 12, "body_kept": 12}
    assert body_json(word[:5], None)["body"] == "Пр"
    assert body_json(b"\xff{}", 3)["body"] == "\ufffd{}"
    assert body_json(None, 0) == {"body": "", "body_size": 0, "body_kept": 0}


def test_an_answer_not_sent_has_no_answer_side() -> None:
    """A dropped connection or a timeout records the request's headers and no answer."""
    exchange = recorded(environ(Accept="*/*"), Response(b"{}"), sent=False, built=None)
    assert exchange.answer is None
    assert ("HTTP_ACCEPT", "*/*") in exchange.request_headers


def test_a_head_request_keeps_an_empty_body() -> None:
    """A HEAD answer's body is empty on the wire, so the journal keeps none."""
    exchange = recorded(environ("HEAD"), Response(b'{"a":1}'), sent=True, built=None)
    assert exchange.answer is not None
    assert (exchange.answer.body, exchange.answer.size) == (b"", 0)


def test_a_cut_answer_keeps_the_answer_as_built() -> None:
    """With a truncate fault the journal keeps the whole answer as built, not the half sent."""
    exchange = recorded(environ(), Response(b"{}"), sent=True, built=b'{"whole":true}')
    assert exchange.answer is not None
    assert exchange.answer.body == b'{"whole":true}'


def chunks(count: int, size: int) -> Iterator[bytes]:
    """Yield count chunks of size bytes each."""
    for number in range(count):
        yield bytes([65 + number % 26]) * size


def test_a_long_stream_is_read_only_as_far_as_it_is_kept_and_sent_whole() -> None:
    """A streamed answer longer than MAX_BODY keeps its first MAX_BODY bytes; the client still gets all of it."""
    response = Response(chunks(10, MAX_BODY // 4))
    exchange = recorded(environ(), response, sent=True, built=None)
    assert exchange.answer is not None
    assert (len(exchange.answer.body), exchange.answer.size) == (MAX_BODY, None)
    assert b"".join(response.iter_encoded()) == b"".join(chunks(10, MAX_BODY // 4))


def test_a_short_stream_is_kept_whole_with_its_size() -> None:
    """A streamed answer shorter than MAX_BODY is kept whole, its size known, and sent unchanged."""
    response = Response(chunks(3, 10))
    exchange = recorded(environ(), response, sent=True, built=None)
    assert exchange.answer is not None
    assert (exchange.answer.body, exchange.answer.size) == (b"A" * 10 + b"B" * 10 + b"C" * 10, 30)
    assert response.get_data() == exchange.answer.body
