"""The control plane in the API's request path: per-request selection, the scenario header, the journal hook."""

from __future__ import annotations

import json

import pytest

from contract.spec import default_document_path
from tests.conftest import MakeApp
from tests.mockserver.conftest import INDEX, ControlClient


@pytest.mark.parametrize(
    "carrier",
    [
        {"query_string": "__scenario=empty"},
        {"headers": {"X-Mock-Scenario": "empty"}},
        {"cookie": "empty"},
    ],
    ids=["query", "header", "cookie"],
)
def test_a_request_chooses_its_scenario(mock: ControlClient, carrier: dict[str, object]) -> None:
    """__scenario, X-Mock-Scenario and the mock_scenario cookie each choose the scenario of one request."""
    if "cookie" in carrier:
        mock.client.set_cookie("mock_scenario", "empty")
        carrier = {}
    response = mock.get(INDEX, **carrier)  # type: ignore[arg-type]
    assert (response.status_code, response.headers["X-Mock-Scenario"]) == (204, "empty")
    mock.client.delete_cookie("mock_scenario")
    assert mock.get(INDEX).headers["X-Mock-Scenario"] == "default"


@pytest.mark.parametrize(
    ("query", "header", "cookie", "session", "server", "expected"),
    [
        ("single", "empty", "empty", "empty", "empty", "single"),
        (None, "single", "empty", "empty", "empty", "single"),
        (None, None, "single", "empty", "empty", "single"),
        (None, None, None, "single", "empty", "single"),
        (None, None, None, None, "single", "single"),
        (None, None, None, None, None, "default"),
    ],
)
def test_the_most_specific_choice_wins(
    mock: ControlClient,
    query: str | None,
    header: str | None,
    cookie: str | None,
    session: str | None,
    server: str | None,
    expected: str,
) -> None:
    """Query, then header, then cookie, then the session's scenario, then the server's, then the start one."""
    mock.put("/__mock/sessions/qa", json={} if session is None else {"scenario": session})
    if server is not None:
        mock.put("/__mock/scenario", json={"name": server})
    headers = {"X-Mock-Session": "qa"}
    if header is not None:
        headers["X-Mock-Scenario"] = header
    if cookie is not None:
        mock.client.set_cookie("mock_scenario", cookie)
    response = mock.get(INDEX, headers=headers, query_string={"__scenario": query} if query else None)
    assert response.headers["X-Mock-Scenario"] == expected


def test_the_mock_parameters_never_reach_the_backend_emulation(mock: ControlClient) -> None:
    """__scenario, __session and __code bring no unknown-parameter warning; a typo of them does."""
    clean = mock.get(INDEX + "?__scenario=single&__session=qa&__code=200&sort_field=id")
    assert [w for w in clean.headers.getlist("X-Mock-Warning") if "unknown" in w or "ignores" in w] == []
    typo = mock.get(INDEX + "?__scenaro=single")
    assert 'unknown query parameter "__scenaro"' in typo.headers["X-Mock-Warning"]


@pytest.mark.parametrize("name", ["flakey", "../openapi.yaml", str(default_document_path()), "/etc/passwd", "x" * 300])
def test_an_unknown_scenario_in_a_request_is_a_clear_400(mock: ControlClient, name: str) -> None:
    """A request naming no loadable scenario gets 400 in the API's shape with the known names; no file is read."""
    response = mock.get(INDEX, headers={"X-Mock-Scenario": name})
    assert response.status_code == 400
    body = json.loads(response.data)
    expected = "too long" if len(name) > 64 else "unknown scenario" if name == "flakey" else "never a file"
    assert expected in body["message"]
    assert "default" in body["known"]
    entry = mock.get("/__mock/journal").json["entries"][0]  # type: ignore[index]
    assert (entry["status"], entry["scenario"]) == (400, None)


def test_a_preflight_is_never_refused_for_a_bad_scenario(mock: ControlClient) -> None:
    """A CORS preflight with a bad __scenario is still answered (with the server's scenario)."""
    response = mock.client.options(
        INDEX + "?__scenario=nope", headers={"Origin": "http://app.test", "Access-Control-Request-Method": "GET"}
    )
    assert response.status_code == 204


def test_a_scenarios_encoding_applies_to_its_answers(mock: ControlClient) -> None:
    """unescaped-json sends raw UTF-8; the default \\u-escapes the same kind of text."""
    raw = mock.get(INDEX, headers={"X-Mock-Scenario": "unescaped-json"}).data
    escaped = mock.get(INDEX).data
    assert b"\\u04" not in raw
    assert b"\\u04" in escaped


def test_the_scenarios_auth_keys_apply(mock: ControlClient) -> None:
    """auth-required answers 401 without a key and 200 with one of its keys."""
    chosen = {"X-Mock-Scenario": "auth-required"}
    assert mock.get(INDEX, headers=chosen).status_code == 401
    assert mock.get(INDEX, headers={**chosen, "X-Estis-Auth": "qa-key-2"}).status_code == 200
    assert mock.get(INDEX, headers={**chosen, "X-Estis-Auth": "nope"}).status_code == 403


def test_the_config_override_wins_over_the_scenario(make_control_app: MakeApp) -> None:
    """SENDSTAT_AUTH_KEYS and SENDSTAT_EMPTY_INDEX_STATUS apply to every scenario."""
    client = make_control_app(SENDSTAT_AUTH_KEYS=["k"], SENDSTAT_EMPTY_INDEX_STATUS=200).test_client()
    headers = {"X-Mock-Scenario": "empty", "X-Estis-Auth": "k"}
    assert client.get(INDEX, headers={"X-Mock-Scenario": "empty"}).status_code == 401
    assert client.get(INDEX, headers=headers).data == b'{"statistics":[]}'
