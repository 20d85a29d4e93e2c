"""Hostile requests get a clear 4xx or the backend's documented answer, never a 5xx or a hang."""

from __future__ import annotations

import socket
from dataclasses import dataclass

import pytest
import requests

from contract.spec import Contract
from mockserver.scenario.library import default_scenario_dirs
from tests.robustness._answers import INDEX, VIEW, assert_valid_answer
from tests.robustness._mock import MockProcess
from tests.robustness._raw import exchange, request_bytes

ID = b"{ID}"  # Replaced by an id the index lists.
ONE_VALID_THEN_ZEROS = b"%5B%22id%22" + b",0" * 9_999 + b"%5D"


@dataclass(frozen=True)
class Hostile:
    """A raw request, the operation it aims at (None: none), and the statuses it may get."""

    name: str
    target: bytes
    allowed: frozenset[int]
    path: str | None = VIEW
    method: bytes = b"GET"
    headers: bytes = b""
    body: bytes = b""


def case(name: str, target: bytes, *allowed: int, path: str | None = VIEW, **raw: bytes) -> Hostile:
    """Build a hostile case; keyword arguments are raw method, headers and body."""
    return Hostile(name, target, frozenset(allowed), path, **raw)


def view(query: bytes) -> bytes:
    """The view of a listed mailing with a query string."""
    return b"/mailer/sendstatistics/" + ID + b"?" + query


def header_lines(count: int) -> bytes:
    """count distinct harmless header lines."""
    return b"".join(b"X-Flood-%d: v\r\n" % n for n in range(count))


CASES = [
    # Huge query strings: the server's URI limit (414/431) or an answer that ignores the extra parameter.
    case("query-100KB", view(b"x=" + b"a" * 100_000), 200, 414, 431),
    case("query-1MB", view(b"x=" + b"a" * 1_000_000), 414, 431),
    case("query-60KB-parameter-name", view(b"p" * 60_000 + b"=1"), 200, 414, 431),
    case("query-5000-parameters", view(b"&".join(b"p%d=1" % n for n in range(5_000))), 200, 414, 431),
    # Deep JSON in fields: PHP's json_decode gives up past depth 512 and the backend falls back to ["id"].
    case("fields-10000-nested-arrays", view(b"fields=" + b"%5B" * 10_000 + b"%5D" * 10_000), 200, 414),
    case("fields-10000-nested-arrays-unencoded", view(b"fields=" + b"[" * 10_000 + b"]" * 10_000), 200, 400, 414),
    case("fields-4000-nested-objects", view(b"fields=" + b"%7B%22a%22:" * 4_000 + b"1" + b"%7D" * 4_000), 200, 400),
    # 10,000 field names: unknown ones are dropped; no valid one is 400 (code 20620).
    case("fields-10000-unknown-names", view(b"fields=%5B" + b",".join([b"0"] * 10_000) + b"%5D"), 400),
    case("fields-10000-names-one-valid", view(b"fields=" + ONE_VALID_THEN_ZEROS), 200),
    case("fields-10000-quoted-names", view(b"fields=%5B" + b"%2C".join([b"%22id%22"] * 10_000) + b"%5D"), 200, 414),
    case("fields-10000-commas", view(b"fields=" + b"id," * 10_000), 200),
    # Invalid UTF-8 and invalid percent-encoding, in the path and in the query.
    case("path-invalid-utf8-raw", b"/mailer/sendstatistics/\xff\xfe", 400, 404),
    case("path-invalid-utf8-encoded", b"/mailer/sendstatistics/%FF%FE", 404),
    case("path-bad-percent", b"/mailer/sendstatistics/%zz", 400, 404),
    case("path-truncated-percent", b"/mailer/sendstatistics/1%", 400, 404),
    case("query-invalid-utf8-raw", view(b"fields=\xff\xfe"), 200, 400),
    case("query-invalid-utf8-encoded", view(b"fields=%FF%FE"), 200),
    case("query-overlong-utf8", view(b"fields=%C0%AF"), 200),
    case("query-lone-surrogate-in-json", view(b"fields=%5B%22%5Cud800%22%5D"), 200, 400),
    case("query-bad-percent", view(b"fields=%zz%2"), 200, 400),
    case("query-name-bad-percent", view(b"%zz=1&%=2"), 200),
    case("query-crlf-in-value", view(b"fields=%0D%0AX-Injected:%201"), 200),
    # Ids beyond 64 bits, negative, zero, floats: no mailing, 404.
    case("id-2-to-the-64", b"/mailer/sendstatistics/18446744073709551616", 404),
    case("id-2-to-the-63", b"/mailer/sendstatistics/9223372036854775808", 404),
    case("id-10-to-the-30", b"/mailer/sendstatistics/1" + b"0" * 30, 404),
    case("id-negative", b"/mailer/sendstatistics/-1", 404),
    case("id-zero", b"/mailer/sendstatistics/0", 404),
    case("id-1e400", b"/mailer/sendstatistics/1e400", 404),
    case("id-5000-digits", b"/mailer/sendstatistics/" + b"9" * 5_000, 404),
    case("id-nan", b"/mailer/sendstatistics/NaN", 404),
    # Header floods.
    case("headers-90", INDEX.encode(), 200, path=INDEX, headers=header_lines(90)),
    case("headers-1000", INDEX.encode(), 400, 431, path=INDEX, headers=header_lines(1_000)),
    case("header-64KB", INDEX.encode(), 200, 431, path=INDEX, headers=b"X-Big: " + b"v" * 65_536 + b"\r\n"),
    case("header-1MB", INDEX.encode(), 400, 431, path=INDEX, headers=b"X-Big: " + b"v" * 1_000_000 + b"\r\n"),
    case("header-invalid-utf8", INDEX.encode(), 200, path=INDEX, headers=b"X-Estis-Auth: \xff\xfe\r\n"),
    case("header-hostile-scenario", INDEX.encode(), 200, 400, 404, path=INDEX, headers=b"X-Mock-Scenario: ../x\r\n"),
    # The mock's own controls, misused: unknown or path-like scenarios, bad sessions, odd Prefer codes.
    case("scenario-unknown", INDEX.encode(), 400, 404, path=INDEX, headers=b"X-Mock-Scenario: no-such-one\r\n"),
    case("scenario-traversal-query", INDEX.encode() + b"?__scenario=../../etc/passwd", 400, 404, 422, path=INDEX),
    case("scenario-absolute-file", INDEX.encode() + b"?__scenario=%2Fetc%2Fhosts.yaml", 400, 404, 422, path=INDEX),
    case(
        "scenario-10KB-name",
        INDEX.encode(),
        400,
        404,
        path=INDEX,
        headers=b"X-Mock-Scenario: " + b"a" * 10_000 + b"\r\n",
    ),
    # A name longer than a file name may be (255 bytes) once answered 500, with a traceback in the log.
    case("scenario-300-byte-file-query", INDEX.encode() + b"?__scenario=" + b"a" * 295 + b".yaml", 400, path=INDEX),
    case(
        "scenario-300-byte-file-header",
        INDEX.encode(),
        400,
        path=INDEX,
        headers=b"X-Mock-Scenario: " + b"a" * 295 + b".yaml\r\n",
    ),
    case(
        "scenario-300-byte-file-cookie",
        INDEX.encode(),
        400,
        path=INDEX,
        headers=b"Cookie: mock_scenario=" + b"a" * 295 + b".yaml\r\n",
    ),
    case("session-invalid-id", INDEX.encode(), 200, 400, 404, path=INDEX, headers=b"X-Mock-Session: ../x\r\n"),
    case("prefer-code-huge", INDEX.encode(), 200, 400, path=INDEX, headers=b"Prefer: code=" + b"9" * 400 + b"\r\n"),
    case("prefer-code-garbage", INDEX.encode(), 200, 400, path=INDEX, headers=b"Prefer: code=x, code=-1\r\n"),
    case(
        "cookie-flood",
        INDEX.encode(),
        200,
        400,
        431,
        path=INDEX,
        headers=b"Cookie: " + b"; ".join(b"c%d=v" % n for n in range(2_000)) + b"\r\n",
    ),
    # NUL bytes.
    case("nul-raw-in-path", b"/mailer/sendstatistics/" + ID + b"\x00", 400),
    case("nul-encoded-in-path", b"/mailer/sendstatistics/" + ID + b"%00", 404),
    case("nul-encoded-in-query", view(b"fields=%00"), 200),
    case("nul-in-header", INDEX.encode(), 200, 400, path=INDEX, headers=b"X-Nul: a\x00b\r\n"),
    # Very long paths.
    case("path-8KB", b"/" + b"a" * 8_000, 404, path=None),
    case("path-100KB", b"/" + b"a" * 100_000, 404, 414, path=None),
    case("path-5000-segments", b"/mailer" + b"/sendstatistics" * 5_000, 404, 414, path=None),
    # Methods other than GET: 405 in the API's error shape; CORS preflight and HEAD are answered.
    case("post", INDEX.encode(), 405, path=INDEX, method=b"POST", headers=b"Content-Length: 2\r\n", body=b"{}"),
    case("put", INDEX.encode(), 405, path=INDEX, method=b"PUT", headers=b"Content-Length: 0\r\n"),
    case("delete", b"/mailer/sendstatistics/" + ID, 405, method=b"DELETE"),
    case("patch", b"/mailer/sendstatistics/" + ID, 405, method=b"PATCH", headers=b"Content-Length: 0\r\n"),
    case("trace", INDEX.encode(), 405, path=INDEX, method=b"TRACE"),
    case("unknown-method", INDEX.encode(), 400, 405, 501, path=INDEX, method=b"BREW"),
    case("connect", b"127.0.0.1:1", 400, 404, 405, path=None, method=b"CONNECT"),
    case("options-asterisk", b"*", 200, 204, 400, 404, path=None, method=b"OPTIONS"),
    case(
        "options-preflight",
        INDEX.encode(),
        200,
        204,
        path=INDEX,
        method=b"OPTIONS",
        headers=b"Origin: http://localhost:5173\r\nAccess-Control-Request-Method: GET\r\n",
    ),
    case("head", b"/mailer/sendstatistics/" + ID, 200, method=b"HEAD"),
    # Framing oddities.
    case("get-with-declared-body-never-sent", INDEX.encode(), 200, 400, path=INDEX, headers=b"Content-Length: 100\r\n"),
    case(
        "get-with-chunked-body",
        INDEX.encode(),
        200,
        400,
        path=INDEX,
        headers=b"Transfer-Encoding: chunked\r\n",
        body=b"5\r\nhello\r\n0\r\n\r\n",
    ),
    case("absolute-form-target", b"http://example.invalid" + INDEX.encode(), 200, 400, path=INDEX),
]


@pytest.fixture(scope="module")
def known_id(mock: MockProcess) -> bytes:
    """An id the default scenario's index lists."""
    statistics = requests.get(f"{mock.url}{INDEX}", timeout=30).json()["statistics"]
    return str(statistics[0]["id"]).encode()


@pytest.mark.parametrize("hostile", CASES, ids=[c.name for c in CASES])
def test_hostile_request_gets_a_clear_answer(
    hostile: Hostile, mock: MockProcess, known_id: bytes, contract: Contract
) -> None:
    """A hostile request is answered in time with an allowed status and a valid body, and the server lives on."""
    head = hostile.method == b"HEAD"
    target = hostile.target.replace(ID, known_id)
    raw = request_bytes(hostile.method, target, hostile.headers, hostile.body)
    reply = exchange(mock.host, mock.port, raw, head=head)
    assert reply.status in hostile.allowed, f"{reply.status} {reply.body[:300]!r}"
    assert_valid_answer(contract, reply.status, reply.header("Content-Type"), reply.body, hostile.path)
    assert mock.answers(), "the mock stopped answering after the request"


CONTROL_CASES = [
    ("PUT", "/__mock/scenario", {"name": "a" * 295 + ".yaml"}),
    ("PUT", "/__mock/scenario", {"name": f"{default_scenario_dirs()[0]}/{'a' * 300}.yaml"}),
    ("PUT", "/__mock/clock", {"now": 10**400}),
    ("POST", "/__mock/clock/advance", {"seconds": 10**400}),
    ("PUT", "/__mock/sessions/qa-huge", {"now": 10**400}),
    ("GET", "/__mock/journal?since=" + "9" * 400, None),
    ("GET", "/__mock/journal?after=" + "9" * 5000, None),
]


@pytest.mark.parametrize(("method", "path", "body"), CONTROL_CASES, ids=[f"{m} {p[:30]}" for m, p, _ in CONTROL_CASES])
def test_hostile_control_requests_are_a_400_that_says_why(
    mock: MockProcess, method: str, path: str, body: object
) -> None:
    """Over-long scenario names and integers far out of range on the control API are 400s, never 500s."""
    response = requests.request(method, mock.url + path, json=body, timeout=30)
    assert response.status_code == 400, response.text[:300]
    assert response.json()["message"]
    assert mock.answers()


def test_garbage_request_line_is_400(mock: MockProcess) -> None:
    """Bytes that are no HTTP request get a 400 or a closed connection, and the server lives on."""
    try:
        status = exchange(mock.host, mock.port, b"\x00\x01\x02 garbage\r\n\r\n").status
    except ConnectionError:
        status = 400  # Closing the connection is as clear a refusal.
    assert status == 400
    assert mock.answers()


def test_a_stalled_client_does_not_block_others(mock: MockProcess) -> None:
    """A client that sends half a request and stalls does not keep the server from answering others."""
    with socket.create_connection((mock.host, mock.port), timeout=10) as stalled:
        stalled.sendall(b"GET /mailer/sendstatistics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Half: ")
        for _ in range(20):
            assert requests.get(f"{mock.url}{INDEX}", timeout=10).status_code == 200
