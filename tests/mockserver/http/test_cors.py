"""CORS for browser apps: any origin by default, preflights, the warning header exposed, off on demand."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.conftest import MakeApp

INDEX = "/mailer/sendstatistics"
ORIGIN = "http://localhost:5173"
PREFLIGHT = {"Origin": ORIGIN, "Access-Control-Request-Method": "GET"}


@pytest.mark.parametrize("path", [INDEX, f"{INDEX}/1", f"{INDEX}/999", "/nope", "/docs", "/openapi.yaml"])
def test_every_answer_allows_any_origin_and_exposes_warnings(client: FlaskClient, path: str) -> None:
    """Successes and errors alike carry Access-Control-Allow-Origin: * and expose the mock's headers."""
    response = client.get(path, headers={"Origin": ORIGIN})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Access-Control-Expose-Headers"] == "X-Mock-Warning, X-Mock-Scenario, X-Mock-Fault"
    assert "Access-Control-Allow-Credentials" not in response.headers


@pytest.mark.parametrize("path", [INDEX, f"{INDEX}/1"])
def test_a_preflight_is_204_with_methods_headers_and_max_age(client: FlaskClient, path: str) -> None:
    """OPTIONS with Access-Control-Request-Method answers 204, GET and OPTIONS, the auth header, a max-age."""
    response = client.options(path, headers=PREFLIGHT)
    assert (response.status_code, response.data) == (204, b"")
    assert "Content-Type" not in response.headers
    assert response.headers["Access-Control-Allow-Methods"] == "GET, OPTIONS"
    assert response.headers["Access-Control-Allow-Headers"] == "X-Estis-Auth, Content-Type"
    assert response.headers["Access-Control-Max-Age"] == "600"
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_a_preflight_echoes_the_requested_headers(client: FlaskClient) -> None:
    """Requested headers are allowed as asked, each name once whatever its case."""
    headers = {**PREFLIGHT, "Access-Control-Request-Headers": "x-estis-auth, x-request-id"}
    response = client.options(INDEX, headers=headers)
    assert response.headers["Access-Control-Allow-Headers"] == "x-estis-auth, x-request-id, Content-Type"


def test_a_preflight_to_an_unknown_path_is_404(client: FlaskClient) -> None:
    """Only known paths get a preflight answer."""
    assert client.options("/nope", headers=PREFLIGHT).status_code == 404


def test_credentials_echo_the_origin(make_app: MakeApp) -> None:
    """With SENDSTAT_CORS_CREDENTIALS the Origin is echoed (never * with credentials) and Vary names it."""
    response = make_app(SENDSTAT_CORS_CREDENTIALS=True).test_client().get(INDEX, headers={"Origin": ORIGIN})
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert response.headers["Access-Control-Allow-Credentials"] == "true"
    assert "Origin" in response.headers["Vary"]


def test_the_max_age_is_configurable(make_app: MakeApp) -> None:
    """SENDSTAT_CORS_MAX_AGE sets the preflight's max-age."""
    response = make_app(SENDSTAT_CORS_MAX_AGE=86400).test_client().options(INDEX, headers=PREFLIGHT)
    assert response.headers["Access-Control-Max-Age"] == "86400"


def test_cors_can_be_turned_off(make_app: MakeApp) -> None:
    """SENDSTAT_CORS=False sends no CORS headers and leaves OPTIONS to Flask's default answer."""
    client = make_app(SENDSTAT_CORS=False).test_client()
    response = client.get(INDEX, headers={"Origin": ORIGIN})
    assert not [name for name, _ in response.headers if name.startswith("Access-Control-")]
    preflight = client.options(INDEX, headers=PREFLIGHT)
    assert preflight.status_code == 200
    assert "Access-Control-Allow-Origin" not in preflight.headers
