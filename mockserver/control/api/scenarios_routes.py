"""Control routes of scenarios: the overview, the list, one scenario, the active one, reload and reset."""

from __future__ import annotations

from flask import Blueprint, Response

from mockserver.control.api.common import json_body, reply, runtime
from mockserver.control.api.shown import active_of, describe, problem, resolve, server_clock, summary
from mockserver.errors import ControlError, ScenarioError
from mockserver.state.journal import JournalFilter

__all__ = ["register"]


def register(bp: Blueprint) -> None:
    """Add the scenario routes to the control blueprint."""
    bp.add_url_rule("/", "overview", overview, strict_slashes=False)  # /__mock too, with no redirect
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
            "active": active_of(control),
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
    active_name = active_of(control)["name"]
    return reply({"start": control.start.name, "active": active_name, "scenarios": listed, "errors": errors})


def scenario_detail(name: str) -> Response:
    """Describe one scenario: its clock, account size, auth, latency, faults and forced answers."""
    return reply(describe(resolve(runtime(), name)))


def active() -> Response:
    """Show the server's active scenario and where it comes from (set, or the start one)."""
    control = runtime()
    control.refresh()
    return reply(active_of(control))


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
    return reply(active_of(control))


def unset_active() -> Response:
    """Make the start scenario the active one again."""
    control = runtime()
    control.store.set_active(None)
    control.refresh()
    return reply(active_of(control))


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
