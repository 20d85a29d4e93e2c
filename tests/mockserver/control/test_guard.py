"""Who may use the control API: loopback addresses, hosts and origins, or the token."""

from __future__ import annotations

import pytest

from mockserver.control.guard import allowed_origin, check, is_loopback, is_loopback_host
from mockserver.errors import ControlError


@pytest.mark.parametrize(
    ("address", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.255.0.9", True),
        ("::1", True),
        ("::ffff:127.0.0.1", True),
        ("::ffff:10.0.0.1", False),
        ("10.0.0.1", False),
        ("0.0.0.0", False),  # noqa: S104 - an address under test, not a bind
        ("localhost", False),
        ("", False),
        (None, False),
    ],
)
def test_loopback_addresses(address: str | None, loopback: bool) -> None:
    """127.0.0.0/8, ::1 and IPv4-mapped 127.x are loopback; names and other addresses are not."""
    assert is_loopback(address) is loopback


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("localhost", True),
        ("localhost:8000", True),
        ("app.localhost:5173", True),
        ("127.0.0.1:8000", True),
        ("[::1]:8000", True),
        ("evil.example", False),
        ("127.0.0.1.evil.example", False),
        ("", False),
        (None, False),
    ],
)
def test_loopback_hosts(host: str | None, loopback: bool) -> None:
    """A Host (or an origin's host) is loopback when it is localhost or a loopback address, port or not."""
    assert is_loopback_host(host) is loopback


@pytest.mark.parametrize(
    ("origin", "token", "allowed"),
    [
        ("http://localhost:5173", None, True),
        ("http://127.0.0.1:3000", None, True),
        ("https://evil.example", None, False),
        ("null", None, False),
        (None, None, False),
        ("https://evil.example", "t", True),
        ("null", "t", False),
    ],
)
def test_cors_origins(origin: str | None, token: str | None, allowed: bool) -> None:
    """Without a token only loopback pages; with one, any page (the token guards the API)."""
    assert allowed_origin(origin, token) is allowed


def test_a_token_is_compared_exactly() -> None:
    """With a token only Authorization: Bearer <token> passes, from any address."""
    check("203.0.113.1", {"Authorization": "Bearer t0k"}, "t0k")
    for header in ("Bearer t0", "Bearer t0kk", "t0k", ""):
        with pytest.raises(ControlError) as info:
            check("127.0.0.1", {"Authorization": header}, "t0k")
        assert info.value.status == 401
