"""The two API operations over HTTP: bodies, statuses, the PHP encoding, warnings, hostile input."""

from __future__ import annotations

import itertools
import json
import logging
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from contract.spec import Contract
from mockserver.model.mailing import Mailing
from tests.conftest import (
    EMPTY_MAILING,
    LIST_ERRORS_MAILING,
    MAILINGS,
    OBJECT_ERRORS_MAILING,
    SEED_MAILING,
    FakeSource,
    MakeApp,
)

INDEX = "/mailer/sendstatistics"
VIEW = "/mailer/sendstatistics/{id}"
ALL = ("id", "common", "open_time", "click_statistic", "domain_statistic", "errors")
SUBSETS = [names for size in range(1, len(ALL) + 1) for names in itertools.combinations(ALL, size)]


def view_url(mailing_id: int | str, fields: Sequence[str] | None = None) -> str:
    """Build a view URL with fields JSON-encoded as the vendor's clients send it."""
    url = f"{INDEX}/{mailing_id}"
    return url if fields is None else f"{url}?fields={quote(json.dumps(list(fields)))}"


def warnings_of(response: TestResponse) -> list[str]:
    """Return every X-Mock-Warning header of a response."""
    return response.headers.getlist("X-Mock-Warning")


def assert_valid(contract: Contract, path: str, response: TestResponse) -> Any:
    """Decode a JSON body, check it against the documented response schema and return it."""
    assert response.content_type == "application/json; charset=UTF-8"
    body = json.loads(response.data)
    contract.response_validator(path, response.status_code).validate(body)
    return body


def test_the_index_lists_every_mailing_by_id(client: FlaskClient, contract: Contract) -> None:
    """The index answers each mailing's id and subject line, ascending, as the document's schema says."""
    response = client.get(INDEX)
    assert response.status_code == 200
    body = assert_valid(contract, INDEX, response)
    assert body == {"statistics": [{"id": m.id, "letter_title": m.letter_title} for m in MAILINGS]}
    assert warnings_of(response) == []


def test_the_index_escapes_titles_as_php_does(client: FlaskClient) -> None:
    """Subject lines arrive \\u-escaped, the emoji as a surrogate pair."""
    assert b'"letter_title":"\\u0421\\u043a\\u0438\\u0434\\u043a\\u0438 ' in client.get(INDEX).data
    assert b"\\ud83d\\udd25" in client.get(INDEX).data


def test_an_empty_account_gets_204_with_no_body(make_app: MakeApp) -> None:
    """With no mailings the index is 204 with an empty body and no content type, by default."""
    response = make_app(mailings=()).test_client().get(INDEX)
    assert (response.status_code, response.data) == (204, b"")
    assert "Content-Type" not in response.headers


def test_an_empty_account_can_get_200_with_an_empty_list(make_app: MakeApp, contract: Contract) -> None:
    """SENDSTAT_EMPTY_INDEX_STATUS=200 answers {"statistics": []} instead."""
    response = make_app(mailings=(), SENDSTAT_EMPTY_INDEX_STATUS=200).test_client().get(INDEX)
    assert response.status_code == 200
    assert assert_valid(contract, INDEX, response) == {"statistics": []}
    assert response.data == b'{"statistics":[]}'


@pytest.mark.parametrize(("sort_field", "warns"), [("id", False), ("date", True), ("-id", True), ("", True)])
def test_sort_field_never_changes_the_order(client: FlaskClient, sort_field: str, warns: bool) -> None:
    """Any sort_field answers the list by id; a value other than id adds a warning."""
    response = client.get(f"{INDEX}?sort_field={sort_field}")
    assert response.status_code == 200
    assert response.data == client.get(INDEX).data
    assert bool(warnings_of(response)) is warns


def test_a_view_without_fields_answers_the_id(client: FlaskClient, contract: Contract) -> None:
    """The default fields are ["id"]."""
    response = client.get(view_url(42))
    assert response.status_code == 200
    assert assert_valid(contract, VIEW, response) == {"id": 42}
    assert response.data == b'{"id":42}'


@pytest.mark.parametrize("mailing", MAILINGS, ids=lambda m: f"mailing-{m.id}")
@pytest.mark.parametrize("names", [None, *SUBSETS], ids=lambda n: "default" if n is None else "+".join(n))
def test_every_fields_combination_validates(
    client: FlaskClient, contract: Contract, mailing: Mailing, names: tuple[str, ...] | None
) -> None:
    """Each of the 63 subsets (and the default) answers exactly those sections, valid per the document."""
    response = client.get(view_url(mailing.id, names))
    assert response.status_code == 200
    body = assert_valid(contract, VIEW, response)
    assert tuple(body) == (names or ("id",))
    assert warnings_of(response) == []


def test_the_seeds_mailing_is_sent_byte_for_byte_as_in_the_seed(client: FlaskClient) -> None:
    """All six sections of the seed's example come out as the seed shows them, empty maps as []."""
    expected = (
        b'{"id":1,"common":{"count":1,"delivered":1,"bounce":0,"opened":1,"clicked":0,"spam":0,"unsubs":0},'
        b'"open_time":{"1474279200":1},"click_statistic":[],'
        b'"domain_statistic":{"example.com":{"delivered":1,"bounce":0}},"errors":[]}'
    )
    assert client.get(view_url(1, ALL)).data == expected


@pytest.mark.parametrize(
    ("mailing", "fields", "expected"),
    [
        (
            EMPTY_MAILING,
            ("open_time", "click_statistic", "domain_statistic", "errors"),
            b'{"open_time":[],"click_statistic":[],"domain_statistic":[],"errors":[]}',
        ),
        (LIST_ERRORS_MAILING, ("errors",), b'{"errors":[7]}'),
        (OBJECT_ERRORS_MAILING, ("errors",), b'{"errors":{"0":1,"6":2}}'),
        (
            LIST_ERRORS_MAILING,
            ("click_statistic",),
            b'{"click_statistic":{"https:\\/\\/example.com\\/sale?utm=mail":6,"https:\\/\\/example.com\\/":3}}',
        ),
        (
            LIST_ERRORS_MAILING,
            ("domain_statistic",),
            b'{"domain_statistic":{"mail.ru":{"delivered":400,"bounce":5},"\\u043f\\u043e\\u0447\\u0442\\u0430.\\u0440\\u0444":{"delivered":93,"bounce":2}}}',
        ),
    ],
    ids=["empty-maps", "errors-as-list", "errors-as-object", "slashes", "unicode-keys"],
)
def test_sections_carry_phps_encoding_quirks(
    client: FlaskClient, mailing: Mailing, fields: tuple[str, ...], expected: bytes
) -> None:
    """Empty maps are [], code-0-only errors a list, / is \\/, non-ASCII keys \\u-escaped."""
    assert client.get(view_url(mailing.id, fields)).data == expected


def test_a_deployment_can_send_raw_utf8_and_slashes(make_app: MakeApp) -> None:
    """SENDSTAT_PHP_JSON_FLAGS with JSON_UNESCAPED_UNICODE and _SLASHES sends raw UTF-8 and /."""
    client = make_app(SENDSTAT_PHP_JSON_FLAGS=["JSON_UNESCAPED_UNICODE", "JSON_UNESCAPED_SLASHES"]).test_client()
    data = client.get(view_url(42, ["click_statistic", "domain_statistic"])).data
    assert '"почта.рф"'.encode() in data
    assert b'"https://example.com/"' in data


@pytest.mark.parametrize(
    "segment", ["999", "0", "-3", "1.5", "abc", "%20", "99999999999999999999999", "1" * 5000, "%FF", "%C3%A9"]
)
def test_ids_that_name_no_mailing_are_404(client: FlaskClient, contract: Contract, segment: str) -> None:
    """Unknown, non-numeric, fractional, negative, zero and beyond-64-bit ids answer the document's 404."""
    response = client.get(f"{INDEX}/{segment}")
    assert response.status_code == 404
    assert assert_valid(contract, VIEW, response) == {"message": "Not found"}


@pytest.mark.parametrize(("segment", "php_id"), [("42abc", 42), ("%2042", 42), ("1e1", 10), ("42.0", 42)])
def test_ids_php_would_read_differently_are_404_with_a_warning(client: FlaskClient, segment: str, php_id: int) -> None:
    """A segment PHP's `$id *= 1` reads as a valid id is 404 here, and the warning says which mailing PHP reads."""
    response = client.get(f"{INDEX}/{segment}")
    assert response.status_code == 404
    assert [f"reads it as {php_id} and may answer mailing {php_id}" in w for w in warnings_of(response)] == [True]


@pytest.mark.parametrize("fields", ['["bogus"]', '"common"', '{"a":"bogus"}', "1", "true", "[1]"])
def test_bad_fields_are_the_documented_400(client: FlaskClient, contract: Contract, fields: str) -> None:
    """A list with no valid name, or JSON that is not a list, answers 400 / 20620 with a hint."""
    response = client.get(f"{INDEX}/1?fields={quote(fields)}")
    assert response.status_code == 400
    body = assert_valid(contract, VIEW, response)
    assert body == {"code": contract.invalid_fields.code, "message": contract.invalid_fields.message}
    assert response.data == b'{"code":20620,"message":"Invalid fields. Wrong parameters of string fields"}'
    assert len(warnings_of(response)) == 1


def test_bad_fields_are_judged_before_the_id(client: FlaskClient) -> None:
    """Decision: a bad fields on an unknown id is 400 (fields needs no lookup)."""
    assert client.get(f"{INDEX}/999?fields=" + quote('["bogus"]')).status_code == 400


@pytest.mark.parametrize(
    ("url", "fragments"),
    [
        (f"{INDEX}/1?fields=id,common", ["does not read comma-separated fields"]),
        (f"{INDEX}/1?fields[]=id&fields[]=common", ["does not read fields[]="]),
        (f"{INDEX}/1?fields=id&fields=common", ["given 2 times", "a bare name in fields"]),
        (f"{INDEX}/1?fields=" + quote('["common","bogus"]'), ['dropped, as it does: "bogus"']),
        (f"{INDEX}/1?fields=" + quote('["common"'), ["is not JSON"]),
        (f"{INDEX}/1?field=" + quote('["common"]'), ['"field" (did you mean "fields"?)']),
        (f"{INDEX}?sortField=id", ['"sortField" (did you mean "sort_field"?)']),
        (f"{INDEX}?sort=id", ['"sort" (did you mean "sort_field"?)']),
        (f"{INDEX}?limit=10&page=2", ['ignores "limit", "page" and lists every mailing']),
        (f"{INDEX}?sort_field=title", ['sort_field "title" is not sortable']),
        (f"{INDEX}/12abc", ["reads it as 12"]),
        (f"{INDEX}/1?sort_field=id", ['this operation does not read "sort_field"']),
    ],
)
def test_requests_relying_on_what_the_backend_does_not_do_warn(
    client: FlaskClient, url: str, fragments: list[str]
) -> None:
    """Each such request carries one X-Mock-Warning header per warning, each saying what the real service does."""
    found = warnings_of(client.get(url))
    assert len(found) == len(fragments)
    assert all(fragment in warning for fragment, warning in zip(fragments, found, strict=True))


def test_warnings_can_be_turned_off(make_app: MakeApp) -> None:
    """SENDSTAT_WARNINGS=False answers the same body without X-Mock-Warning."""
    response = make_app(SENDSTAT_WARNINGS=False).test_client().get(f"{INDEX}/1?fields=id,common")
    assert (response.status_code, warnings_of(response)) == (200, [])


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("path", [INDEX, f"{INDEX}/1"])
def test_other_methods_are_405_with_allow(client: FlaskClient, method: str, path: str) -> None:
    """Methods other than GET answer 405 in the API's shape, with an Allow header."""
    response = client.open(path, method=method)
    assert response.status_code == 405
    assert response.data == b'{"message":"Method Not Allowed"}'
    assert "GET" in response.headers["Allow"]


@pytest.mark.parametrize(
    "path", ["/nope", f"{INDEX}/", f"{INDEX}/1/2", "/mailer//sendstatistics", "/mailer/sendstatistics.json"]
)
def test_unknown_paths_are_the_api_404(client: FlaskClient, path: str) -> None:
    """Any path the document does not name answers {"message": "Not found"} (no redirects)."""
    response = client.get(path)
    assert (response.status_code, response.data) == (404, b'{"message":"Not found"}')


def test_head_answers_the_headers_of_get(client: FlaskClient) -> None:
    """HEAD on the index is 200 with the JSON content type and no body."""
    response = client.head(INDEX)
    assert (response.status_code, response.data, response.content_type) == (200, b"", "application/json; charset=UTF-8")


HOSTILE = [
    pytest.param(f"{INDEX}?" + "x" * 1_000_000, id="1MB-query"),
    pytest.param(f"{INDEX}?" + "&".join(f"p{i}=1" for i in range(5000)), id="5000-params"),
    pytest.param(f"{INDEX}/1?fields=" + quote("[" * 100_000 + "]" * 100_000), id="deep-json"),
    pytest.param(f"{INDEX}/1?fields=" + quote(json.dumps(["x"] * 10_000 + ["common"])), id="10000-names"),
    pytest.param(f"{INDEX}/1?fields=" + quote(json.dumps([f"n{i}" for i in range(10_000)])), id="10000-unknown"),
    pytest.param(f"{INDEX}/1?fields=%FF%FE%80", id="invalid-utf8"),
    pytest.param(f"{INDEX}/1?fields=%zz%&%=%", id="bad-percent-encoding"),
    pytest.param(f"{INDEX}/1?%FF=%FF&fields%00=1", id="binary-names"),
    pytest.param(f"{INDEX}/1?fields=%0D%0AX-Injected:%201", id="crlf-in-fields"),
    pytest.param(f"{INDEX}/1?x%0D%0AX-Injected:%201=1", id="crlf-in-name"),
    pytest.param(f"{INDEX}/18446744073709551616", id="id-2-to-the-64"),
    pytest.param(f"{INDEX}/" + "9" * 100_000, id="id-100000-digits"),
    pytest.param(f"{INDEX}/%FF%FE", id="invalid-utf8-id"),
    pytest.param(f"{INDEX}/1?fields=" + quote('"' + "\\ud800" * 1000 + '"'), id="surrogates"),
    pytest.param(f"{INDEX}/1?fields=" + "1" * 100_000, id="huge-number"),
]


@pytest.mark.parametrize("url", HOSTILE)
def test_hostile_requests_get_an_api_answer_not_a_500(client: FlaskClient, url: str) -> None:
    """Huge, deep, binary or malformed requests answer 200, 400 or 404 with a JSON body and safe headers."""
    response = client.get(url)
    assert response.status_code in (200, 400, 404)
    json.loads(response.data)
    assert "X-Injected" not in response.headers
    assert all(len(warning) < 400 and warning.isascii() for warning in warnings_of(response))


class BrokenSource(FakeSource):
    """A source whose mailings fail, to show the mock's last line of defence."""

    def mailing(self, mailing_id: int) -> Mailing | None:
        """Fail as a bug in the domain model would."""
        raise RuntimeError("boom")


def test_an_unexpected_exception_is_a_logged_json_500(make_app: MakeApp, caplog: pytest.LogCaptureFixture) -> None:
    """A bug behind a view answers {"message": "Internal error (mock)"} and logs the traceback."""
    client = make_app(SENDSTAT_SOURCE=BrokenSource([SEED_MAILING])).test_client()
    with caplog.at_level(logging.ERROR, logger="mockserver.http.routes"):
        response = client.get(view_url(1))
    assert (response.status_code, response.data) == (500, b'{"message":"Internal error (mock)"}')
    assert "RuntimeError: boom" in caplog.text


@pytest.mark.parametrize("size", [1, 3, 1000])
@pytest.mark.parametrize("flags", ["NONE", "JSON_UNESCAPED_UNICODE", "JSON_UNESCAPED_SLASHES"])
@pytest.mark.parametrize("scenario", ["default", "unicode-and-extremes", "empty-200"])
def test_a_streamed_index_is_the_whole_one(make_app: MakeApp, scenario: str, flags: str, size: int) -> None:
    """The index's chunks, joined, are exactly the bytes of the whole body encoded at once."""
    from contract.php import encode, parse_flags
    from mockserver.http.answers import Listing
    from mockserver.http.context import EXTENSION

    control = make_app(SENDSTAT_SOURCE=None).extensions[EXTENSION].control
    behaviour = control.behaviour(scenario)
    source = behaviour.at(behaviour.scenario.clock).source
    whole = {"statistics": [{"id": i, "letter_title": source.title(i)} for i in source.ids()]}
    chunks = list(Listing(source).chunks(parse_flags(flags), size))
    assert b"".join(chunks) == encode(whole, parse_flags(flags))


def test_a_large_index_streams(make_app: MakeApp) -> None:
    """An index of more than STREAM_FROM mailings has no Content-Length and starts with its first entries."""
    client = make_app(SENDSTAT_SOURCE=None, SENDSTAT_SCENARIO="large").test_client()
    response = client.get(INDEX, buffered=False)
    assert response.status_code == 200
    assert response.is_streamed
    assert "Content-Length" not in response.headers
    first = next(iter(response.response))
    assert first == b'{"statistics":['
    assert next(iter(response.response)).startswith(b'{"id":')
    response.close()
