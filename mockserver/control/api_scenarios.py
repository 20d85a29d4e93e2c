"""Control routes of scenarios: the overview, the list, one scenario, the active one, reload and reset."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import Blueprint, Response

from mockserver.control.api import json_body, reply, runtime
from mockserver.control.api_clock import server_clock
from mockserver.control.behaviour import Behaviour
from mockserver.control.clock import iso
from mockserver.control.errors import ControlError
from mockserver.control.journal import JournalFilter
from mockserver.control.runtime import Runtime
from mockserver.errors import ScenarioError, UnknownScenario

__all__ = ["describe", "problem", "register", "resolve", "summary"]


def register(bp: Blueprint) -> None:
    """Add the scenario routes to the control blueprint."""
    bp.add_url_rule("/", "overview", overview)
    bp.add_url_rule("/scenarios", "scenarios", scenarios)
    bp.add_url_rule("/scenarios/<name>", "scenario_detail", scenario_detail)
    bp.add_url_rule("/scenario", "active", active)
    bp.add_url_rule("/scenario", "set_active", set_active, methods=["PUT"])
    bp.add_url_rule("/scenario", "unset_active", unset_active, methods=["DELETE"])
    bp.add_url_rule("/reload", "reload", reload, methods=["POST"])
    bp.add_url_rule("/reset", "reset", reset, methods=["POST"])


def overview() -> Response:
    """Show the start and active scenarios, the clock, and how many sessions and journal entries there are."""
    control = runtime()
    snapshot = control.refresh()
    return reply(
        {
            "start": control.start.name,
            "active": _active(control),
            "clock": server_clock(control),
            "sessions": len(snapshot.sessions),
            "journal": control.journal.count(JournalFilter()),
            "scenarios": control.names(),
            "version": snapshot.version,
        }
    )


def scenarios() -> Response:
    """List the scenarios (name, description, path) and the files that failed to load."""
    control = runtime()
    control.refresh()
    listed = []
    for name in control.names():
        try:
            listed.append(summary(control.behaviour(name)))
        except ScenarioError:
            continue  # a file that never loaded: reported under errors
    errors = [problem(error) for error in control.errors()]
    active_name = _active(control)["name"]
    return reply({"start": control.start.name, "active": active_name, "scenarios": listed, "errors": errors})


def scenario_detail(name: str) -> Response:
    """Describe one scenario: its clock, account size, auth, latency, faults and forced answers."""
    return reply(describe(resolve(runtime(), name)))


def active() -> Response:
    """Show the server's active scenario and where it comes from (set, or the start one)."""
    control = runtime()
    control.refresh()
    return reply(_active(control))


def set_active() -> Response:
    """Make a scenario (by name, or by a path inside the scenario directories) the server's active one."""
    body = json_body("name")
    name = body.get("name")
    if not isinstance(name, str) or not name:
        raise ControlError('send {"name": "<scenario name or path>"}')
    control = runtime()
    resolve(control, name)
    control.store.set_active(name)
    control.refresh()
    return reply(_active(control))


def unset_active() -> Response:
    """Make the start scenario the active one again."""
    control = runtime()
    control.store.set_active(None)
    control.refresh()
    return reply(_active(control))


def reload() -> Response:
    """Re-read the scenario files in every worker; a bad file keeps its last good version."""
    control = runtime()
    errors = control.reload_everywhere()
    return reply({"scenarios": control.names(), "errors": [problem(error) for error in errors]})


def reset() -> Response:
    """Back to the start: the start scenario and its clock, no sessions, an empty journal."""
    control = runtime()
    control.journal.sync()  # every worker's buffered entries go too, not only those written so far
    control.store.reset()
    return overview()


def resolve(control: Runtime, name: str) -> Behaviour:
    """Return a scenario's behaviour, or a ControlError: 404 unknown (with the names), 422 a broken file."""
    try:
        return control.behaviour(name)
    except UnknownScenario as error:
        raise ControlError(error.message, 404, known=control.names()) from None
    except ScenarioError as error:
        status = 422 if error.path is not None else 400
        raise ControlError(str(error), status, known=control.names()) from None


def summary(behaviour: Behaviour) -> dict[str, Any]:
    """Return a scenario's name, description and file."""
    scenario = behaviour.scenario
    return {
        "name": scenario.name,
        "description": scenario.description,
        "path": None if scenario.path is None else str(scenario.path),
    }


def describe(behaviour: Behaviour) -> dict[str, Any]:
    """Return everything the control API shows of a scenario."""
    scenario = behaviour.scenario
    return {
        **summary(behaviour),
        "seed": scenario.seed,
        "clock": {"now": scenario.clock, "iso": iso(scenario.clock)},
        "mailings": len(behaviour.at(scenario.clock).source.ids()),
        "empty_index_status": behaviour.empty_index_status,
        "auth_keys": sorted(key.decode() for key in behaviour.auth_keys),
        "json_flags": [flag.name for flag in type(behaviour.json_flags) if flag & behaviour.json_flags],
        "latency": {name: asdict(latency) for name, latency in scenario.latency.items()},
        "faults": {name: [asdict(fault) for fault in faults] for name, faults in scenario.faults.items()},
        "forced": {str(i): {"status": f.status, "fault": f.fault} for i, f in sorted(scenario.forced.items())},
        "warnings": list(scenario.warnings),
    }


def problem(error: ScenarioError) -> dict[str, Any]:
    """Return a load error as JSON: the file, the line, the field, the message."""
    return {
        "path": None if error.path is None else str(error.path),
        "line": error.line,
        "field": error.field,
        "message": error.message,
        "text": str(error),
    }


def _active(control: Runtime) -> dict[str, Any]:
    """Return the server's active scenario: its summary, how it was chosen, and a problem if it fell back."""
    stored = control.refresh().active
    if stored is None:
        return {**summary(control.start), "via": "start"}
    try:
        return {**summary(control.behaviour(stored)), "via": "server"}
    except ScenarioError as error:
        return {**summary(control.start), "via": "start", "problem": f"{stored!r} cannot be served: {error}"}
