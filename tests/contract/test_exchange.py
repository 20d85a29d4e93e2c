"""Exchanges (contract/exchange.py): what a request addressed, and a curl line that never shows a secret."""

from __future__ import annotations

import pytest

from contract.exchange import Exchange
from tests.contract.exchanges import make


@pytest.mark.parametrize(
    ("path", "operation", "segment"),
    [
        ("/mailer/sendstatistics", "index", None),
        ("/mailer/sendstatistics/", "index", None),
        ("/mailer/sendstatistics/42", "view", "42"),
        ("/mailer/sendstatistics/a%20b", "view", "a b"),
        ("/other", None, None),
    ],
)
def test_operation_and_segment(path: str, operation: str | None, segment: str | None) -> None:
    """The exchange knows the operation and the decoded path id it addressed."""
    exchange = make(path)
    assert (exchange.operation, exchange.segment) == (operation, segment)


def test_base_path_prefix_is_stripped() -> None:
    """A base URL with a path prefix still addresses the documented paths."""
    exchange = Exchange(
        source="sendstat", method="GET", url="http://h/api/v1/mailer/sendstatistics/3", request_headers={},
        status=200, headers={}, body=b"", elapsed=0.0, base_path="/api/v1",
    )  # fmt: skip
    assert (exchange.operation, exchange.segment) == ("view", "3")


def test_repeated_query_keeps_the_last_value() -> None:
    """A repeated query name keeps its last value, as PHP reads it."""
    assert make("/mailer/sendstatistics/1?fields=a&fields=b").query.value("fields") == b"b"


def test_json_decodes_once_and_raises_for_non_json() -> None:
    """json() decodes the body; a body that is not JSON raises ValueError."""
    assert make("/x", body={"a": 1}).json() == {"a": 1}
    with pytest.raises(ValueError, match="Expecting value"):
        make("/x", raw=b"<html>").json()


def test_curl_masks_credentials_and_named_headers() -> None:
    """The curl line shows the credential header with its value masked, and nothing else of the headers."""
    curl = make("/mailer/sendstatistics/1?fields=%5B%22id%22%5D").curl(frozenset({"X-Estis-Auth"}))
    assert "sekret" not in curl
    assert "'X-Estis-Auth: ***'" in curl
    assert "User-Agent" not in curl
    assert curl.endswith("'http://api.test/mailer/sendstatistics/1?fields=%5B%22id%22%5D'")


def test_describe_shows_the_decoded_request() -> None:
    """describe() shows the method, path and decoded query for a report."""
    assert (
        make("/mailer/sendstatistics/1?fields=%5B%22id%22%5D").describe()
        == 'GET /mailer/sendstatistics/1?fields=["id"]'
    )
