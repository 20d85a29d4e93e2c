"""How the control API shows things: clocks, scenarios, sessions and load errors, as JSON-ready dicts."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from mockserver.control.runtime import Runtime
from mockserver.control.scene import Behaviour
from mockserver.errors import ControlError, ScenarioError, UnknownScenario
from mockserver.state.clock import iso
from mockserver.state.records import Session

__all__ = [
    "active_of",
    "describe",
    "problem",
    "require_session",
    "resolve",
    "server_clock",
    "session_clock",
    "shown_session",
    "summary",
]


def server_clock(control: Runtime) -> dict[str, Any]:
    """Return the server's clock: pinned through the control API, else the active scenario's own."""
    snapshot, behaviour = control.refresh(), control.active()
    if snapshot.clock is not None:
        return _shown(snapshot.clock.now, "server", behaviour.name)
    return _shown(behaviour.scenario.clock, "scenario", behaviour.name)


def session_clock(control: Runtime, session: Session) -> dict[str, Any]:
    """Return a session's clock: its own pin, else the server's clock (of the session's scenario)."""
    snapshot = control.refresh()
    try:
        behaviour = control.behaviour(session.scenario) if session.scenario else control.active()
    except ScenarioError:  # no longer loads: selection serves the start scenario
        behaviour = control.start
    if session.clock is not None:
        return _shown(session.clock.now, "session", behaviour.name)
    if snapshot.clock is not None:
        return _shown(snapshot.clock.now, "server", behaviour.name)
    return _shown(behaviour.scenario.clock, "scenario", behaviour.name)


def require_session(control: Runtime, session_id: str) -> Session:
    """Return a session, or a 404 naming the existing ones."""
    session = control.refresh().sessions.get(session_id)
    if session is None:
        raise ControlError(f"no session {session_id!r}", 404, known=sorted(control.refresh().sessions)[:100])
    return session


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


def shown_session(control: Runtime, session: Session) -> dict[str, Any]:
    """Return a session as the control API shows it: its scenario (null: the server's), clock, creation."""
    clock = session_clock(control, session)
    return {
        "id": session.id,
        "scenario": session.scenario,
        "serving": clock["scenario"],
        "clock": clock,
        "created": iso(int(session.created)),
        "expires": None if session.expires is None else iso(int(session.expires)),
    }


def active_of(control: Runtime) -> dict[str, Any]:
    """Return the server's active scenario: its summary, how it was chosen, and a problem if it fell back."""
    stored = control.refresh().active
    if stored is None:
        return _with_stale(control, control.start, {"via": "start"})
    try:
        return _with_stale(control, control.behaviour(stored), {"via": "server"})
    except ScenarioError as error:
        return _with_stale(control, control.start, {"via": "start", "problem": f"{stored!r} cannot be served: {error}"})


def _with_stale(control: Runtime, behaviour: Behaviour, shown: dict[str, Any]) -> dict[str, Any]:
    """Return a served scenario's summary, with the problem of its file when the version served is older."""
    stale = control.library.stale(behaviour.scenario.path)
    return {**summary(behaviour), **shown, **({"stale": problem(stale)} if stale is not None else {})}


def _shown(now: int | None, via: str, scenario: str) -> dict[str, Any]:
    return {"now": now, "iso": iso(now), "via": via, "scenario": scenario}
