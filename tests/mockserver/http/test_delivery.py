"""Delivering an answer under a scenario: faults on the answer, forced answers, Prefer: code=N, latency."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from contract.spec import Contract
from mockserver.http.render import CONTENT_TYPE
from tests.conftest import MakeApp

INDEX = "/mailer/sendstatistics"
VIEW = "/mailer/sendstatistics/{id}"


def warnings_of(response: TestResponse) -> list[str]:
    """Return every X-Mock-Warning header of a response."""
    return response.headers.getlist("X-Mock-Warning")


@pytest.fixture
def slept() -> list[float]:
    """The seconds the app slept (recorded instead of waited)."""
    return []


@pytest.fixture
def on_scenarios(make_app: MakeApp, slept: list[float]) -> FlaskClient:
    """A client of an app serving the real and the test scenarios, recording its sleeps."""
    return make_app(SENDSTAT_SOURCE=None, SENDSTAT_SLEEP=slept.append).test_client()


def journal_of(client: FlaskClient) -> list[dict[str, Any]]:
    """Return the app's journal entries."""
    body = client.get("/__mock/journal").json
    assert body is not None
    entries: list[dict[str, Any]] = body["entries"]
    return entries


def full_answer(client: FlaskClient, url: str, scenario: str) -> TestResponse:
    """Return the answer a scenario gives without its faults (Prefer: code=200)."""
    return client.get(url, headers={"X-Mock-Scenario": scenario, "Prefer": "code=200"})


@pytest.mark.parametrize("url", [INDEX, f"{INDEX}/1"])
@pytest.mark.parametrize(("kind", "message"), [("500", "Internal Server Error"), ("503", "Service Unavailable")])
def test_error_faults_answer_a_json_error(on_scenarios: FlaskClient, url: str, kind: str, message: str) -> None:
    """A 500 or 503 fault answers that status with {"message": ...} and names itself in X-Mock-Fault."""
    response = on_scenarios.get(url, headers={"X-Mock-Scenario": f"fault-{kind}"})
    assert (response.status_code, json.loads(response.data)) == (int(kind), {"message": message})
    assert response.headers["X-Mock-Fault"] == kind
    assert journal_of(on_scenarios)[-1]["fault"] == kind


def test_a_drop_announces_a_body_and_sends_none(on_scenarios: FlaskClient) -> None:
    """A dropped answer announces one byte (Content-Length: 1) and sends none, so the server must close."""
    response = on_scenarios.get(f"{INDEX}/1", headers={"X-Mock-Scenario": "fault-drop"})
    assert (response.headers["Content-Length"], response.data) == ("1", b"")
    entry = journal_of(on_scenarios)[-1]
    assert (entry["status"], entry["fault"]) == (None, "drop")


@pytest.mark.parametrize(("bound", "held"), [(30_000, 2.0), (500, 0.5)])
def test_a_timeout_holds_then_drops(make_app: MakeApp, slept: list[float], bound: int, held: float) -> None:
    """A timeout is silent for its hold_ms (2000 here), at most SENDSTAT_MAX_HOLD_MS, then drops."""
    client = make_app(SENDSTAT_SOURCE=None, SENDSTAT_SLEEP=slept.append, SENDSTAT_MAX_HOLD_MS=bound).test_client()
    response = client.get(INDEX, headers={"X-Mock-Scenario": "fault-timeout"})
    assert (slept, response.data) == ([held], b"")
    assert journal_of(client)[-1]["fault"] == "timeout"


@pytest.mark.parametrize("url", [INDEX, f"{INDEX}/1?fields=" + quote('["id","common"]'), f"{INDEX}/999"])
def test_a_truncated_answer_keeps_its_length_and_sends_half(on_scenarios: FlaskClient, url: str) -> None:
    """The status and Content-Length of the full answer (errors too), and only its first half."""
    full = full_answer(on_scenarios, url, "fault-truncate").data
    response = on_scenarios.get(url, headers={"X-Mock-Scenario": "fault-truncate"})
    assert response.headers["Content-Length"] == str(len(full))
    assert response.data == full[: len(full) // 2]
    assert response.status_code == full_answer(on_scenarios, url, "fault-truncate").status_code


def test_a_malformed_answer_is_200_and_not_json(on_scenarios: FlaskClient) -> None:
    """A PHP warning printed before the JSON: 200, a JSON content type, a body no JSON parser accepts."""
    full = full_answer(on_scenarios, f"{INDEX}/999", "fault-malformed")
    response = on_scenarios.get(f"{INDEX}/999", headers={"X-Mock-Scenario": "fault-malformed"})
    assert (full.status_code, response.status_code) == (404, 200)
    assert response.content_type == CONTENT_TYPE
    assert response.data.startswith(b"<br />\n<b>Warning</b>")
    assert response.data.endswith(full.data)
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.data)


@pytest.mark.parametrize(
    ("mailing_id", "status", "body"),
    [(7, 500, {"message": "Internal Server Error"}), (13, 404, {"message": "Not found"})],
)
def test_a_forced_id_answers_its_status_whatever_the_request(
    on_scenarios: FlaskClient, mailing_id: int, status: int, body: dict[str, str]
) -> None:
    """flaky's forced answers, for any fields, journalled as forced; Prefer: code=200 gets the real mailing."""
    url = f"{INDEX}/{mailing_id}?fields=" + quote('["common"]')
    response = on_scenarios.get(url, headers={"X-Mock-Scenario": "flaky", "X-Mock-Session": "forced"})
    for _ in range(3):  # whatever fault the draw gives, a forced id answers the same
        if response.status_code == status:
            break
        response = on_scenarios.get(url, headers={"X-Mock-Scenario": "flaky", "X-Mock-Session": "forced"})
    assert (response.status_code, json.loads(response.data)) == (status, body)
    assert response.headers["X-Mock-Fault"] == "forced"
    real = on_scenarios.get(url, headers={"X-Mock-Scenario": "flaky", "Prefer": "code=200"})
    assert (real.status_code, list(json.loads(real.data))) == (200, ["common"])


@pytest.mark.parametrize(
    ("url", "prefer", "status", "body"),
    [
        (f"{INDEX}/1", "code=404", 404, {"message": "Not found"}),
        (
            f"{INDEX}/1",
            "code=400",
            400,
            {"code": 20620, "message": "Invalid fields. Wrong parameters of string fields"},
        ),
        (f"{INDEX}/1", "code=401", 401, {"message": "Unauthorized"}),
        (INDEX, "code=403", 403, {"message": "Forbidden"}),
        (INDEX, "code=204", 204, None),
        (f"{INDEX}/1", 'return=minimal, code="404"; strict', 404, {"message": "Not found"}),
    ],
)
def test_prefer_code_answers_the_documented_body(
    client: FlaskClient, contract: Contract, url: str, prefer: str, status: int, body: Any
) -> None:
    """Prism's Prefer: code=N answers the document's body for N, valid per the document."""
    response = client.get(url, headers={"Prefer": prefer})
    assert response.status_code == status
    if body is None:
        assert response.data == b""
    else:
        assert json.loads(response.data) == body
        contract.response_validator(INDEX if url == INDEX else VIEW, status).validate(body)


def test_the_query_code_is_prisms_and_wins(client: FlaskClient) -> None:
    """__code=404 (Prism's query form) forces the 404 too, over a Prefer header."""
    response = client.get(f"{INDEX}/1?__code=404", headers={"Prefer": "code=200"})
    assert response.status_code == 404
    assert warnings_of(response) == []


@pytest.mark.parametrize(
    ("url", "prefer", "status", "fragment"),
    [
        (INDEX, "code=404", 200, "preferred code 404 is not documented for this operation (200, 204, 401, 403)"),
        (f"{INDEX}/999", "code=200", 404, "preferred code 200 cannot be given: this request's answer is 404"),
        (INDEX, "code=abc", 200, 'preferred code "abc" is not an HTTP status'),
        (INDEX, "example=seed", 200, "Prefer: example= is a Prism preference this mock does not support"),
    ],
)
def test_a_preference_that_cannot_be_honoured_warns(
    client: FlaskClient, url: str, prefer: str, status: int, fragment: str
) -> None:
    """An undocumented or impossible preferred code is answered as usual, with a warning saying why."""
    response = client.get(url, headers={"Prefer": prefer})
    assert response.status_code == status
    assert any(fragment in warning for warning in warnings_of(response))


def test_prefer_200_lists_an_empty_account_as_200(make_app: MakeApp) -> None:
    """Prefer: code=200 on an empty index (204 by default) answers the documented alternative {"statistics": []}."""
    response = make_app(mailings=()).test_client().get(INDEX, headers={"Prefer": "code=200"})
    assert (response.status_code, response.data) == (200, b'{"statistics":[]}')


def test_prefer_skips_faults(on_scenarios: FlaskClient) -> None:
    """A preferred code is answered even in a scenario whose every request fails."""
    response = on_scenarios.get(INDEX, headers={"X-Mock-Scenario": "fault-500", "Prefer": "code=200"})
    assert response.status_code == 200


def test_latency_is_fixed_plus_a_jitter_within_bounds(on_scenarios: FlaskClient, slept: list[float]) -> None:
    """half-faults waits 5 ms per index and 10 to 30 ms per view, drawn per request."""
    on_scenarios.get(INDEX, headers={"X-Mock-Scenario": "half-faults"})
    for _ in range(20):
        on_scenarios.get(f"{INDEX}/1", headers={"X-Mock-Scenario": "half-faults"})
    assert slept[0] == 0.005
    assert all(0.010 <= seconds <= 0.030 for seconds in slept[1:])
    assert len(set(slept[1:])) > 10


def statuses(client: FlaskClient, session: str | None, count: int = 40) -> list[int]:
    """Return the statuses of count views of half-faults in a session (None: the server's)."""
    headers = {"X-Mock-Scenario": "half-faults", **({"X-Mock-Session": session} if session else {})}
    return [client.get(f"{INDEX}/1", headers=headers).status_code for _ in range(count)]


def test_fault_sequences_are_reproducible_and_per_session(on_scenarios: FlaskClient) -> None:
    """The n-th view of a session meets the same fault in any session and after a reset; sessions do not interfere."""
    on_scenarios.put("/__mock/sessions/a", json={})
    first = statuses(on_scenarios, "a")
    assert 8 <= first.count(500) <= 32
    assert set(first) == {200, 500}
    on_scenarios.put("/__mock/sessions/b", json={})
    interleaved = [statuses(on_scenarios, "b", 1)[0] for _ in range(40)]
    assert interleaved == first
    assert statuses(on_scenarios, None) == first  # the server's own sequence, untouched by the sessions
    on_scenarios.post("/__mock/reset")
    assert statuses(on_scenarios, None) == first
