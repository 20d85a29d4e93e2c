"""Control routes of sessions: create, set, read, list, delete; only a session's requests see its scenario."""

from __future__ import annotations

import pytest

from mockserver.state.records import MAX_SESSIONS
from tests.mockserver.conftest import INDEX, ControlClient, runtime_of


def test_a_session_sees_its_scenario_and_nobody_else_does(mock: ControlClient) -> None:
    """PUT /__mock/sessions/qa with a scenario: requests carrying that session see it, others the server's."""
    response = mock.put("/__mock/sessions/qa-run-1", json={"scenario": "empty"})
    assert response.status_code == 201
    assert mock.get(INDEX, headers={"X-Mock-Session": "qa-run-1"}).status_code == 204
    assert mock.get(INDEX).status_code == 200
    assert mock.get(INDEX, headers={"X-Mock-Session": "other"}).status_code == 200


@pytest.mark.parametrize(
    "carrier",
    [{"headers": {"X-Mock-Session": "qa"}}, {"query_string": "__session=qa"}, {"cookie": "qa"}],
    ids=["header", "query", "cookie"],
)
def test_a_session_travels_in_a_header_a_query_parameter_or_a_cookie(
    mock: ControlClient, carrier: dict[str, object]
) -> None:
    """X-Mock-Session, __session and the mock_session cookie all name the session."""
    mock.put("/__mock/sessions/qa", json={"scenario": "empty"})
    if "cookie" in carrier:
        mock.client.set_cookie("mock_session", "qa")
        carrier = {}
    assert mock.get(INDEX, **carrier).status_code == 204  # type: ignore[arg-type]


def test_post_creates_a_session_with_a_generated_id(mock: ControlClient) -> None:
    """POST /__mock/sessions without an id generates one; a second POST with a taken id is 409."""
    body = mock.post("/__mock/sessions", json={"scenario": "single"}).json
    assert body is not None
    assert len(body["id"]) == 16
    assert (body["scenario"], body["serving"]) == ("single", "single")
    assert mock.post("/__mock/sessions", json={"id": body["id"]}).status_code == 409


def test_a_session_without_a_scenario_follows_the_server(mock: ControlClient) -> None:
    """A session that sets only a clock serves the server's active scenario, whatever it becomes."""
    mock.put("/__mock/sessions/qa", json={"now": "2024-01-01T00:00:00Z"})
    mock.put("/__mock/scenario", json={"name": "single"})
    body = mock.get("/__mock/sessions/qa").json
    assert body is not None
    assert (body["scenario"], body["serving"], body["clock"]["via"]) == (None, "single", "session")


def test_sessions_are_listed_and_deleted(mock: ControlClient) -> None:
    """GET lists the sessions oldest first; DELETE removes one (204), then it is 404."""
    for name in ("b", "a"):
        mock.put(f"/__mock/sessions/{name}", json={})
    listed = mock.get("/__mock/sessions").json
    assert listed is not None
    assert [session["id"] for session in listed["sessions"]] == ["b", "a"]
    assert mock.delete("/__mock/sessions/b").status_code == 204
    assert mock.get("/__mock/sessions/b").status_code == 404
    assert mock.delete("/__mock/sessions/b").status_code == 404


def test_replacing_a_session_answers_200(mock: ControlClient) -> None:
    """PUT on an existing session replaces it (200); its scenario changes for its requests."""
    mock.put("/__mock/sessions/qa", json={"scenario": "empty"})
    assert mock.put("/__mock/sessions/qa", json={"scenario": "single"}).status_code == 200
    assert len(mock.get(INDEX, headers={"X-Mock-Session": "qa"}).json["statistics"]) == 1  # type: ignore[index]


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/__mock/sessions/qa", {"scenario": "nope"}, 404),
        ("/__mock/sessions/qa", {"scenario": ""}, 400),
        ("/__mock/sessions/qa", {"now": "yesterday"}, 400),
        ("/__mock/sessions/qa", {"id": "x"}, 400),
        ("/__mock/sessions/-bad", {}, 400),
        ("/__mock/sessions/" + "a" * 65, {}, 400),
    ],
)
def test_bad_sessions_are_refused(mock: ControlClient, path: str, body: dict[str, object], status: int) -> None:
    """Unknown scenarios, bad clocks, unknown fields and bad ids are 4xx, and no session is made."""
    assert mock.put(path, json=body).status_code == status
    assert mock.get("/__mock/sessions").json == {"sessions": []}


def test_sessions_are_bounded(mock: ControlClient) -> None:
    """Past MAX_SESSIONS a new session is 409; replacing an existing one still works."""
    store = runtime_of(mock.client.application).store
    for number in range(MAX_SESSIONS):
        store.put_session(f"s{number}", None, None)
    assert mock.put("/__mock/sessions/one-more", json={}).status_code == 409
    assert mock.put("/__mock/sessions/s0", json={"scenario": "empty"}).status_code == 200


def test_an_unknown_session_warns_and_is_journalled(mock: ControlClient) -> None:
    """A request naming a session that does not exist sees the server's scenario, with a warning."""
    response = mock.get(INDEX, headers={"X-Mock-Session": "ghost"})
    assert response.status_code == 200
    assert 'session "ghost" does not exist' in response.headers["X-Mock-Warning"]
    assert mock.get("/__mock/journal?session=ghost").json["count"] == 1  # type: ignore[index]


def test_an_invalid_session_id_is_ignored_with_a_warning(mock: ControlClient) -> None:
    """A session id with forbidden characters is not used; the answer says so."""
    response = mock.get(INDEX, headers={"X-Mock-Session": "a b/c"})
    assert "is not valid" in response.headers["X-Mock-Warning"]
    assert mock.get("/__mock/journal").json["entries"][0]["session"] is None  # type: ignore[index]
