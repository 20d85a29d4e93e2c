"""Control routes of the clock: the server's, and each session's (which wins over the server's)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response

from mockserver.control.api import json_body, reply, runtime
from mockserver.control.clock import Pin, advance, iso, parse_seconds, parse_time
from mockserver.control.errors import ControlError
from mockserver.control.runtime import Runtime
from mockserver.control.store import Session
from mockserver.errors import ScenarioError

__all__ = ["register", "require_session", "server_clock", "session_clock"]


def register(bp: Blueprint) -> None:
    """Add the clock routes to the control blueprint."""
    bp.add_url_rule("/clock", "clock", get_clock)
    bp.add_url_rule("/clock", "set_clock", set_clock, methods=["PUT"])
    bp.add_url_rule("/clock/advance", "advance_clock", advance_clock, methods=["POST"])
    bp.add_url_rule("/clock", "unset_clock", unset_clock, methods=["DELETE"])
    bp.add_url_rule("/sessions/<session_id>/clock", "session_clock", get_session_clock)
    bp.add_url_rule("/sessions/<session_id>/clock", "set_session_clock", set_session_clock, methods=["PUT"])
    bp.add_url_rule(
        "/sessions/<session_id>/clock/advance", "advance_session_clock", advance_session_clock, methods=["POST"]
    )
    bp.add_url_rule("/sessions/<session_id>/clock", "unset_session_clock", unset_session_clock, methods=["DELETE"])


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


def get_clock() -> Response:
    """Show the server's clock."""
    return reply(server_clock(runtime()))


def set_clock() -> Response:
    """Pin the server's clock: unix seconds, ISO 8601, or null ("every mailing finished")."""
    control = runtime()
    control.store.set_clock(Pin(_time_of(json_body("now"))))
    return reply(server_clock(control))


def advance_clock() -> Response:
    """Move the server's clock by seconds (it is pinned from then on)."""
    control = runtime()
    now = server_clock(control)["now"]
    control.store.set_clock(Pin(advance(now, _seconds_of(json_body("seconds")))))
    return reply(server_clock(control))


def unset_clock() -> Response:
    """Unpin the server's clock: each scenario shows its own again."""
    control = runtime()
    control.store.set_clock(None)
    return reply(server_clock(control))


def get_session_clock(session_id: str) -> Response:
    """Show a session's clock."""
    control = runtime()
    return reply(session_clock(control, require_session(control, session_id)))


def set_session_clock(session_id: str) -> Response:
    """Pin a session's clock."""
    control = runtime()
    session = require_session(control, session_id)
    return reply(session_clock(control, _pinned(control, session, _time_of(json_body("now")))))


def advance_session_clock(session_id: str) -> Response:
    """Move a session's clock by seconds (it is pinned from then on)."""
    control = runtime()
    session = require_session(control, session_id)
    now = advance(session_clock(control, session)["now"], _seconds_of(json_body("seconds")))
    return reply(session_clock(control, _pinned(control, session, now)))


def unset_session_clock(session_id: str) -> Response:
    """Unpin a session's clock: it follows the server's again."""
    control = runtime()
    session = require_session(control, session_id)
    unpinned = control.store.put_session(session.id, session.scenario, None, restart=False)
    return reply(session_clock(control, unpinned))


def _pinned(control: Runtime, session: Session, now: int | None) -> Session:
    """Pin a session's clock, keeping its scenario and fault sequence."""
    return control.store.put_session(session.id, session.scenario, Pin(now), restart=False)


def _shown(now: int | None, via: str, scenario: str) -> dict[str, Any]:
    return {"now": now, "iso": iso(now), "via": via, "scenario": scenario}


def _time_of(body: dict[str, Any]) -> int | None:
    if "now" not in body:
        raise ControlError('send {"now": <unix seconds, ISO 8601 text, or null>}')
    return parse_time(body["now"])


def _seconds_of(body: dict[str, Any]) -> int:
    if "seconds" not in body:
        raise ControlError('send {"seconds": <how many seconds to move the clock, may be negative>}')
    return parse_seconds(body["seconds"])
