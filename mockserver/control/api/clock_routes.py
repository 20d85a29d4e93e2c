"""Control routes of the clock: the server's, and each session's (which wins over the server's)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response

from mockserver.control.api.common import json_body, reply, runtime
from mockserver.control.api.shown import require_session, server_clock, session_clock
from mockserver.control.runtime import Runtime
from mockserver.errors import ControlError
from mockserver.state.clock import Pin, advance, parse_seconds, parse_time
from mockserver.state.records import Session

__all__ = ["register"]


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


def _time_of(body: dict[str, Any]) -> int | None:
    if "now" not in body:
        raise ControlError('send {"now": <unix seconds, ISO 8601 text, or null>}')
    return parse_time(body["now"])


def _seconds_of(body: dict[str, Any]) -> int:
    if "seconds" not in body:
        raise ControlError('send {"seconds": <how many seconds to move the clock, may be negative>}')
    return parse_seconds(body["seconds"])
