"""Control routes of scenarios: overview, list, detail, the active scenario, reload and reset."""

from __future__ import annotations

import pytest

from mockserver.scenario.library import LoadContext, ScenarioLibrary
from tests.conftest import MakeApp
from tests.mockserver.conftest import INDEX, ControlClient, ControlDocument, WriteScenario

SHIPPED = ("default", "empty", "single", "large", "all-error-codes", "php-empty-maps", "flaky", "slow", "auth-required")


def test_the_overview_shows_the_start_state(mock: ControlClient) -> None:
    """GET /__mock/ names the start and active scenario, the scenario's clock, and no sessions."""
    body = mock.get("/__mock/").json
    assert body is not None
    assert body["start"] == "default"
    assert (body["active"]["name"], body["active"]["via"]) == ("default", "start")
    assert body["clock"] == {"now": 1733356800, "iso": "2024-12-05T00:00:00Z", "via": "scenario", "scenario": "default"}
    assert (body["sessions"], body["journal"]) == (0, 0)
    assert set(SHIPPED) <= set(body["scenarios"])


def test_the_bare_prefix_answers_the_overview_as_json(mock: ControlClient) -> None:
    """GET /__mock (no slash) answers the overview's JSON, not an HTML redirect."""
    response = mock.get("/__mock")
    assert (response.status_code, response.content_type) == (200, "application/json")
    assert response.json == mock.get("/__mock/").json


def test_the_list_names_every_scenario_with_its_description(mock: ControlClient) -> None:
    """GET /__mock/scenarios lists name, description and file of each shipped scenario, and no errors."""
    body = mock.get("/__mock/scenarios").json
    assert body is not None
    listed = {entry["name"]: entry for entry in body["scenarios"]}
    assert set(SHIPPED) <= set(listed)
    assert listed["flaky"]["path"].endswith("scenarios/flaky.yaml")
    assert "flaky" in listed["flaky"]["description"]
    assert (body["start"], body["active"], body["errors"]) == ("default", "default", [])


def test_a_scenario_is_described_in_detail(mock: ControlClient) -> None:
    """GET /__mock/scenarios/flaky shows its faults, forced ids and account size."""
    body = mock.get("/__mock/scenarios/flaky").json
    assert body is not None
    assert body["forced"]["7"] == {"status": 500, "fault": True}
    assert {fault["kind"] for fault in body["faults"]["view"]} == {
        "500",
        "503",
        "timeout",
        "drop",
        "truncate",
        "malformed",
    }
    assert (body["mailings"], body["empty_index_status"], body["auth_keys"]) == (20, 204, [])


@pytest.mark.parametrize("name", ["flakey", "nope", "missing.yaml"])
def test_an_unknown_scenario_is_404_with_the_names(mock: ControlClient, name: str) -> None:
    """Describing or activating an unknown scenario answers 404 with every known name."""
    for response in (mock.get(f"/__mock/scenarios/{name}"), mock.put("/__mock/scenario", json={"name": name})):
        assert response.status_code == 404
        assert response.json is not None
        assert set(SHIPPED) <= set(response.json["known"])


@pytest.mark.parametrize(
    ("name", "status"),
    [("..", 400), ("../pyproject.toml", 400), ("/etc/passwd", 400), ("/etc/x.yaml", 404), ("../../x.yaml", 400)],
)
def test_paths_outside_the_scenario_directories_are_refused(mock: ControlClient, name: str, status: int) -> None:
    """A path with .., of another type, or outside the directories never reads a file: 400 or 404."""
    response = mock.put("/__mock/scenario", json={"name": name})
    assert response.status_code == status
    assert mock.get("/__mock/scenario").json == {**mock.get("/__mock/scenario").json, "name": "default"}


@pytest.mark.parametrize("name", ["a" * 300, "a" * 300 + ".yaml", "x/" + "b" * 300 + ".yaml"])
def test_an_over_long_name_is_a_400(mock: ControlClient, name: str) -> None:
    """A name or path with a part longer than a file system allows is a 400 saying why, never a 500."""
    for response in (mock.put("/__mock/scenario", json={"name": name}), mock.get(f"/__mock/scenarios/{name[-300:]}")):
        assert response.status_code in (400, 404)
        assert response.json is not None
        assert len(response.json["message"]) < 400


def test_a_path_inside_a_scenario_directory_is_accepted(mock: ControlClient) -> None:
    """A scenario may be named by its file, relative to a scenario directory."""
    response = mock.put("/__mock/scenario", json={"name": "single.yaml"})
    assert response.status_code == 200
    assert response.json is not None
    assert (response.json["name"], response.json["via"]) == ("single", "server")


def test_setting_the_active_scenario_changes_every_answer(mock: ControlClient) -> None:
    """PUT /__mock/scenario switches the API at once; DELETE goes back to the start scenario."""
    assert mock.get(INDEX).status_code == 200
    assert mock.put("/__mock/scenario", json={"name": "empty"}).status_code == 200
    response = mock.get(INDEX)
    assert (response.status_code, response.headers["X-Mock-Scenario"]) == (204, "empty")
    body = mock.delete("/__mock/scenario").json
    assert body is not None
    assert (body["name"], body["via"]) == ("default", "start")
    assert mock.get(INDEX).status_code == 200


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({"data": "{", "content_type": "application/json"}, 400),
        ({"data": "[]", "content_type": "application/json"}, 400),
        ({"json": {}}, 400),
        ({"json": {"name": 5}}, 400),
        ({"json": {"name": "empty", "extra": 1}}, 400),
        ({"data": "name=empty", "content_type": "application/x-www-form-urlencoded"}, 415),
        ({"data": '{"name": "empty"}', "content_type": "text/plain"}, 415),
        ({"data": "x" * 70_000, "content_type": "application/json"}, 413),
    ],
)
def test_bad_control_bodies_are_clear_4xx(mock: ControlClient, kwargs: dict[str, object], status: int) -> None:
    """Bad JSON, wrong types, unknown fields and non-JSON bodies are 4xx with a message, never a 500."""
    response = mock.put("/__mock/scenario", **kwargs)
    assert response.status_code == status
    assert response.json is not None
    assert response.json["message"]


def test_every_operation_with_a_body_documents_the_body_errors(control_document: ControlDocument) -> None:
    """Each control operation that reads a body documents 400, 413 and 415."""
    for item in control_document.document["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict) and "requestBody" in operation:
                assert {"400", "413", "415"} <= set(operation["responses"]), operation["operationId"]


def test_reload_reports_a_bad_file_and_keeps_the_good_version(
    make_app: MakeApp, control_document: ControlDocument, write_scenario: WriteScenario, load_context: LoadContext
) -> None:
    """POST /__mock/reload lists a broken file's error; the scenario keeps serving its last good version."""
    path = write_scenario("mine", mailings={"generate": {"count": 2}})
    library = ScenarioLibrary([path.parent], load_context)
    app = make_app(SENDSTAT_SOURCE=None, SENDSTAT_SCENARIO_LIBRARY=library, SENDSTAT_SCENARIO="mine")
    mock = ControlClient(app.test_client(), control_document)
    path.write_text("name: mine\ndescription: broken\nmailings: {generate: {count: -1}}\n")
    body = mock.post("/__mock/reload").json
    assert body is not None
    assert [error["path"] for error in body["errors"]] == [str(path.resolve())]
    assert body["errors"][0]["line"] == 3
    assert len(mock.get(INDEX).json["statistics"]) == 2  # type: ignore[index]
    assert mock.get("/__mock/scenarios").json["errors"]  # type: ignore[index]


def test_hot_reload_of_a_huge_integer_keeps_serving_and_picks_up_new_files(
    make_app: MakeApp, control_document: ControlDocument, write_scenario: WriteScenario, load_context: LoadContext
) -> None:
    """A 4,301-digit number makes its file broken, not the server: others load, a new file is seen, stale is said."""
    path = write_scenario("mine", mailings={"generate": {"count": 2}})
    library = ScenarioLibrary([path.parent], load_context)
    app = make_app(SENDSTAT_SOURCE=None, SENDSTAT_SCENARIO_LIBRARY=library, SENDSTAT_SCENARIO="mine")
    mock = ControlClient(app.test_client(), control_document)
    path.write_text(f"name: mine\ndescription: broken\nseed: {'9' * 4301}\n")
    write_scenario("newer", mailings={"generate": {"count": 3}})
    reloaded = mock.post("/__mock/reload")
    assert reloaded.status_code == 200
    assert reloaded.json is not None
    assert "newer" in reloaded.json["scenarios"]
    (error,) = reloaded.json["errors"]
    assert (error["line"], error["field"]) == (3, "seed")
    assert "4,300 digits" in error["message"]
    listing = mock.get("/__mock/scenarios").json
    assert listing is not None
    assert [e["field"] for e in listing["errors"]] == ["seed"]
    assert {"mine", "newer"} <= {entry["name"] for entry in listing["scenarios"]}
    assert len(mock.get(INDEX).json["statistics"]) == 2  # type: ignore[index]
    assert len(mock.get(INDEX, headers={"X-Mock-Scenario": "newer"}).json["statistics"]) == 3  # type: ignore[index]
    active = mock.get("/__mock/scenario").json
    assert active is not None
    assert active["stale"]["field"] == "seed"
    assert active["stale"]["path"] == str(path.resolve())
    path.write_text("name: mine\ndescription: fixed\nmailings: {generate: {count: 1}}\n")
    mock.post("/__mock/reload")
    assert "stale" not in mock.get("/__mock/scenario").json  # type: ignore[operator]


def test_the_request_that_triggers_hot_reload_of_a_broken_file_is_answered(
    make_app: MakeApp, control_document: ControlDocument, write_scenario: WriteScenario, load_context: LoadContext
) -> None:
    """With hot reload polling at every request, a file turned huge-integer never makes a request answer 500."""
    path = write_scenario("mine", mailings={"generate": {"count": 2}})
    library = ScenarioLibrary([path.parent], load_context)
    app = make_app(
        SENDSTAT_SOURCE=None, SENDSTAT_SCENARIO_LIBRARY=library, SENDSTAT_SCENARIO="mine", SENDSTAT_RELOAD_INTERVAL=0
    )
    mock = ControlClient(app.test_client(), control_document)
    path.write_text(f"name: mine\ndescription: broken\nmailings: {{generate: {{count: {'1' * 4301}}}}}\n")
    write_scenario("newer", mailings={"generate": {"count": 3}})
    first = mock.get(INDEX)
    assert (first.status_code, len(first.json["statistics"])) == (200, 2)  # type: ignore[index]
    assert mock.get(INDEX, headers={"X-Mock-Scenario": "newer"}).status_code == 200
    for path_ in ("/__mock/scenarios", "/__mock/scenario", "/__mock/"):
        assert mock.get(path_).status_code == 200
    assert mock.post("/__mock/reload").status_code == 200


def test_reset_goes_back_to_the_start(mock: ControlClient) -> None:
    """POST /__mock/reset: the start scenario, its clock, no sessions, an empty journal."""
    mock.put("/__mock/scenario", json={"name": "single"})
    mock.put("/__mock/clock", json={"now": "2020-01-01T00:00:00Z"})
    mock.put("/__mock/sessions/qa", json={"scenario": "empty"})
    mock.get(INDEX)
    body = mock.post("/__mock/reset").json
    assert body is not None
    assert (body["active"]["name"], body["clock"]["via"], body["sessions"], body["journal"]) == (
        "default",
        "scenario",
        0,
        0,
    )
