"""The control state's records: session ids, a snapshot's next expiry, how health is shown."""

from __future__ import annotations

from types import MappingProxyType

import pytest

from mockserver.state.records import SESSION_ID, Health, Session, Snapshot


@pytest.mark.parametrize(("text", "valid"), [("qa-run.1_b", True), ("-", False), (".x", False), ("a b", False)])
def test_session_ids(text: str, valid: bool) -> None:
    """An id starts with a letter or digit, so none is the server's counter scope "-"."""
    assert bool(SESSION_ID.match(text)) is valid


def test_a_snapshot_knows_its_next_expiry() -> None:
    """next_expiry is the earliest session expiry, None when no session expires."""
    sessions = {
        "a": Session("a", None, None, 0, 50.0),
        "b": Session("b", None, None, 0, 20.0),
        "c": Session("c", None, None, 0),
    }
    assert Snapshot(1, sessions=MappingProxyType(sessions)).next_expiry == 20.0
    assert Snapshot(1, sessions=MappingProxyType({"c": sessions["c"]})).next_expiry is None


def test_health_shows_why_the_state_is_not_reached() -> None:
    """Connected: the backend and where; not connected: also the reason and since when (ISO 8601)."""
    assert Health("local").to_json() == {"backend": "local", "connected": True}
    down = Health("redis", "redis://***@db:6379/0", connected=False, reason="refused", since=0.0)
    assert down.to_json() == {
        "backend": "redis",
        "url": "redis://***@db:6379/0",
        "connected": False,
        "reason": "refused",
        "since": "1970-01-01T00:00:00Z",
    }
    error = down.unavailable()
    assert error.status == 503
    assert "redis://***@db:6379/0" in error.message
    assert "refused" in error.message
