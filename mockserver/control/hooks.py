"""The control plane in the API's request path: select the scene before a request, journal it after.

Every request but the control API's and the pages beside the API (docs, contract, health) is selected
and journalled, unknown paths included: QA sees what a frontend called, right or wrong. When the answer
cache (mockserver.fastpath) asks, the journal hook also tells it whether the answer may be kept.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from flask import Flask, g, request
from werkzeug.wrappers import Response as BaseResponse

from mockserver.control import faults
from mockserver.control.api import is_control_path
from mockserver.control.errors import ControlError
from mockserver.control.exchange import recorded
from mockserver.control.journal import Entry
from mockserver.control.runtime import Runtime
from mockserver.control.selection import Asked, Selection, read_request
from mockserver.request_rules import Query

__all__ = ["NOTE_KEY", "SCENARIO_RESPONSE_HEADER", "AnswerNote", "init_app", "mark_fault", "mark_volatile", "selection"]

SCENARIO_RESPONSE_HEADER = "X-Mock-Scenario"
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
        g.sendstat_started = time.perf_counter()
        prefer = request.headers.getlist("Prefer")
        cookies = request.cookies if "HTTP_COOKIE" in request.environ else {}  # most requests carry none
        asked = read_request(Query.parse(request.query_string), request.headers, cookies, prefer)
        try:
            g.sendstat_selection = control.select(asked)
        except ControlError as problem:
            if request.method == "OPTIONS":  # a preflight is never refused for the mock's own reasons
                g.sendstat_selection = control.select(Asked(asked.query))
                return
            raise ControlError(problem.message, problem.status, known=control.names()) from None

    @app.after_request
    def journal(response: BaseResponse) -> BaseResponse:
        """Apply a body fault, name the scenario, and journal the request."""
        if not _journalled() or "sendstat_started" not in g:
            return response
        chosen = selection()
        kind = g.get("sendstat_fault")
        built = None
        if kind == "truncate":
            built = response.get_data()  # the journal shows the whole answer; the client gets its first half
            response = faults.truncated(response)
        elif kind == "malformed":
            response = faults.malformed(response)
        if kind is not None:
            response.headers[faults.FAULT_HEADER] = kind
        if chosen is not None:
            response.headers[SCENARIO_RESPONSE_HEADER] = chosen.scene.behaviour.name
        sent = g.get("sendstat_sent", True)
        entry = Entry(
            time=time.time(),
            method=request.method,
            path=request.path,
            query=request.query_string.decode("latin-1"),
            scenario=None if chosen is None else chosen.scene.behaviour.name,
            session=None if chosen is None else chosen.session,
            status=response.status_code if sent else None,
            fault=kind,
            warnings=tuple(g.get("sendstat_warnings", ())),
            duration_ms=(time.perf_counter() - g.sendstat_started) * 1000,
            worker=os.getpid(),
            exchange=recorded(request.environ, response, sent=sent, built=built),
        )
        control.journal.record(entry)
        note = request.environ.get(NOTE_KEY)
        if isinstance(note, AnswerNote):
            note.entry = entry
            note.cacheable = (
                chosen is not None and kind is None and not g.get("sendstat_volatile") and response.status_code < 500
            )
        return response


def selection() -> Selection | None:
    """Return the selection of the current request (None outside the API, or when it failed)."""
    found: Selection | None = g.get("sendstat_selection")
    return found


def mark_volatile() -> None:
    """Note that this answer depends on more than (state, request): latency or faults count requests."""
    g.sendstat_volatile = True


def mark_fault(kind: str | None, *, sent: bool = True) -> None:
    """Note the fault of this request for the journal (and for a body fault, for the after-request hook)."""
    g.sendstat_fault = kind
    g.sendstat_sent = sent


def _journalled() -> bool:
    """Tell whether this request is the API's (or a path no route serves), not the control API or a page."""
    if is_control_path(request.path):
        return False
    return request.blueprint == "api" or request.url_rule is None
