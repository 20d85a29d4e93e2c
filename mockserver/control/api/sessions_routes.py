"""Control routes of client sessions: a QA run's own scenario and clock, seen only by its requests."""

from __future__ import annotations

import secrets
from typing import Any

from flask import Blueprint, Response

from mockserver.control.api.common import json_body, reply, runtime
from mockserver.control.api.shown import require_session, resolve, shown_session
from mockserver.control.runtime import Runtime
from mockserver.errors import ControlError
from mockserver.state.clock import Pin, parse_time
from mockserver.state.records import SESSION_ID

__all__ = ["register"]


def register(bp: Blueprint) -> None:
    """Add the session routes to the control blueprint."""
    bp.add_url_rule("/sessions", "sessions", list_sessions)
    bp.add_url_rule("/sessions", "create_session", create_session, methods=["POST"])
    bp.add_url_rule("/sessions/<session_id>", "session", get_session)
    bp.add_url_rule("/sessions/<session_id>", "put_session", put_session, methods=["PUT"])
    bp.add_url_rule("/sessions/<session_id>", "delete_session", delete_session, methods=["DELETE"])


def list_sessions() -> Response:
    """List the sessions, oldest first."""
    control = runtime()
    sessions = sorted(control.refresh().sessions.values(), key=lambda s: (s.created, s.id))
    return reply({"sessions": [shown_session(control, session) for session in sessions]})


def create_session() -> Response:
    """Create a session (id chosen by the client or generated) with an optional scenario and clock."""
    body = json_body("id", "scenario", "now")
    session_id = body.get("id") or secrets.token_hex(8)
    control = runtime()
    if session_id in control.refresh().sessions:
        raise ControlError(f"session {session_id!r} exists: PUT /__mock/sessions/{session_id} replaces it", 409)
    return reply(_put(control, session_id, body), 201)


def get_session(session_id: str) -> Response:
    """Show one session."""
    control = runtime()
    return reply(shown_session(control, require_session(control, session_id)))


def put_session(session_id: str) -> Response:
    """Create or replace a session: its scenario and clock (absent: the server's); its fault sequence restarts."""
    control = runtime()
    existed = session_id in control.refresh().sessions
    return reply(_put(control, session_id, json_body("scenario", "now")), 200 if existed else 201)


def delete_session(session_id: str) -> Response:
    """Delete a session; its requests then see the server's scenario."""
    control = runtime()
    if not control.store.delete_session(session_id):
        require_session(control, session_id)
    response = Response(status=204)
    response.headers.remove("Content-Type")
    return response


def _put(control: Runtime, session_id: Any, body: dict[str, Any]) -> dict[str, Any]:
    """Check and store a session from a request body."""
    if not isinstance(session_id, str) or not SESSION_ID.match(session_id):
        rule = "1 to 64 letters, digits, '.', '_', '-' (a letter or digit first)"
        raise ControlError(f"a session id is {rule}: {session_id!r}")
    scenario = body.get("scenario")
    if scenario is not None:
        if not isinstance(scenario, str) or not scenario:
            raise ControlError("scenario must be a scenario name or path")
        resolve(control, scenario)
    pin = Pin(parse_time(body["now"])) if "now" in body else None
    return shown_session(control, control.store.put_session(session_id, scenario, pin))
