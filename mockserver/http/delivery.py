"""Delivering an API answer under a scenario: a preferred code, latency, faults, then the answer itself.

The answer functions (mockserver.http.answers) stay pure functions of (scenario, clock, request); everything a
scenario adds around them on the way out happens here, and body faults after the answer (hooks.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response
from werkzeug.wrappers import Response as BaseResponse

from mockserver.control import faults
from mockserver.http.answers import Answer
from mockserver.http.context import MockState, RequestNotes, mock_state, request_notes
from mockserver.http.problems import ApiProblem, documented_error
from mockserver.http.render import render

__all__ = ["view_of"]


def view_of(answer: Callable[..., Answer], endpoint: str, path: str) -> Callable[..., BaseResponse]:
    """Wrap an answer function as a Flask view: the preferred code, latency and faults, the answer, encoding."""

    def view(**segments: str) -> BaseResponse:
        state, notes = mock_state(), request_notes()
        chosen = notes.selection
        assert chosen is not None  # the control hooks select before any API view runs
        args = (state, chosen.scene, chosen.query, *segments.values())
        control = state.control
        scenario = chosen.scene.behaviour.scenario
        if endpoint in scenario.latency or scenario.faults.get(endpoint):
            notes.volatile = True  # latency and faults count requests: the answer depends on more than them
        if chosen.code is not None:
            preferred = _preferred(state, notes, chosen.code, path, answer, args)
            if preferred is not None:
                control.wait(control.decide(chosen, endpoint, faults_too=False).delay_ms)
                return preferred
        decision = control.decide(chosen, endpoint)
        control.wait(decision.delay_ms)
        kind = decision.fault.kind if decision.fault is not None else None
        if kind in ("500", "503"):
            notes.fault = kind
            status, body = faults.error_body(kind)
            return render(state, status, body)
        if decision.fault is not None and kind in ("timeout", "drop"):
            if kind == "timeout":
                control.hold(decision.fault.hold_ms)
            notes.fault, notes.sent = kind, False
            return faults.dropped()
        notes.fault = kind  # truncate and malformed cut the finished answer, errors included (control.hooks)
        result = answer(*args)
        if result.fault is not None:
            notes.fault = result.fault
        return render(state, result.status, result.body, result.warnings)

    view.__name__ = answer.__name__
    return view


def _preferred(
    state: MockState, notes: RequestNotes, code: int, path: str, answer: Callable[..., Answer], args: tuple[Any, ...]
) -> Response | None:
    """Answer a documented preferred code (Prism's `Prefer: code=N`), or warn and return None to answer as usual.

    200 answers the real answer without faults or forced answers; an error code answers the document's body.
    """
    documented = state.contract.documented_statuses(path)
    if code not in documented:
        listed = ", ".join(str(status) for status in documented)
        notes.added = (
            *notes.added,
            f"the preferred code {code} is not documented for this operation ({listed}); answered as usual",
        )
        return None
    if code == 200:
        try:
            result = answer(*args, preferred=code)
        except ApiProblem as problem:
            notes.added = (
                *notes.added,
                f"the preferred code 200 cannot be given: this request's answer is {problem.code}",
            )
            raise
        return render(state, result.status, result.body, result.warnings)
    return render(state, code, None if code == 204 else documented_error(state.contract, code))
