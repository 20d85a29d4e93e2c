"""CORS for browser apps: the origin echoed with credentials by default, preflights, exposed headers, restrictions."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from mockserver.errors import ConfigError
from tests.conftest import MakeApp

INDEX = "/mailer/sendstatistics"
ORIGIN = "http://localhost:5173"
PREFLIGHT = {"Origin": ORIGIN, "Access-Control-Request-Method": "GET"}


EXPOSED = "X-Mock-Warning, X-Mock-Scenario, X-Mock-Session, X-Mock-Fault"


@pytest.mark.parametrize("path", [INDEX, f"{INDEX}/1", f"{INDEX}/999", "/nope", "/docs", "/openapi.yaml"])
def test_every_answer_echoes_the_origin_with_credentials(client: FlaskClient, path: str) -> None:
    """Successes and errors alike echo the Origin, allow credentials, vary on Origin and expose the mock's headers."""
    response = client.get(path, headers={"Origin": ORIGIN})
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert response.headers["Access-Control-Allow-Credentials"] == "true"
    assert "Origin" in response.headers["Vary"]
    assert response.headers["Access-Control-Expose-Headers"] == EXPOSED


def test_a_request_without_origin_gets_the_wildcard(client: FlaskClient) -> None:
    """A request that is not cross-origin (no Origin) gets `*` and no credentials header."""
    response = client.get(INDEX)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers


def test_the_control_api_keeps_refusing_foreign_origins(client: FlaskClient) -> None:
    """The API's credentialed CORS does not reach /__mock/: a foreign page is refused (403) with no CORS grant."""
    for method, path in (("GET", "/__mock/journal"), ("PUT", "/__mock/scenario"), ("OPTIONS", "/__mock/scenario")):
        headers = {"Origin": "http://evil.example", "Access-Control-Request-Method": "PUT"}
        response = client.open(path, method=method, headers=headers, json={"name": "empty"})
        assert "Access-Control-Allow-Origin" not in response.headers
        assert "Access-Control-Allow-Credentials" not in response.headers
        if method != "OPTIONS":
            assert response.status_code == 403
    assert client.get(INDEX).headers["X-Mock-Scenario"] == "default"


@pytest.mark.parametrize("path", [INDEX, f"{INDEX}/1"])
def test_a_preflight_is_204_with_methods_headers_and_max_age(client: FlaskClient, path: str) -> None:
    """OPTIONS with Access-Control-Request-Method answers 204, GET and OPTIONS, the auth header, a max-age."""
    response = client.options(path, headers=PREFLIGHT)
    assert (response.status_code, response.data) == (204, b"")
    assert "Content-Type" not in response.headers
    assert response.headers["Access-Control-Allow-Methods"] == "GET, OPTIONS"
    assert response.headers["Access-Control-Allow-Headers"] == "X-Estis-Auth, Content-Type"
    assert response.headers["Access-Control-Max-Age"] == "600"
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert response.headers["Access-Control-Allow-Credentials"] == "true"


def test_a_preflight_echoes_the_requested_headers(client: FlaskClient) -> None:
    """Requested headers are allowed as asked, each name once whatever its case."""
    headers = {**PREFLIGHT, "Access-Control-Request-Headers": "x-estis-auth, x-request-id"}
    response = client.options(INDEX, headers=headers)
    assert response.headers["Access-Control-Allow-Headers"] == "x-estis-auth, x-request-id, Content-Type"


def test_a_preflight_to_an_unknown_path_is_404(client: FlaskClient) -> None:
    """Only known paths get a preflight answer."""
    assert client.options("/nope", headers=PREFLIGHT).status_code == 404


def test_without_credentials_any_origin_gets_the_wildcard(make_app: MakeApp) -> None:
    """SENDSTAT_CORS_CREDENTIALS=False answers `*` (which browsers refuse for credentialed requests)."""
    response = make_app(SENDSTAT_CORS_CREDENTIALS=False).test_client().get(INDEX, headers={"Origin": ORIGIN})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers


def test_allowed_origins_restrict_the_grant(make_app: MakeApp) -> None:
    """With SENDSTAT_CORS_ORIGINS only those origins (any case, trailing slash or not) are echoed; others get none."""
    client = make_app(SENDSTAT_CORS_ORIGINS=["HTTP://localhost:5173/"]).test_client()
    assert client.get(INDEX, headers={"Origin": ORIGIN}).headers["Access-Control-Allow-Origin"] == ORIGIN
    for headers in ({"Origin": "http://evil.example"}, {}):
        response = client.get(INDEX, headers=headers)
        assert response.status_code == 200
        assert "Access-Control-Allow-Origin" not in response.headers
        assert "Origin" in response.headers["Vary"]


@pytest.mark.parametrize("origins", ["http://a.example", ["localhost:5173"], [5173]])
def test_bad_allowed_origins_are_a_config_error(make_app: MakeApp, origins: object) -> None:
    """SENDSTAT_CORS_ORIGINS must be a list of scheme://host[:port] origins."""
    with pytest.raises(ConfigError, match="SENDSTAT_CORS_ORIGINS"):
        make_app(SENDSTAT_CORS_ORIGINS=origins)


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
