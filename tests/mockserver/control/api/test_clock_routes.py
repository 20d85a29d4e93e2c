"""Control routes of the clock: the server's and a session's; set, advance, unset; the API sees the time."""

from __future__ import annotations

from typing import Any

import pytest

from tests.mockserver.conftest import INDEX, ControlClient

DEFAULT_NOW = 1733356800  # the default scenario's clock: 2024-12-05T00:00:00Z


def ids(mock: ControlClient, **kwargs: Any) -> list[int]:
    """Return the ids the index lists (none for a 204)."""
    response = mock.get(INDEX, **kwargs)
    return [] if response.status_code == 204 else [entry["id"] for entry in response.json["statistics"]]  # type: ignore[index]


def test_the_server_clock_is_the_scenarios_until_pinned(mock: ControlClient) -> None:
    """GET shows the scenario's clock; PUT pins it (ISO or unix); DELETE unpins it."""
    assert mock.get("/__mock/clock").json == {
        "now": DEFAULT_NOW,
        "iso": "2024-12-05T00:00:00Z",
        "via": "scenario",
        "scenario": "default",
    }
    assert mock.put("/__mock/clock", json={"now": "2024-01-01T03:00:00+03:00"}).json["now"] == 1704067200  # type: ignore[index]
    assert mock.put("/__mock/clock", json={"now": 1704067200}).json["via"] == "server"  # type: ignore[index]
    assert mock.delete("/__mock/clock").json["now"] == DEFAULT_NOW  # type: ignore[index]


def test_moving_the_clock_back_hides_later_mailings(mock: ControlClient) -> None:
    """Mailings sent after the clock do not exist yet: a year back lists fewer, and the same again after unpinning."""
    every = ids(mock)
    mock.put("/__mock/clock", json={"now": "2023-12-05T00:00:00Z"})
    earlier = ids(mock)
    assert 0 < len(earlier) < len(every)
    assert earlier == every[: len(earlier)]
    mock.delete("/__mock/clock")
    assert ids(mock) == every


def test_advance_moves_the_clock_by_seconds(mock: ControlClient) -> None:
    """POST /__mock/clock/advance adds (or subtracts) seconds to the clock shown and pins it."""
    body = mock.post("/__mock/clock/advance", json={"seconds": -86400}).json
    assert body is not None
    assert (body["now"], body["via"]) == (DEFAULT_NOW - 86400, "server")


def test_a_finished_clock_cannot_advance(mock: ControlClient) -> None:
    """With the clock at "every mailing finished" (null) there is no time to move: 409."""
    mock.put("/__mock/clock", json={"now": None})
    assert mock.get("/__mock/clock").json["now"] is None  # type: ignore[index]
    assert mock.post("/__mock/clock/advance", json={"seconds": 60}).status_code == 409


@pytest.mark.parametrize(
    "body",
    [{"now": "tomorrow"}, {"now": True}, {"now": -5}, {"now": 1.5}, {"then": 5}, {}, {"now": "99999-01-01"}],
)
def test_bad_times_are_400(mock: ControlClient, body: dict[str, Any]) -> None:
    """Text that is no time, booleans, negative or fractional seconds and missing fields are 400."""
    assert mock.put("/__mock/clock", json=body).status_code == 400


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("PUT", "/__mock/clock", {"now": 10**400}, "now"),
        ("PUT", "/__mock/clock", {"now": -(10**400)}, "now"),
        ("PUT", "/__mock/clock", {"now": 1e300}, "now"),
        ("PUT", "/__mock/clock", {"now": "9" * 5000}, "now"),
        ("POST", "/__mock/clock/advance", {"seconds": 10**400}, "seconds"),
        ("POST", "/__mock/clock/advance", {"seconds": -(10**400)}, "seconds"),
        ("POST", "/__mock/sessions", {"id": "s1", "now": 10**400}, "now"),
        ("PUT", "/__mock/sessions/s1", {"now": 10**400}, "now"),
        ("GET", "/__mock/journal?since=" + "1" * 400, None, "since"),
        ("GET", "/__mock/journal?since=" + "1" * 5000, None, "since"),
        ("GET", "/__mock/journal?after=" + "1" * 5000, None, "after"),
        ("GET", "/__mock/journal/count?limit=" + "1" * 5000, None, "limit"),
    ],
)
def test_out_of_range_integers_are_a_400_naming_the_field(
    mock: ControlClient, method: str, path: str, body: dict[str, Any] | None, field: str
) -> None:
    """Integers far out of range (10^400, 5,000 digits) are a 400 that names the field, never a 500."""
    response = mock.open(method, path, json=body)
    assert response.status_code == 400
    assert response.json is not None
    assert response.json["message"].startswith(field)
    assert len(response.json["message"]) < 200


@pytest.mark.parametrize("body", [{"seconds": "60"}, {"seconds": 1.5}, {"seconds": True}, {}])
def test_bad_advances_are_400(mock: ControlClient, body: dict[str, Any]) -> None:
    """Seconds must be a whole number."""
    assert mock.post("/__mock/clock/advance", json=body).status_code == 400


def test_a_session_clock_wins_over_the_server_clock(mock: ControlClient) -> None:
    """A session's pinned clock applies to its requests only; unpinned, it follows the server's."""
    mock.put("/__mock/sessions/qa", json={})
    mock.put("/__mock/sessions/qa/clock", json={"now": "2023-12-05T00:00:00Z"})
    session = {"headers": {"X-Mock-Session": "qa"}}
    assert len(ids(mock, **session)) < len(ids(mock))
    advanced = mock.post("/__mock/sessions/qa/clock/advance", json={"seconds": 3600}).json
    assert advanced == {"now": 1701738000, "iso": "2023-12-05T01:00:00Z", "via": "session", "scenario": "default"}
    mock.put("/__mock/clock", json={"now": 0})
    assert mock.get("/__mock/sessions/qa/clock").json["via"] == "session"  # type: ignore[index]
    assert mock.delete("/__mock/sessions/qa/clock").json["via"] == "server"  # type: ignore[index]
    assert ids(mock, **session) == []


def test_a_session_clock_keeps_its_fault_sequence(mock: ControlClient) -> None:
    """Pinning a session's clock leaves its scenario in place."""
    mock.put("/__mock/sessions/qa", json={"scenario": "single"})
    body = mock.put("/__mock/sessions/qa/clock", json={"now": "finished"}).json
    assert body is not None
    assert (body["now"], body["scenario"]) == (None, "single")


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_the_clock_of_an_unknown_session_is_404(mock: ControlClient, method: str) -> None:
    """Every clock route of a session that does not exist is 404."""
    assert mock.open(method, "/__mock/sessions/ghost/clock", json={"now": 0}).status_code == 404
