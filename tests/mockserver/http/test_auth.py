"""Optional X-Estis-Auth authentication: off by default; 401 without a key, 403 with a wrong one."""

from __future__ import annotations

import json

import pytest
from flask.testing import FlaskClient

from contract.spec import Contract
from mockserver.http.auth import api_key_header, documented_body
from tests.conftest import MakeApp

INDEX = "/mailer/sendstatistics"
KEYS = ["key-one", "key-two"]


@pytest.fixture
def guarded(make_app: MakeApp) -> FlaskClient:
    """A client of an app with two configured keys."""
    return make_app(SENDSTAT_AUTH_KEYS=KEYS).test_client()


def test_the_header_and_texts_come_from_the_document(contract: Contract) -> None:
    """The header is the document's apiKey scheme; the bodies are its 401 and 403 examples."""
    assert api_key_header(contract) == "X-Estis-Auth"
    assert documented_body(contract, 401) == {"message": "Unauthorized"}
    assert documented_body(contract, 403) == {"message": "Forbidden"}


def test_authentication_is_off_by_default(client: FlaskClient) -> None:
    """Without configured keys the API answers without a header."""
    assert client.get(INDEX).status_code == 200


@pytest.mark.parametrize("path", [INDEX, f"{INDEX}/1", f"{INDEX}/999"])
def test_a_missing_key_is_401(guarded: FlaskClient, contract: Contract, path: str) -> None:
    """No header, on any API path, answers the documented 401 body before anything else."""
    response = guarded.get(path)
    assert response.status_code == 401
    body = json.loads(response.data)
    assert body == {"message": "Unauthorized"}
    contract.response_validator(INDEX, 401).validate(body)


@pytest.mark.parametrize("key", ["", "   "])
def test_an_empty_key_counts_as_missing(guarded: FlaskClient, key: str) -> None:
    """An empty (or blank) header value is no key: 401."""
    assert guarded.get(INDEX, headers={"X-Estis-Auth": key}).status_code == 401


@pytest.mark.parametrize("key", ["wrong", "KEY-ONE", "key-on", "key-one2", "ключ"])
def test_a_wrong_key_is_403(guarded: FlaskClient, contract: Contract, key: str) -> None:
    """A key that is not configured answers the documented 403 body."""
    response = guarded.get(f"{INDEX}/1", headers={"X-Estis-Auth": key.encode().decode("latin-1")})
    assert response.status_code == 403
    assert response.data == b'{"message":"Forbidden"}'
    contract.response_validator(f"{INDEX}/{{id}}", 403).validate(json.loads(response.data))


@pytest.mark.parametrize("key", KEYS)
def test_each_configured_key_is_accepted(guarded: FlaskClient, key: str) -> None:
    """Any configured key opens the API; the header name is case-insensitive."""
    assert guarded.get(INDEX, headers={"x-estis-auth": key}).status_code == 200


@pytest.mark.parametrize("path", ["/docs", "/openapi.yaml", "/health", "/"])
def test_the_auxiliary_pages_need_no_key(guarded: FlaskClient, path: str) -> None:
    """The docs, the contract and the health probe are open."""
    assert guarded.get(path).status_code in (200, 302)


def test_unknown_paths_are_404_not_401(guarded: FlaskClient) -> None:
    """A path that is no API route is simply not found."""
    assert guarded.get("/nope").status_code == 404


def test_a_preflight_needs_no_key(guarded: FlaskClient) -> None:
    """A CORS preflight never carries the key, so it is answered without one."""
    response = guarded.options(INDEX, headers={"Origin": "http://app.test", "Access-Control-Request-Method": "GET"})
    assert response.status_code == 204


def test_a_preflight_needs_no_key_with_cors_off(make_app: MakeApp) -> None:
    """Even with CORS off, OPTIONS is not refused for the missing key."""
    client = make_app(SENDSTAT_AUTH_KEYS=KEYS, SENDSTAT_CORS=False).test_client()
    assert client.options(INDEX).status_code == 200


@pytest.mark.parametrize(("key", "status"), [(None, 401), ("qa-key-1", 200), ("key-one", 403)])
def test_the_scenario_brings_its_keys(make_app: MakeApp, key: str | None, status: int) -> None:
    """Without SENDSTAT_AUTH_KEYS, a request under auth-required needs one of that scenario's keys."""
    client = make_app(SENDSTAT_SOURCE=None).test_client()
    headers = {"X-Mock-Scenario": "auth-required", **({"X-Estis-Auth": key} if key else {})}
    assert client.get(INDEX, headers=headers).status_code == status
    assert client.get(INDEX).status_code == 200


def test_configured_keys_win_over_the_scenarios(make_app: MakeApp) -> None:
    """SENDSTAT_AUTH_KEYS replaces every scenario's keys, auth-required's included."""
    client = make_app(SENDSTAT_SOURCE=None, SENDSTAT_AUTH_KEYS=KEYS).test_client()
    chosen = {"X-Mock-Scenario": "auth-required"}
    assert client.get(INDEX, headers={**chosen, "X-Estis-Auth": "qa-key-1"}).status_code == 403
    assert client.get(INDEX, headers={**chosen, "X-Estis-Auth": "key-one"}).status_code == 200
