"""The API's two answers, pure functions of (state, scene, query): the index and one mailing's statistics.

Every answer is a function of its inputs alone, which is what makes the fast path's cache safe.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from contract.php import PhpJsonFlag, Query, read_path_id
from contract.php.json_encode import encode_records
from mockserver.control.scene import Scene
from mockserver.http.context import MockState
from mockserver.http.problems import ApiProblem, documented_error, error_body
from mockserver.http.warnings import (
    fields_warnings,
    path_id_warnings,
    query_warnings,
    sort_field_warnings,
    unknown_parameter_warnings,
)
from mockserver.model.mailing import MailingSource, listing

__all__ = ["ANSWERS", "ENDPOINTS", "STREAM_FROM", "Answer", "Listing", "index_answer", "view_answer"]

LIST, VIEW = "listSendStatistics", "viewSendStatistics"
# The scenario format names the two operations by these endpoint keys (latency and faults).
ENDPOINTS = {LIST: "index", VIEW: "view"}
# An index of more mailings than this streams: encoded a chunk of entries at a time as it is sent, so the
# first byte leaves at once and no list of every entry is built (the large scenario lists 100,000).
STREAM_FROM = 2000
_CHUNK = 1000
# An index entry's keys, in the backend's order.
ENTRY_KEYS = ("id", "letter_title")


@dataclass(frozen=True)
class Answer:
    """An answer: status, body as plain data (None: no body), warnings, and "forced" for a scenario's fault."""

    status: int
    body: Any
    warnings: tuple[str, ...] = ()
    fault: str | None = None


@dataclass(frozen=True)
class Listing:
    """The index's body, {"statistics": [{"id", "letter_title"}, ...]}, encoded as it is sent."""

    source: MailingSource

    def chunks(self, flags: PhpJsonFlag, size: int = _CHUNK) -> Iterator[bytes]:
        """Yield the bytes encode() gives the whole body, a few entries at a time."""
        yield b'{"statistics":['
        entries, first = iter(listing(self.source)), True
        while batch := list(islice(entries, size)):
            # A PHP list prints as [a,b,...]: its inside is the entries joined by commas.
            yield (b"" if first else b",") + encode_records(ENTRY_KEYS, batch, flags)[1:-1]
            first = False
        yield b"]}"


def index_answer(state: MockState, scene: Scene, query: Query, *, preferred: int | None = None) -> Answer:
    """List the account's mailings by id, ascending; an empty account gets the scenario's empty answer.

    preferred: a code the client prefers (Prefer: code=200 lists an empty account as 200).
    """
    warnings = [*_query_warnings(state, query, LIST), *sort_field_warnings(query, state.contract.sortable_fields)]
    source = scene.source
    ids = source.ids()
    empty_status = preferred if preferred in (200, 204) else scene.behaviour.empty_index_status
    if not ids and empty_status == 204:
        return Answer(204, None, tuple(warnings))
    # ids() is ascending by the MailingSource contract, the order the document promises.
    if len(ids) > STREAM_FROM:
        return Answer(200, Listing(source), tuple(warnings))
    statistics = [dict(zip(ENTRY_KEYS, entry, strict=True)) for entry in listing(source)]
    return Answer(200, {"statistics": statistics}, tuple(warnings))


def view_answer(state: MockState, scene: Scene, query: Query, segment: str, *, preferred: int | None = None) -> Answer:
    """Answer one mailing's requested sections; a bad `fields` is 400, an unknown id 404.

    A scenario's forced answer for the id comes first, whatever the request, unless a code is preferred.
    """
    contract = state.contract
    warnings = _query_warnings(state, query, VIEW)
    path_id = read_path_id(segment)
    warnings += path_id_warnings(segment, path_id)
    # Decision (spec-decisions #9): only digits name a mailing, as CakePHP's resource routes accept them;
    # another segment PHP would read as a number (`12abc`, `1e1`) is 404 here, with a warning.
    mailing_id = path_id.lookup if path_id.digits else None
    forcing = None
    if preferred is None and mailing_id is not None:
        forcing = scene.behaviour.scenario.forced.get(mailing_id)
    if forcing is not None and (forcing.status != 200 or forcing.body is not None):
        body = forcing.body if forcing.body is not None else documented_error(contract, forcing.status)
        return Answer(forcing.status, body, tuple(warnings), "forced" if forcing.fault else None)
    reading = state.readings.read(query.value("fields"))
    warnings += fields_warnings(query, reading, contract.field_names, contract.default_fields)
    # Decision: `fields` is judged before the id is looked up (it needs no database), so a bad `fields`
    # on an unknown id is 400; the seed does not say which comes first.
    if reading.names is None:
        raise ApiProblem(contract.invalid_fields.status, error_body(contract.invalid_fields), warnings)
    mailing = scene.source.mailing(mailing_id) if mailing_id is not None else None
    if mailing is None:
        raise ApiProblem(contract.not_found.status, error_body(contract.not_found), warnings)
    return Answer(200, {name: mailing.section(name) for name in reading.names}, tuple(warnings))


def _query_warnings(state: MockState, query: Query, operation_id: str) -> list[str]:
    documented = frozenset().union(*state.query_parameters.values())
    known = state.query_parameters[operation_id]
    return [*query_warnings(query), *unknown_parameter_warnings(query, known, documented)]


ANSWERS: dict[str, Callable[..., Answer]] = {LIST: index_answer, VIEW: view_answer}
