"""Option values of `sendstat check` (contract/options.py): read, or refused in one line without the secret."""

from __future__ import annotations

import math

import pytest

from contract.errors import UsageError
from contract.options import parse_base_url, parse_header, parse_rate, parse_seconds, parse_size

SECRET = "sekret-value"


@pytest.mark.parametrize(
    ("value", "base_url"),
    [
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("https://v1.estismail.com/", "https://v1.estismail.com"),
        ("http://h/api/v1/", "http://h/api/v1"),
        ("http://[::1]:8000", "http://[::1]:8000"),
    ],
)
def test_base_urls_keep_their_path_prefix(value: str, base_url: str) -> None:
    """A base URL keeps its host, port and path prefix; a trailing slash is dropped."""
    assert parse_base_url(value) == base_url


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("http://[::1", "not a URL"),
        ("http://127.0.0.1:99999", "not a URL"),
        ("http://127.0.0.1:0", "port 0"),
        ("ftp://x", "http:// or https://"),
        ("http://", "no host"),
        ("http://h/api?key=1", "query or fragment"),
        ("http://h/api#top", "query or fragment"),
        ("http://h/api?", "query or fragment"),
        ("http://user:pw@h", "credentials"),
        ("http://exa mple.com", "not a URL"),
        ("http://h/\x01", "not a URL"),
    ],
)
def test_bad_base_urls_are_usage_errors(value: str, fragment: str) -> None:
    """A base URL that cannot be a server's address, or that carries a query or a password, is refused."""
    with pytest.raises(UsageError, match="--base-url") as error:
        parse_base_url(value)
    assert fragment in str(error.value)
    assert "\n" not in str(error.value)
    assert "pw" not in str(error.value)


@pytest.mark.parametrize(("value", "per_second"), [("10/s", 10.0), ("120/m", 2.0), ("3600/h", 1.0), (None, None)])
def test_parse_rate(value: str | None, per_second: float | None) -> None:
    """Rates read as requests per second."""
    assert parse_rate(value) == per_second


@pytest.mark.parametrize("value", ["10", "0/s", "ten/s", "5/d"])
def test_bad_rates_are_usage_errors(value: str) -> None:
    """A malformed rate is a usage error naming the option."""
    with pytest.raises(UsageError, match="--rate-limit"):
        parse_rate(value)


def test_parse_header() -> None:
    """A header option reads as name and value, trimmed."""
    assert parse_header("X-Estis-Auth:  k:1 ") == ("X-Estis-Auth", "k:1")


@pytest.mark.parametrize(
    "value",
    [
        f"X-Estis-Auth={SECRET}",
        f": {SECRET}",
        f"Bad Name: {SECRET}",
        f"X-Estis-Auth: {SECRET}\r\nX-Injected: 1",
        f"X-Estis-Auth: {SECRET}\n",
        f"X-Estis-Auth: {SECRET}\x00",
        f"X-Estis\r\n: {SECRET}",
    ],
)
def test_bad_headers_never_echo_the_value(value: str) -> None:
    """A malformed header, or one with a line break or NUL, is a one-line usage error without its value."""
    with pytest.raises(UsageError, match="--header") as error:
        parse_header(value)
    assert SECRET not in str(error.value)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize(
    ("value", "size"), [("65536", 65536), ("512KiB", 512 * 1024), ("64MiB", 64 * 1024**2), ("1 gib", 1024**3)]
)
def test_parse_size(value: str, size: int) -> None:
    """Sizes read in bytes, KiB, MiB or GiB."""
    assert parse_size(value, "--max-body") == size


@pytest.mark.parametrize("value", ["", "lots", "64MB", "-1", "100"])
def test_bad_sizes_are_usage_errors(value: str) -> None:
    """A size that is not a number of bytes, KiB, MiB or GiB of at least 1 KiB is refused."""
    with pytest.raises(UsageError, match="--max-body"):
        parse_size(value, "--max-body")


@pytest.mark.parametrize("value", [0.0, -1.0, math.nan, math.inf, 10.0**9])
def test_bad_seconds_are_usage_errors(value: float) -> None:
    """A timeout, budget or threshold must be a finite number of seconds above 0 and at most a day."""
    with pytest.raises(UsageError, match="--budget"):
        parse_seconds(value, "--budget")
    assert parse_seconds(None, "--budget") is None
    assert parse_seconds(1.5, "--budget") == 1.5
