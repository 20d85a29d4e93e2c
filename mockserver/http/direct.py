"""A miss answered without Flask: a plain GET of the API, with the same selection, answer, headers and journal entry.

Flask's dispatch (a request context, routing, five hooks, a Response) costs more than building most answers.
A request whose answer needs none of it (a GET of a documented path, the scenario selected, no preferred
code, no latency, fault or forced answer, the API key accepted or not needed, a body that is not streamed)
is answered here from the same parts the Flask path calls: selection.read_request and Runtime.select,
auth.refusal, the answer functions, render.head, Cors.answer_headers, hooks.journal_entry. Anything else
returns None and goes through Flask. A test sends every kind of request of every scenario both ways and
compares the bytes, headers and journal entries.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from werkzeug.datastructures import EnvironHeaders
from werkzeug.http import HTTP_STATUS_CODES, parse_cookie

from contract.php import encode, parse_query
from mockserver.control.selection import Selection, read_request
from mockserver.errors import ControlError
from mockserver.http import auth
from mockserver.http.answers import ANSWERS, ENDPOINTS, Answer, Listing
from mockserver.http.context import MockState
from mockserver.http.cors import Cors
from mockserver.http.hooks import journal_entry
from mockserver.http.problems import ApiProblem
from mockserver.http.render import head
from mockserver.names import SCENARIO_RESPONSE_HEADER, SESSION_HEADER
from mockserver.state.exchange import Answer as StoredAnswer
from mockserver.state.exchange import Exchange, answer_of, raw_request_headers
from mockserver.state.journal import Entry

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

__all__ = ["Direct", "DirectAnswers", "Routes"]


@dataclass(frozen=True)
class Routes:
    """The API's GET operations by path: literal paths, and templates whose one parameter is the last segment."""

    literal: Mapping[str, str]
    tails: Mapping[str, str]

    @classmethod
    def of(cls, paths: Mapping[str, Any]) -> Routes:
        """Read the document's paths and their GET operations' ids (other templates are left to Flask)."""
        literal: dict[str, str] = {}
        tails: dict[str, str] = {}
        for path, item in paths.items():
            operation = item.get("get")
            if operation is None:
                continue
            head_part, _, last = path.rpartition("/")
            if "{" not in path:
                literal[path] = operation["operationId"]
            elif "{" not in head_part and last.startswith("{") and last.endswith("}") and last.count("{") == 1:
                tails[head_part + "/"] = operation["operationId"]
        return cls(literal, tails)

    def find(self, path: str) -> tuple[str, tuple[str, ...]] | None:
        """Return the operation id of a path and its segments (the parameter's value), or None."""
        found = self.literal.get(path)
        if found is not None:
            return found, ()
        prefix, _, segment = path.rpartition("/")
        found = self.tails.get(prefix + "/")
        if found is None or not segment:
            return None
        return found, (segment,)


@dataclass(frozen=True)
class Direct:
    """A finished answer: status line, headers and body as start_response and the server take them, its entry."""

    status: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    entry: Entry
    answer: StoredAnswer


class DirectAnswers:
    """Answers a plain GET of the API without Flask, or says (None) that Flask must answer it."""

    def __init__(self, state: MockState, routes: Routes, cors: Cors | None, api_key_header: str) -> None:
        self.state = state
        self.routes = routes
        self.cors = cors
        self.api_key_header = api_key_header

    def __call__(self, environ: WSGIEnvironment, started: float) -> Direct | None:
        """Answer the request as the Flask path would, or return None; started: time.perf_counter() at arrival."""
        path = environ.get("PATH_INFO", "")
        if environ.get("REQUEST_METHOD") != "GET" or not path.isascii():
            return None
        route = self.routes.find(path)
        if route is None:
            return None
        headers = EnvironHeaders(environ)
        try:
            answered = self._answer(environ, headers, *route)
        except Exception:  # noqa: BLE001 - a bug, or a body PHP cannot print: Flask asks again, logs it, answers 500
            return None
        if answered is None:
            return None
        chosen, result, body = answered
        behaviour = chosen.scene.behaviour
        warnings = (*chosen.warnings, *result.warnings)
        answer_headers = head(len(body), True, warnings if self.state.warnings else ())
        if self.cors is not None:
            answer_headers += self.cors.answer_headers(headers.get("Origin"))
        answer_headers.append((SCENARIO_RESPONSE_HEADER, behaviour.name))
        if chosen.session is not None:  # as the journal hook does: the session it was counted under
            answer_headers.append((SESSION_HEADER, chosen.session))
        stored = answer_of(answer_headers, body, len(body))
        exchange = Exchange(raw_request_headers(environ), stored)
        query = environ.get("QUERY_STRING", "")
        entry = journal_entry(started, "GET", path, query, chosen, result.status, None, warnings, exchange)
        self.state.control.journal.record(entry)
        return Direct(_status_line(result.status), tuple(answer_headers), body, entry, stored)

    def _answer(
        self, environ: WSGIEnvironment, headers: EnvironHeaders, operation_id: str, segments: tuple[str, ...]
    ) -> tuple[Selection, Answer, bytes] | None:
        """Select the scene, authenticate, answer and print; None where the Flask path must answer instead."""
        # Parsed from the one Cookie value, as the selection hook does (see selection.READS).
        raw_cookies = headers.get("Cookie")
        cookies = parse_cookie(raw_cookies) if raw_cookies else {}
        query = parse_query(environ.get("QUERY_STRING", "").encode("latin-1"))
        try:
            chosen = self.state.control.select(read_request(query, headers, cookies))
        except ControlError:
            return None
        behaviour = chosen.scene.behaviour
        scenario = behaviour.scenario
        endpoint = ENDPOINTS[operation_id]
        if chosen.code is not None or endpoint in scenario.latency or scenario.faults.get(endpoint):
            return None
        if behaviour.auth_keys and auth.refusal(behaviour.auth_keys, headers.get(self.api_key_header)) is not None:
            return None
        try:
            result = ANSWERS[operation_id](self.state, chosen.scene, chosen.query, *segments)
        except ApiProblem as problem:
            result = Answer(problem.code or 500, problem.body, problem.warnings)
        if result.fault is not None or result.body is None or isinstance(result.body, Listing):
            return None
        return chosen, result, encode(result.body, behaviour.json_flags)


def _status_line(status: int) -> str:
    """Return the status line as Werkzeug writes it ("404 NOT FOUND")."""
    return f"{status} {HTTP_STATUS_CODES[status].upper()}"
