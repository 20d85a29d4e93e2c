"""Rendering an API answer: PHP's json_encode with the scenario's flags, and one X-Mock-Warning per warning."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import Response
from werkzeug.datastructures import Headers

from contract.php import encode
from mockserver.http.answers import Listing
from mockserver.http.context import MockState, request_notes
from mockserver.names import WARNING_HEADER

__all__ = ["CONTENT_TYPE", "head", "render"]

CONTENT_TYPE = "application/json; charset=UTF-8"


def render(state: MockState, status: int, body: Any, warnings: Iterable[str] = ()) -> Response:
    """Encode a body the PHP way (the scenario's flags) and attach every warning, one X-Mock-Warning each."""
    notes = request_notes()
    chosen = notes.selection
    flags = chosen.scene.behaviour.json_flags if chosen is not None else state.json_flags
    every = (*(chosen.warnings if chosen else ()), *notes.added, *warnings)
    notes.warnings = every
    shown = every if state.warnings else ()
    if isinstance(body, Listing):
        response = Response(body.chunks(flags), status=status)
        response.headers = Headers(head(None, True, shown))
        return response
    data = b"" if body is None else encode(body, flags)
    response = Response(data, status=status)
    response.headers = Headers(head(len(data), body is not None, shown))
    return response


def head(size: int | None, has_body: bool, warnings: Iterable[str]) -> list[tuple[str, str]]:
    """Return an API answer's own headers, in order: its type (when it has a body), its length, its warnings.

    size: None for a streamed body. Decision: one header per warning, not one joined header. The sentences
    hold commas, so a comma-joined list could not be split again; clients that join repeated headers
    (fetch, requests) still show every sentence, and `curl -i` shows one per line.
    """
    headers = [("Content-Type", CONTENT_TYPE)] if has_body else []
    if size is not None:
        headers.append(("Content-Length", str(size)))
    headers.extend((WARNING_HEADER, warning) for warning in warnings)
    return headers
