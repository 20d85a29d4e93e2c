"""Rendering an API answer: PHP's json_encode with the scenario's flags, and one X-Mock-Warning per warning."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import Response

from contract.php import encode
from mockserver.http.answers import Listing
from mockserver.http.context import MockState, request_notes
from mockserver.names import WARNING_HEADER

__all__ = ["CONTENT_TYPE", "render"]

CONTENT_TYPE = "application/json; charset=UTF-8"


def render(state: MockState, status: int, body: Any, warnings: Iterable[str] = ()) -> Response:
    """Encode a body the PHP way (the scenario's flags) and attach every warning, one X-Mock-Warning each."""
    notes = request_notes()
    chosen = notes.selection
    flags = chosen.scene.behaviour.json_flags if chosen is not None else state.json_flags
    if isinstance(body, Listing):
        response = Response(body.chunks(flags), status=status)
    else:
        response = Response(b"" if body is None else encode(body, flags), status=status)
    if body is not None:
        response.content_type = CONTENT_TYPE
    else:
        response.headers.remove("Content-Type")
    every = (*(chosen.warnings if chosen else ()), *notes.added, *warnings)
    notes.warnings = every
    if state.warnings:
        # Decision: one header per warning, not one joined header. The sentences hold commas, so a
        # comma-joined list could not be split again; clients that join repeated headers (fetch,
        # requests) still show every sentence, and `curl -i` shows one per line.
        for warning in every:
            response.headers.add(WARNING_HEADER, warning)
    return response
