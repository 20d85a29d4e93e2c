"""Which scenario, session and clock answer a request, most specific first.

1. the request: the query's `__scenario`, else the `X-Mock-Scenario` header, else the `mock_scenario` cookie;
2. the request's session (`__session`, `X-Mock-Session` or the `mock_session` cookie), if it set a scenario;
3. the server's active scenario (set through the control API);
4. the start scenario (`sendstat mock --scenario`, else `default`).
The clock: the session's, else the server's, else the scenario's own. `Prefer: code=N` rides along.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from werkzeug.datastructures import Headers

from contract.php import Query
from mockserver.control.prefer import read_code
from mockserver.control.scene import Behaviour, Scene
from mockserver.errors import ControlError, ScenarioError
from mockserver.names import (
    CODE_PARAMETER,
    MOCK_PARAMETERS,
    SCENARIO_COOKIE,
    SCENARIO_HEADER,
    SCENARIO_PARAMETER,
    SESSION_COOKIE,
    SESSION_HEADER,
    SESSION_PARAMETER,
)
from mockserver.scenario.library import MAX_NAME_CHARS, NAME_RULE, is_scenario_name
from mockserver.state.records import SESSION_ID, Snapshot
from mockserver.text import quote

__all__ = [
    "READS",
    "Asked",
    "Selection",
    "read_request",
    "select",
]

# Every request header read_request reads: an answer depends on them (the fast path keys answers by them).
READS = (SCENARIO_HEADER, SESSION_HEADER, "Cookie", "Prefer")


@dataclass(frozen=True)
class Asked:
    """What a request asks of the mock: a scenario and a session (each with where it came from), a code."""

    query: Query
    scenario: tuple[str, str] | None = None
    session: tuple[str, str] | None = None
    code: int | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Selection:
    """The outcome: the scene to answer from, where its scenario and clock came from, the session, the code."""

    scene: Scene
    scenario_via: str
    clock_via: str
    session: str | None
    code: int | None
    query: Query
    warnings: tuple[str, ...]


def read_request(query: Query, headers: Headers | Mapping[str, str], cookies: Mapping[str, str]) -> Asked:
    """Read the mock's parameters, headers (READS) and cookies of a request; the query comes back without them."""
    warnings: list[str] = []
    scenario = _first(
        ("query", _last(query, SCENARIO_PARAMETER)),
        ("header", headers.get(SCENARIO_HEADER)),
        ("cookie", cookies.get(SCENARIO_COOKIE)),
    )
    session = _first(
        ("query", _last(query, SESSION_PARAMETER)),
        ("header", headers.get(SESSION_HEADER)),
        ("cookie", cookies.get(SESSION_COOKIE)),
    )
    if session is not None and not SESSION_ID.match(session[0]):
        warnings.append(f"session id {quote(session[0])} ({session[1]}) is not valid (letters, digits, . _ -); ignored")
        session = None
    # A server joins repeated Prefer headers into one comma-separated value (RFC 9110, 5.3), as read_code reads it.
    prefer = headers.get("Prefer")
    code, code_warnings = read_code([prefer] if prefer else [], _last(query, CODE_PARAMETER))
    rest = query.without(MOCK_PARAMETERS)
    return Asked(rest, scenario, session, code, (*warnings, *code_warnings))


def select(asked: Asked, state: Snapshot, resolve: Callable[[str], Behaviour], start: Behaviour) -> Selection:
    """Apply the precedence; an unknown scenario named by the request is a ControlError (400)."""
    warnings = list(asked.warnings)
    session_id = asked.session[0] if asked.session else None
    session = state.sessions.get(session_id) if session_id else None
    if session_id and session is None:
        warnings.append(
            f"session {quote(session_id)} does not exist (create it with PUT /__mock/sessions/{session_id}); "
            "its requests are journalled under it but see the server's scenario"
        )
    if asked.scenario is not None:
        name, via = asked.scenario
        _check_name(name, via)
        try:
            behaviour = resolve(name)
        except ScenarioError as error:
            raise ControlError(f"unknown scenario {quote(name)} ({via}): {error}", 400) from None
    elif session is not None and session.scenario is not None:
        behaviour, via = _resolved(resolve, session.scenario, start, warnings), "session"
    elif state.active is not None:
        behaviour, via = _resolved(resolve, state.active, start, warnings), "server"
    else:
        behaviour, via = start, "start"
    pin, clock_via = (session.clock, "session") if session is not None and session.clock is not None else (None, "")
    if pin is None and state.clock is not None:
        pin, clock_via = state.clock, "server"
    now = pin.now if pin is not None else behaviour.scenario.clock
    scene = behaviour.at(now)
    return Selection(scene, via, clock_via or "scenario", session_id, asked.code, asked.query, tuple(warnings))


def _check_name(name: str, via: str) -> None:
    """Refuse a request's scenario that is no name, saying why but nothing of the files or folders.

    Any API client may send one: a path would let it probe the machine's files and learn the scenario
    folders. Files are chosen through the guarded control API (PUT /__mock/scenario), or named at start.
    """
    if is_scenario_name(name):
        return
    if len(name) > MAX_NAME_CHARS:
        raise ControlError(f"scenario name ({via}) of {len(name):,} characters: too long; a name is {NAME_RULE}", 400)
    raise ControlError(
        f"scenario {quote(name)} ({via}) is not a scenario name ({NAME_RULE}); a request names a scenario, "
        "never a file: choose a file with PUT /__mock/scenario",
        400,
    )


def _resolved(resolve: Callable[[str], Behaviour], name: str, start: Behaviour, warnings: list[str]) -> Behaviour:
    """Resolve a stored name; one that no longer loads falls back to the start scenario, with a warning."""
    try:
        return resolve(name)
    except ScenarioError as error:
        warnings.append(f"scenario {quote(name)} cannot be served ({error}); serving {quote(start.name)}")
        return start


def _first(*candidates: tuple[str, str | None]) -> tuple[str, str] | None:
    """Return the first (value, via) whose value is not blank."""
    for via, value in candidates:
        if value is not None and value.strip():
            return value.strip(), via
    return None


def _last(query: Query, name: str) -> str | None:
    """Return $_GET[name] as text (the last value PHP keeps); an array (`name[]=`) names nothing."""
    value = query.value(name)
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else None
