"""What a request of the mock reads: the app's MockState, and the typed notes of the API request in flight."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask import current_app, g

from contract.php import FieldsReading, PhpJsonFlag, PhpValue, read_fields
from contract.spec import Contract
from mockserver.control.runtime import Runtime
from mockserver.control.selection import Selection
from mockserver.http.answer_cache import AnswerCache, Kept

__all__ = ["EXTENSION", "FieldsReadings", "MockState", "RequestNotes", "mock_state", "request_notes", "state_of"]

EXTENSION = "sendstat"
_NOTES = "sendstat_notes"


class FieldsReadings:
    """What the controller made of each recent `fields` value: clients send a few values again and again.

    read_fields is a pure function of the value, so a reading is kept by it (bytes or absent; an array
    from `fields[]=` is read each time), at most `size` of them.
    """

    def __init__(self, contract: Contract, size: int = 256) -> None:
        self._names = contract.field_names
        self._default = contract.default_fields
        self._size = size
        self._readings: dict[bytes | None, FieldsReading] = {}

    def read(self, value: PhpValue) -> FieldsReading:
        """Return read_fields(value) for the contract's names and default."""
        if value is not None and not isinstance(value, bytes):
            return read_fields(value, self._names, self._default)
        found = self._readings.get(value)
        if found is None:
            if len(self._readings) >= self._size:
                self._readings.clear()
            found = self._readings[value] = read_fields(value, self._names, self._default)
        return found


@dataclass(frozen=True)
class MockState:
    """What every request reads: the contract, the deployment's encoding, and the control runtime.

    json_flags: the flags of pages beside the API (the docs' examples); API answers use their scenario's.
    """

    contract: Contract
    contract_text: bytes
    json_flags: PhpJsonFlag
    warnings: bool
    query_parameters: Mapping[str, frozenset[str]]
    control: Runtime
    readings: FieldsReadings
    answers: AnswerCache[Kept] | None = None


@dataclass
class RequestNotes:
    """What the hooks and views note about one API request, for its answer, its journal entry and the fast path.

    started: when the selection hook ran (None: the request is not journalled); selection: the scene it
    chose; fault: the injected fault's kind ("forced" for a scenario's forced answer); sent: False when no
    answer left (a drop or a timeout); volatile: latency or faults count requests, so the answer must not
    be kept; added: warnings added on the way (a preferred code that cannot be given); warnings: every
    warning the answer carried.
    """

    started: float | None = None
    selection: Selection | None = None
    fault: str | None = None
    sent: bool = True
    volatile: bool = False
    added: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def mock_state() -> MockState:
    """Return the state of the app handling the current request."""
    return state_of(current_app.extensions)


def state_of(extensions: Mapping[str, object]) -> MockState:
    """Return the MockState kept in an app's extensions."""
    state = extensions[EXTENSION]
    assert isinstance(state, MockState)
    return state


def request_notes() -> RequestNotes:
    """Return the notes of the current request, made on first use."""
    notes = g.get(_NOTES)
    if notes is None:
        notes = RequestNotes()
        setattr(g, _NOTES, notes)
    assert isinstance(notes, RequestNotes)
    return notes
