"""The control plane in the API's request path: select the scene before a request, journal it after.

Every request but the control API's and the pages beside the API (docs, contract, health) is selected
and journalled, unknown paths included: QA sees what a frontend called, right or wrong. When the answer
cache (mockserver.http.fastpath) asks, the journal hook also tells it whether the answer may be kept.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from flask import Flask, request
from werkzeug.http import parse_cookie
from werkzeug.wrappers import Response as BaseResponse

from contract.php import parse_query
from mockserver.control import faults
from mockserver.control.api.common import is_control_path
from mockserver.control.runtime import Runtime
from mockserver.control.selection import Asked, Selection, read_request
from mockserver.errors import ControlError
from mockserver.http.context import request_notes
from mockserver.names import FAULT_HEADER, SCENARIO_RESPONSE_HEADER, SESSION_HEADER
from mockserver.state.exchange import Exchange, recorded
from mockserver.state.journal import Entry

__all__ = ["NOTE_KEY", "AnswerNote", "init_app", "journal_entry"]

# The WSGI environ key under which the answer cache leaves an AnswerNote for the journal hook to fill.
NOTE_KEY = "sendstat.answer_note"


@dataclass
class AnswerNote:
    """What the journal hook tells the answer cache: the entry it journalled and whether the answer may be kept.

    An answer may be kept when it is a pure function of (state, request): a scenario was selected, no
    fault was injected, the scenario adds no latency nor fault to the endpoint (those count requests),
    and it is no server error.
    """

    entry: Entry | None = None
    cacheable: bool = False


def init_app(app: Flask, control: Runtime) -> None:
    """Register the selection (first of the before-request hooks) and the journal."""

    @app.before_request
    def choose() -> None:
        """Select the scene of an API request; an unknown scenario named by the request is a 400."""
        if not _journalled():
            return
        notes = request_notes()
        notes.started = time.perf_counter()
        # Parsed from the one Cookie value (request.cookies would iterate every header: see READS).
        raw_cookies = request.headers.get("Cookie")
        cookies = parse_cookie(raw_cookies) if raw_cookies else {}
        asked = read_request(parse_query(request.query_string), request.headers, cookies)
        try:
            notes.selection = control.select(asked)
        except ControlError as problem:
            if request.method == "OPTIONS":  # a preflight is never refused for the mock's own reasons
                notes.selection = control.select(Asked(asked.query))
                return
            raise ControlError(problem.message, problem.status, known=control.names()) from None

    @app.after_request
    def journal(response: BaseResponse) -> BaseResponse:
        """Apply a body fault, name the scenario, and journal the request."""
        notes = request_notes()
        if not _journalled() or notes.started is None:
            return response
        chosen, kind, sent = notes.selection, notes.fault, notes.sent
        built = None
        if kind == "truncate":
            built = response.get_data()  # the journal shows the whole answer; the client gets its first half
            response = faults.truncated(response)
        elif kind == "malformed":
            response = faults.malformed(response)
        if kind is not None:
            response.headers[FAULT_HEADER] = kind
        if chosen is not None:
            response.headers[SCENARIO_RESPONSE_HEADER] = chosen.scene.behaviour.name
            if chosen.session is not None:  # the session the request was counted and journalled under
                response.headers[SESSION_HEADER] = chosen.session
        entry = journal_entry(
            notes.started,
            request.method,
            request.path,
            request.query_string.decode("latin-1"),
            chosen,
            response.status_code if sent else None,
            kind,
            notes.warnings,
            recorded(request.environ, response, sent=sent, built=built),
        )
        control.journal.record(entry)
        note = request.environ.get(NOTE_KEY)
        if isinstance(note, AnswerNote):
            note.entry = entry
            note.cacheable = chosen is not None and kind is None and not notes.volatile and response.status_code < 500
        return response


def journal_entry(
    started: float,
    method: str,
    path: str,
    query: str,
    chosen: Selection | None,
    status: int | None,
    fault: str | None,
    warnings: tuple[str, ...],
    exchange: Exchange,
) -> Entry:
    """Return the journal entry of an answered request; started: time.perf_counter() when it was selected."""
    return Entry(
        time=time.time(),
        method=method,
        path=path,
        query=query,
        scenario=None if chosen is None else chosen.scene.behaviour.name,
        session=None if chosen is None else chosen.session,
        status=status,
        fault=fault,
        warnings=warnings,
        duration_ms=(time.perf_counter() - started) * 1000,
        worker=os.getpid(),
        exchange=exchange,
    )


def _journalled() -> bool:
    """Tell whether this request is the API's (or a path no route serves), not the control API or a page."""
    if is_control_path(request.path):
        return False
    return request.blueprint == "api" or request.url_rule is None
