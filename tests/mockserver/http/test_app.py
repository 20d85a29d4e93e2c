"""The application factory: defaults, per-app state, config checks, routes from the document."""

from __future__ import annotations

import copy
import re
import threading
import time
from typing import Any

import pytest
from flask import Flask

from bench._redis import RedisServer
from contract.php import PhpJsonFlag
from contract.spec import Contract, default_document_path
from mockserver.control.runtime import Runtime
from mockserver.errors import ConfigError, UnknownScenario
from mockserver.http.app import DEFAULTS, close_app, create_app
from mockserver.http.context import EXTENSION, MockState
from mockserver.scenario.library import ScenarioLibrary
from tests.conftest import EMPTY_MAILING, SEED_MAILING, FakeSource, MakeApp

# Keys the make_app fixture sets for every test.
FIXTURE_KEYS = ("SENDSTAT_SOURCE", "SENDSTAT_CONTRACT", "SENDSTAT_SCENARIO_LIBRARY", "SENDSTAT_RELOAD_INTERVAL")


def test_the_factory_applies_the_defaults(app: Flask) -> None:
    """Every SENDSTAT_* key has its default unless overridden."""
    assert {key: app.config[key] for key in DEFAULTS if key not in FIXTURE_KEYS} == {
        key: value for key, value in DEFAULTS.items() if key not in FIXTURE_KEYS
    }


def test_the_state_hangs_on_the_app(app: Flask, contract: Contract) -> None:
    """The contract, the encoding of pages and the control runtime live in app.extensions["sendstat"]."""
    state = app.extensions[EXTENSION]
    assert isinstance(state, MockState)
    assert state.contract is contract
    assert (state.json_flags, state.warnings) == (PhpJsonFlag.NONE, True)
    assert state.contract_text == default_document_path().read_bytes()
    assert isinstance(state.control, Runtime)
    assert state.control.start.name == "default"


def test_an_app_can_be_closed(make_app: MakeApp) -> None:
    """close_app releases the shared-state connection, after which the store refuses work."""
    app = make_app()
    close_app(app)
    with pytest.raises(Exception, match="closed"):
        app.extensions[EXTENSION].control.store.stamp()


def test_apps_side_by_side_keep_their_own_data(make_app: MakeApp) -> None:
    """Two apps built with different sources answer from their own."""
    first = make_app(mailings=[SEED_MAILING]).test_client()
    second = make_app(mailings=[EMPTY_MAILING], SENDSTAT_EMPTY_INDEX_STATUS=200).test_client()
    assert first.get("/mailer/sendstatistics").json == {"statistics": [{"id": 1, "letter_title": "letter_title"}]}
    assert second.get("/mailer/sendstatistics/1").status_code == 404
    assert second.get("/mailer/sendstatistics/7").json == {"id": 7}


def test_without_a_source_the_default_account_is_served(contract: Contract) -> None:
    """No SENDSTAT_SOURCE nor library: the shipped default scenario, its ids listed and viewable."""
    client = create_app({"SENDSTAT_CONTRACT": contract}).test_client()
    listed = client.get("/mailer/sendstatistics").json
    assert listed is not None
    first = listed["statistics"][0]["id"]
    assert client.get(f"/mailer/sendstatistics/{first}").json == {"id": first}


def test_the_seed_selects_another_account(make_app: MakeApp) -> None:
    """SENDSTAT_SEED reseeds the scenario's generated account; the same seed gives the same bytes."""

    def index(seed: int | None) -> bytes:
        client = make_app(SENDSTAT_SOURCE=None, SENDSTAT_SEED=seed).test_client()
        data: bytes = client.get("/mailer/sendstatistics").data
        return data

    assert index(1) == index(1) == index(None)
    assert index(1) != index(2)


def test_the_contract_loads_from_a_path(contract: Contract) -> None:
    """SENDSTAT_CONTRACT_PATH names the document to load and to serve."""
    app = create_app({"SENDSTAT_CONTRACT_PATH": str(default_document_path()), "SENDSTAT_SOURCE": FakeSource([])})
    assert app.extensions[EXTENSION].contract.field_names == contract.field_names


@pytest.mark.parametrize(
    ("config", "key"),
    [
        ({"SENDSTAT_EMPTY_INDEX_STATUS": 201}, "SENDSTAT_EMPTY_INDEX_STATUS"),
        ({"SENDSTAT_PHP_JSON_FLAGS": "JSON_PRETTY_PRINT"}, "SENDSTAT_PHP_JSON_FLAGS"),
        ({"SENDSTAT_SOURCE": object()}, "SENDSTAT_SOURCE"),
        ({"SENDSTAT_SOURCE": None, "SENDSTAT_SEED": "one"}, "SENDSTAT_SEED"),
        ({"SENDSTAT_CONTRACT": "openapi.yaml"}, "SENDSTAT_CONTRACT"),
        ({"SENDSTAT_CONTRACT": None, "SENDSTAT_CONTRACT_PATH": "/nonexistent/openapi.yaml"}, "SENDSTAT_CONTRACT_PATH"),
        ({"SENDSTAT_AUTH_KEYS": "secret"}, "SENDSTAT_AUTH_KEYS"),
        ({"SENDSTAT_AUTH_KEYS": ["ok", ""]}, "SENDSTAT_AUTH_KEYS"),
        ({"SENDSTAT_CORS_MAX_AGE": -1}, "SENDSTAT_CORS_MAX_AGE"),
        ({"SENDSTAT_SCENARIO": ""}, "SENDSTAT_SCENARIO"),
        ({"SENDSTAT_SCENARIO_DIRS": "scenarios"}, "SENDSTAT_SCENARIO_DIRS"),
        ({"SENDSTAT_SCENARIO_DIRS": ["/nonexistent"], "SENDSTAT_SCENARIO_LIBRARY": None}, "SENDSTAT_SCENARIO_DIRS"),
        ({"SENDSTAT_SCENARIO_LIBRARY": "scenarios"}, "SENDSTAT_SCENARIO_LIBRARY"),
        ({"SENDSTAT_STATE_DIR": "/nonexistent"}, "SENDSTAT_STATE_DIR"),
        ({"SENDSTAT_STATE": " "}, "SENDSTAT_STATE"),
        ({"SENDSTAT_STATE_POLL": 0}, "SENDSTAT_STATE_POLL"),
        ({"SENDSTAT_SESSION_TTL": 0}, "SENDSTAT_SESSION_TTL"),
        ({"SENDSTAT_CONTROL_TOKEN": " "}, "SENDSTAT_CONTROL_TOKEN"),
        ({"SENDSTAT_JOURNAL_LIMIT": 0}, "SENDSTAT_JOURNAL_LIMIT"),
        ({"SENDSTAT_MAX_HOLD_MS": -1}, "SENDSTAT_MAX_HOLD_MS"),
        ({"SENDSTAT_HOLD_SLOTS": 0}, "SENDSTAT_HOLD_SLOTS"),
        ({"SENDSTAT_RELOAD_INTERVAL": -1}, "SENDSTAT_RELOAD_INTERVAL"),
        ({"SENDSTAT_SLEEP": 5}, "SENDSTAT_SLEEP"),
    ],
)
def test_bad_config_is_a_config_error_naming_the_key(make_app: MakeApp, config: dict[str, Any], key: str) -> None:
    """A value the mock cannot serve raises ConfigError whose message names the key."""
    with pytest.raises(ConfigError, match=key):
        make_app(**config)


def test_an_unknown_start_scenario_lists_the_names(make_app: MakeApp, library: ScenarioLibrary) -> None:
    """SENDSTAT_SCENARIO naming no scenario raises UnknownScenario with a guess and every name."""
    with pytest.raises(
        UnknownScenario, match=r"no scenario named 'flakey' \(did you mean 'flaky'\?\); known: "
    ) as info:
        make_app(SENDSTAT_SCENARIO="flakey")
    assert all(name in str(info.value) for name in library.names())


def test_the_state_directory_is_shared_by_apps(make_app: MakeApp, tmp_path: Any) -> None:
    """Two apps on one SENDSTAT_STATE_DIR see each other's switch, as granian's workers do."""
    first, second = (make_app(SENDSTAT_SOURCE=None, SENDSTAT_STATE_DIR=str(tmp_path)) for _ in range(2))
    response = first.test_client().put("/__mock/scenario", json={"name": "empty"})
    assert response.status_code == 200
    assert second.test_client().get("/mailer/sendstatistics").status_code == 204


def _rules(app: Flask) -> set[str]:
    return {rule.rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")}


def test_every_documented_path_has_a_route_and_no_other(app: Flask, contract: Contract) -> None:
    """The API's routes are exactly the document's paths."""
    documented = {re.sub(r"\{(\w+)\}", r"<\1>", path) for path in contract.document["paths"]}
    assert _rules(app) == documented


def test_the_auxiliary_pages_stay_out_of_the_api_paths(app: Flask, contract: Contract) -> None:
    """/docs, /openapi.yaml, /health and the control API are served but are no path of the document."""
    others = {rule.rule for rule in app.url_map.iter_rules()} - _rules(app)
    assert {"/", "/docs", "/openapi.yaml", "/health", "/__mock/", "/__mock/openapi.yaml"} <= others
    assert not others & set(contract.document["paths"])


def test_an_operation_the_mock_cannot_answer_is_refused(make_app: MakeApp, contract: Contract) -> None:
    """A document with an operation the mock has no answer for is a ConfigError, not a silent gap."""
    document = copy.deepcopy(dict(contract.document))
    document["paths"]["/mailer/sends"] = {"get": {"operationId": "listSends", "responses": {}}}
    with pytest.raises(ConfigError, match="listSends"):
        make_app(SENDSTAT_CONTRACT=Contract(document))


def test_health_answers_ok(client: Any) -> None:
    """/health is a plain JSON liveness probe that names the shared state's backend."""
    response = client.get("/health")
    assert (response.status_code, response.json) == (
        200,
        {"status": "ok", "state": {"backend": "local", "connected": True}},
    )


def test_apps_on_one_redis_share_the_state_and_drop_kept_answers(make_app: MakeApp, redis_url: str) -> None:
    """Two apps on one Redis (two instances): a switch through one is served by the other's next request."""
    first, second = (make_app(SENDSTAT_SOURCE=None, SENDSTAT_STATE=redis_url) for _ in range(2))
    try:
        reader = second.test_client()
        assert [reader.get("/mailer/sendstatistics").status_code for _ in range(2)] == [200, 200]
        assert first.test_client().put("/__mock/scenario", json={"name": "empty"}).status_code == 200
        assert reader.get("/mailer/sendstatistics").status_code == 204
    finally:
        close_app(first)
        close_app(second)


def test_requests_on_redis_state_make_no_call_to_redis(
    make_app: MakeApp, redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cached and uncached API answers read the state the worker holds: the request thread never calls Redis."""
    app = make_app(SENDSTAT_SOURCE=None, SENDSTAT_STATE=redis_url, SENDSTAT_STATE_POLL=10.0)
    control = app.extensions[EXTENSION].control
    callers: list[str] = []
    run = control.store.link.run
    monkeypatch.setattr(
        control.store.link, "run", lambda call: callers.append(threading.current_thread().name) or run(call)
    )
    client = app.test_client()
    try:
        ids = [mailing["id"] for mailing in client.get("/mailer/sendstatistics").json["statistics"]][:7]
        statuses = {client.get(f"/mailer/sendstatistics/{ids[n % len(ids)]}").status_code for n in range(300)}
        assert statuses == {200}
        assert threading.current_thread().name not in callers
    finally:
        close_app(app)


def test_health_says_degraded_while_redis_is_gone(make_app: MakeApp, own_redis: RedisServer) -> None:
    """/health stays 200 (the API still answers) and says degraded, why, and since when; then ok again."""
    app = make_app(SENDSTAT_STATE=own_redis.url(), SENDSTAT_STATE_POLL=0.005)
    client = app.test_client()
    try:
        assert client.get("/health").json["status"] == "ok"
        own_redis.stop()
        deadline = time.monotonic() + 10
        while (answer := client.get("/health")).json["status"] == "ok":  # the watcher notices within a poll
            assert time.monotonic() < deadline
            time.sleep(0.005)
        assert answer.status_code == 200
        state = answer.json["state"]
        assert (state["backend"], state["url"], state["connected"]) == ("redis", own_redis.url(), False)
        assert "refused" in state["reason"].lower()
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", state["since"])
        own_redis.restart()
        while client.get("/health").json["status"] != "ok":
            assert time.monotonic() < deadline + 10
            time.sleep(0.005)
    finally:
        close_app(app)
