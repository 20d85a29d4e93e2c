"""The control API as a whole: its document, who may call it, its own CORS, its errors (never a 500)."""

from __future__ import annotations

import time

import pytest
import yaml
from openapi_spec_validator import validate

from bench._redis import RedisServer
from mockserver.http.app import close_app
from tests.conftest import MakeApp
from tests.mockserver.conftest import INDEX, ControlClient, ControlDocument

LOOPBACK_PAGE = "http://localhost:5173"
OTHER_PAGE = "https://evil.example"


def test_the_document_is_valid_openapi_and_served(mock: ControlClient, control_document: ControlDocument) -> None:
    """/__mock/openapi.yaml serves control-openapi.yaml byte for byte, a valid OpenAPI 3.1 document."""
    response = mock.get("/__mock/openapi.yaml")
    assert response.content_type == "application/yaml; charset=utf-8"
    assert yaml.safe_load(response.data) == control_document.document
    validate(control_document.document)


def test_every_documented_operation_has_a_route_and_back(
    mock: ControlClient, control_document: ControlDocument
) -> None:
    """The control blueprint's routes are exactly the document's operations."""
    app = mock.client.application
    routes = {
        (method, rule.rule.replace("<", "{").replace(">", "}"))
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("control.")
        for method in rule.methods or ()
        if method not in ("HEAD", "OPTIONS")
    }
    documented = {
        (method.upper(), path)
        for path, item in control_document.document["paths"].items()
        for method in item
        if method != "parameters"
    }
    assert routes == documented


@pytest.mark.parametrize(
    ("environ", "headers", "status"),
    [
        ({"REMOTE_ADDR": "127.0.0.1"}, {}, 200),
        ({"REMOTE_ADDR": "127.8.9.10"}, {}, 200),
        ({"REMOTE_ADDR": "::1"}, {}, 200),
        ({"REMOTE_ADDR": "::ffff:127.0.0.1"}, {}, 200),
        ({"REMOTE_ADDR": "192.168.1.20"}, {}, 403),
        ({"REMOTE_ADDR": "10.0.0.1"}, {"Host": "localhost"}, 403),
        ({"REMOTE_ADDR": "127.0.0.1"}, {"Host": "rebound.example:8000"}, 403),
        ({"REMOTE_ADDR": "127.0.0.1"}, {"Origin": OTHER_PAGE}, 403),
        ({"REMOTE_ADDR": "127.0.0.1"}, {"Origin": "null"}, 403),
        ({"REMOTE_ADDR": "127.0.0.1"}, {"Origin": LOOPBACK_PAGE}, 200),
    ],
)
def test_without_a_token_only_loopback_may_control(
    mock: ControlClient, environ: dict[str, str], headers: dict[str, str], status: int
) -> None:
    """Loopback clients on a loopback Host, from no page or a loopback page, may; others get 403 and a hint."""
    response = mock.get("/__mock/scenario", environ_base=environ, headers=headers)
    assert response.status_code == status
    if status == 403:
        assert "--control-token" in response.json["message"]  # type: ignore[index]


@pytest.mark.parametrize(
    ("authorization", "status"),
    [(None, 401), ("Bearer wrong", 401), ("Basic s3cret", 401), ("Bearer s3cret", 200), ("bearer  s3cret ", 200)],
)
def test_with_a_token_everyone_needs_it(
    make_control_app: MakeApp, control_document: ControlDocument, authorization: str | None, status: int
) -> None:
    """With SENDSTAT_CONTROL_TOKEN every client, loopback or not, needs Authorization: Bearer TOKEN."""
    mock = ControlClient(make_control_app(SENDSTAT_CONTROL_TOKEN="s3cret").test_client(), control_document)
    headers = {"Authorization": authorization} if authorization else {}
    for remote in ("127.0.0.1", "203.0.113.9"):
        response = mock.get("/__mock/", headers=headers, environ_base={"REMOTE_ADDR": remote})
        assert response.status_code == status
        if status == 401:
            assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_the_api_answers_remote_clients_as_before(mock: ControlClient) -> None:
    """The guard is the control API's only: the SendStatistics API still answers any client."""
    assert mock.get(INDEX, environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code == 200


def test_the_apis_cors_does_not_open_the_control_api(mock: ControlClient) -> None:
    """A foreign page gets no Access-Control-Allow-Origin from the control API, neither on a preflight."""
    preflight = mock.client.options(
        "/__mock/scenario", headers={"Origin": OTHER_PAGE, "Access-Control-Request-Method": "PUT"}
    )
    assert preflight.status_code == 204
    assert "Access-Control-Allow-Origin" not in preflight.headers
    assert "Access-Control-Allow-Origin" not in mock.client.get("/__mock/scenario").headers
    assert mock.client.get(INDEX, headers={"Origin": OTHER_PAGE}).headers["Access-Control-Allow-Origin"] == OTHER_PAGE


def test_a_loopback_page_may_use_the_control_api(mock: ControlClient) -> None:
    """A page served from localhost (the developer's app) gets CORS for the control API."""
    preflight = mock.client.options(
        "/__mock/scenario", headers={"Origin": LOOPBACK_PAGE, "Access-Control-Request-Method": "PUT"}
    )
    assert preflight.headers["Access-Control-Allow-Origin"] == LOOPBACK_PAGE
    assert "PUT" in preflight.headers["Access-Control-Allow-Methods"]
    response = mock.put("/__mock/scenario", json={"name": "empty"}, headers={"Origin": LOOPBACK_PAGE})
    assert response.headers["Access-Control-Allow-Origin"] == LOOPBACK_PAGE


def test_with_a_token_any_page_may_send_it(make_control_app: MakeApp) -> None:
    """With a token the control API's CORS grants any origin (the token guards it) and allows Authorization."""
    client = make_control_app(SENDSTAT_CONTROL_TOKEN="s3cret").test_client()
    preflight = client.options("/__mock/clock", headers={"Origin": OTHER_PAGE, "Access-Control-Request-Method": "PUT"})
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == OTHER_PAGE
    assert "Authorization" in preflight.headers["Access-Control-Allow-Headers"]


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("GET", "/__mock/nope", 404), ("PATCH", "/__mock/scenario", 405), ("POST", "/__mock/clock", 405)],
)
def test_unknown_control_routes_are_json_errors(mock: ControlClient, method: str, path: str, status: int) -> None:
    """A path or method the control API does not have answers JSON 404 or 405, not the API's body."""
    response = mock.client.open(path, method=method)
    assert response.status_code == status
    assert response.content_type == "application/json"
    assert response.json is not None
    assert response.json["message"] != "Not found"
    if status == 404:
        assert response.json["message"] == "no control route /__mock/nope; see /__mock/openapi.yaml"


# Every control call, with a body where it takes one (all but the document need the shared state).
STATE_CALLS = [
    ("GET", "/__mock/", None),
    ("GET", "/__mock/scenarios", None),
    ("GET", "/__mock/scenarios/empty", None),
    ("GET", "/__mock/scenario", None),
    ("PUT", "/__mock/scenario", {"name": "empty"}),
    ("DELETE", "/__mock/scenario", None),
    ("POST", "/__mock/reload", None),
    ("POST", "/__mock/reset", None),
    ("GET", "/__mock/sessions", None),
    ("POST", "/__mock/sessions", {"id": "qa2"}),
    ("GET", "/__mock/sessions/qa", None),
    ("PUT", "/__mock/sessions/qa", {"scenario": "empty"}),
    ("DELETE", "/__mock/sessions/qa", None),
    ("GET", "/__mock/clock", None),
    ("PUT", "/__mock/clock", {"now": 5}),
    ("POST", "/__mock/clock/advance", {"seconds": 5}),
    ("DELETE", "/__mock/clock", None),
    ("GET", "/__mock/sessions/qa/clock", None),
    ("PUT", "/__mock/sessions/qa/clock", {"now": 5}),
    ("POST", "/__mock/sessions/qa/clock/advance", {"seconds": 5}),
    ("DELETE", "/__mock/sessions/qa/clock", None),
    ("GET", "/__mock/journal", None),
    ("GET", "/__mock/journal/count", None),
    ("GET", "/__mock/journal/1", None),
    ("DELETE", "/__mock/journal", None),
]


def test_every_state_call_is_listed(control_document: ControlDocument) -> None:
    """STATE_CALLS covers every documented operation but the document itself."""
    documented = {
        (method.upper(), path)
        for path, item in control_document.document["paths"].items()
        for method in item
        if method != "parameters"
    }
    listed = {
        (method, path.replace("/qa", "/{session_id}").replace("/empty", "/{name}")) for method, path, _ in STATE_CALLS
    }
    listed = {(m, p.replace("/journal/1", "/journal/{seq}")) for m, p in listed}
    assert documented - listed == {("GET", "/__mock/openapi.yaml")}


def test_without_redis_every_control_call_is_a_503_and_the_api_still_answers(
    make_control_app: MakeApp, control_document: ControlDocument, own_redis: RedisServer
) -> None:
    """Redis gone: each control call but the document answers 503 in the control API's format, saying why; API
    requests get the same answers as before; once Redis is back, control calls work again."""
    app = make_control_app(SENDSTAT_STATE=own_redis.url(), SENDSTAT_STATE_POLL=0.005)
    mock = ControlClient(app.test_client(), control_document)
    try:
        assert mock.put("/__mock/sessions/qa", json={"scenario": "single"}).status_code == 201
        before = [mock.get(INDEX), mock.get(INDEX, headers={"X-Mock-Session": "qa"})]
        own_redis.stop()
        for method, path, body in STATE_CALLS:
            response = mock.open(method, path, json=body)
            assert response.status_code == 503, (method, path, response.data)
            assert "does not answer" in response.json["message"]
        assert mock.get("/__mock/openapi.yaml").status_code == 200
        after = [mock.get(INDEX), mock.get(INDEX, headers={"X-Mock-Session": "qa"})]
        assert [(r.status_code, r.data) for r in after] == [(r.status_code, r.data) for r in before]
        own_redis.restart()
        deadline = time.monotonic() + 10
        while mock.get("/__mock/scenario").status_code != 200:  # the watcher reconnects within its retry
            assert time.monotonic() < deadline, "control calls never worked again"
            time.sleep(0.01)
        assert mock.get("/__mock/sessions/qa").json["scenario"] == "single"  # written back from the last state
    finally:
        close_app(app)
