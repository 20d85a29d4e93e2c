"""Control routes of the journal: every API request, filtered, counted and cleared; the control API is not in it."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest

from tests.mockserver.conftest import INDEX, ControlClient


@pytest.fixture
def traffic(mock: ControlClient) -> ControlClient:
    """A mock that answered five requests: two in session qa (a 204, a 404), two of single, an unknown path."""
    mock.put("/__mock/sessions/qa", json={"scenario": "empty"})
    mock.get(INDEX, headers={"X-Mock-Session": "qa"})
    mock.get(f"{INDEX}/99999", headers={"X-Mock-Session": "qa"})
    mock.get(f"{INDEX}/1?fields=id,common&__scenario=single")
    mock.get(INDEX + "?__scenario=single")
    mock.get("/nope")
    return mock


def test_every_api_request_is_journalled_in_order(traffic: ControlClient) -> None:
    """Each entry holds method, path, query, scenario, session, status, warnings, duration and worker."""
    body = traffic.get("/__mock/journal").json
    assert body is not None
    assert body["count"] == 5
    first, _, third, fourth, fifth = body["entries"]
    assert (first["method"], first["path"], first["status"], first["scenario"], first["session"]) == (
        "GET",
        INDEX,
        204,
        "empty",
        "qa",
    )
    assert (third["query"], third["status"]) == ("fields=id,common&__scenario=single", 200)
    assert "comma-separated" in third["warnings"][0]
    assert (fourth["scenario"], fourth["query"]) == ("single", "__scenario=single")
    assert (fifth["path"], fifth["status"], fifth["scenario"]) == ("/nope", 404, "default")
    assert [entry["seq"] for entry in body["entries"]] == sorted(entry["seq"] for entry in body["entries"])
    assert {entry["worker"] for entry in body["entries"]} == {os.getpid()}
    assert all(entry["duration_ms"] >= 0 and entry["fault"] is None for entry in body["entries"])


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("session=qa", 2),
        ("status=404", 2),
        ("status=2xx", 3),
        ("path=" + INDEX, 2),
        (f"path={INDEX}/*", 2),
        ("scenario=default", 1),
        ("method=get", 5),
        ("method=POST", 0),
        ("since=2000-01-01T00:00:00Z", 5),
        ("since=4102444800", 0),
        ("after=2", 3),
        ("session=qa&status=404", 1),
    ],
)
def test_the_journal_filters(traffic: ControlClient, query: str, count: int) -> None:
    """Filters by session, status or class, path or prefix, scenario, method, time and sequence combine."""
    assert traffic.get(f"/__mock/journal/count?{query}").json == {"count": count}
    assert traffic.get(f"/__mock/journal?{query}").json["count"] == count  # type: ignore[index]


def test_the_limit_keeps_the_first_matches_and_the_count_all(traffic: ControlClient) -> None:
    """limit=2 returns the two oldest matches while count says how many match."""
    body = traffic.get("/__mock/journal?limit=2").json
    assert body is not None
    assert (body["count"], len(body["entries"])) == (5, 2)


def test_clearing_deletes_what_matches(traffic: ControlClient) -> None:
    """DELETE with a filter deletes those entries (another run's stay); without one, everything."""
    assert traffic.delete("/__mock/journal?session=qa").json == {"deleted": 2}
    assert traffic.get("/__mock/journal/count").json == {"count": 3}
    assert traffic.delete("/__mock/journal").json == {"deleted": 3}
    assert traffic.get("/__mock/journal").json == {"count": 0, "entries": []}


@pytest.mark.parametrize("query", ["bogus=1", "status=4x", "status=600", "limit=0", "after=-1", "since=soon"])
def test_bad_filters_are_400(traffic: ControlClient, query: str) -> None:
    """Unknown filter names and bad values answer 400, naming the problem."""
    response = traffic.get(f"/__mock/journal?{query}")
    assert response.status_code == 400
    assert response.json is not None


def test_control_and_pages_are_not_journalled(mock: ControlClient) -> None:
    """Requests to /__mock/, /docs, /openapi.yaml and /health leave no entry."""
    for path in ("/__mock/", "/__mock/scenarios", "/docs", "/openapi.yaml", "/health", "/__mock/nope"):
        mock.client.get(path)
    assert mock.get("/__mock/journal/count").json == {"count": 0}


def last_entry(mock: ControlClient) -> dict[str, Any]:
    """Open the newest journal entry in full."""
    (newest,) = mock.get("/__mock/journal?order=newest&limit=1").json["entries"]  # type: ignore[index]
    opened = mock.get(f"/__mock/journal/{newest['seq']}").json
    assert opened is not None
    return opened


def test_an_entry_opens_in_full(mock: ControlClient) -> None:
    """An entry shows the request's headers (the API key hidden) and the answer's headers and body, as sent."""
    sent = mock.get(
        f"{INDEX}/1?fields=id,common&__scenario=single", headers={"X-Estis-Auth": "secret-key", "X-Mock-Session": "qa"}
    )
    opened = last_entry(mock)
    assert opened["entry"]["query"] == "fields=id,common&__scenario=single"
    request_headers = dict(map(tuple, opened["request"]["headers"]))
    assert (request_headers["X-Estis-Auth"], request_headers["X-Mock-Session"]) == ("[redacted]", "qa")
    response = opened["response"]
    assert response["body"] == sent.get_data(as_text=True)
    assert (response["body_size"], response["body_kept"]) == (len(sent.data), len(sent.data))
    warnings = [value for name, value in response["headers"] if name == "X-Mock-Warning"]
    assert warnings == sent.headers.getlist("X-Mock-Warning") == opened["entry"]["warnings"]
    assert ["X-Mock-Scenario", "single"] in response["headers"]


@pytest.mark.parametrize("seq", ["12345", "abc", "99999999999999999999", "%C2%B9"])
def test_an_unknown_entry_is_404(mock: ControlClient, seq: str) -> None:
    """A sequence number that no entry has, or no number at all, answers 404 with a message."""
    response = mock.get(f"/__mock/journal/{seq}")
    assert response.status_code == 404
    assert "no journal entry" in response.json["message"]  # type: ignore[index]


def test_newest_first_through_the_api(traffic: ControlClient) -> None:
    """order=newest lists the last entries first, as a live view starts."""
    body = traffic.get("/__mock/journal?order=newest&limit=2").json
    assert body is not None
    assert [entry["path"] for entry in body["entries"]] == ["/nope", INDEX]
    assert body["count"] == 5


def test_a_truncated_answer_shows_the_whole_answer_built(mock: ControlClient) -> None:
    """With a truncate fault the client gets half the body; the entry keeps all of it and names the fault."""
    sent = mock.get(INDEX, headers={"X-Mock-Scenario": "fault-truncate"})
    opened = last_entry(mock)
    assert opened["entry"]["fault"] == "truncate"
    whole = opened["response"]["body"]
    assert json.loads(whole)["statistics"]
    assert whole.encode().startswith(sent.data)
    assert len(sent.data) == len(whole.encode()) // 2


def test_a_dropped_answer_has_no_response(mock: ControlClient) -> None:
    """A dropped connection's entry has the request's headers and no response."""
    mock.get(INDEX, headers={"X-Mock-Scenario": "fault-drop"})
    opened = last_entry(mock)
    assert (opened["entry"]["status"], opened["response"]) == (None, None)
    assert ["X-Mock-Scenario", "fault-drop"] in opened["request"]["headers"]
