"""schemathesis as a library: its phases generate and send the requests, the suite judges what came back.

The engine runs with its own response checks that fit this API (server errors, documented statuses, media
types, schemas); every recorded exchange then goes through the suite's checks as well, so schemathesis'
inputs meet this API's tightened expectations. Only GET is sent: unexpected-method probes are disabled.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import requests
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events, from_schema
from schemathesis.engine.core import EventStream

from contract.engine_config import engine_config
from contract.errors import ContractError
from contract.exchange import Exchange, flatten_headers
from contract.settings import Settings

# After this many requests without an answer the engine is stopped: the verdict is decided.
GIVE_UP = 3
CHECK_IDS = {
    "not_a_server_error": "status-code",
    "status_code_conformance": "status-code",
    "content_type_conformance": "content-type",
    "response_schema_conformance": "response-schema",
}


@dataclass(frozen=True)
class StFailure:
    """One failed schemathesis check on a recorded exchange."""

    check: str
    title: str
    message: str

    @property
    def check_id(self) -> str:
        """The suite's check id this schemathesis check corresponds to."""
        return CHECK_IDS.get(self.check, "schemathesis")


@dataclass(frozen=True)
class Observed:
    """An exchange schemathesis sent, the failures it saw, and its verdict on the body's schema."""

    exchange: Exchange
    failures: tuple[StFailure, ...] = ()
    schema_valid: bool | None = None


@dataclass
class EngineResult:
    """What the engine run left besides exchanges: notes for the report, and request count."""

    notes: list[str] = field(default_factory=list)
    sent: int = 0
    unanswered: int = 0


def run_engine(
    document: Mapping[str, Any],
    settings: Settings,
    *,
    base_path: str,
    on_observed: Callable[[Observed], None],
    on_phase: Callable[[str], None],
) -> EngineResult:
    """Run schemathesis' phases against the base URL and hand every recorded exchange to `on_observed`."""
    config = SchemathesisConfig.from_dict(engine_config(settings))
    schema = schemathesis.openapi.from_dict(dict(document), config=config)
    stream = from_schema(schema).execute()
    result = EngineResult()
    budget = settings.budget.max_time
    # The stop event is read inside long phases too (a stateful run is one event), so a timer bounds the run.
    timer = threading.Timer(budget, _stop, args=(stream, result, f"the profile's time budget ({budget} s) ran out"))
    timer.daemon = True
    timer.start()
    try:
        for event in stream:
            _handle(event, stream, result, settings, base_path, on_observed, on_phase)
    finally:
        timer.cancel()
    return result


def _handle(
    event: events.EngineEvent,
    stream: EventStream,
    result: EngineResult,
    settings: Settings,
    base_path: str,
    on_observed: Callable[[Observed], None],
    on_phase: Callable[[str], None],
) -> None:
    """Hand one engine event's exchanges to the suite; stop the run when the server stops answering."""
    if isinstance(event, events.PhaseStarted):
        on_phase(event.phase.name.value)
    elif isinstance(event, events.ScenarioFinished):
        for observed in _observed(event, settings, base_path):
            result.sent += 1
            on_observed(observed)
    elif isinstance(event, events.NonFatalError):
        exchange = _no_answer(event.value, settings, base_path)
        if exchange is None:
            result.notes.append(f"schemathesis could not test {event.label}: {event.info.title}: {event.info.message}")
            return
        result.sent += 1
        result.unanswered += 1
        on_observed(Observed(exchange))
        if result.unanswered >= GIVE_UP:
            _stop(stream, result, f"{GIVE_UP} of its requests got no answer")
    elif isinstance(event, events.FatalError):
        raise ContractError(f"schemathesis stopped: {event.exception!r}")


def _stop(stream: EventStream, result: EngineResult, reason: str) -> None:
    if not stream.stop_event.is_set():
        stream.stop()
        result.notes.append(f"schemathesis stopped early: {reason}.")


def _observed(event: events.ScenarioFinished, settings: Settings, base_path: str) -> Iterator[Observed]:
    recorder = event.recorder
    source = f"schemathesis/{event.phase.value}"
    for case_id, interaction in recorder.interactions.items():
        response = interaction.response
        if response is None:
            continue
        request = interaction.request
        headers = {name: values[0] for name, values in request.headers.items() if values}
        exchange = Exchange(
            source=source,
            method=request.method,
            url=request.uri,
            request_headers=headers,
            status=response.status_code,
            headers=flatten_headers(response.headers),
            body=response.content,
            elapsed=response.elapsed,
            base_path=base_path,
            authenticated=_authenticated(headers, settings),
        )
        failures: list[StFailure] = []
        schema_valid: bool | None = None
        for node in recorder.checks.get(case_id, []):
            failure = node.failure_info.failure if node.failure_info is not None else None
            if node.name == "response_schema_conformance":
                schema_valid = failure is None
            if failure is not None:
                failures.append(StFailure(node.name, failure.title, failure.message))
        yield Observed(exchange, tuple(failures), schema_valid)


def _no_answer(error: Exception, settings: Settings, base_path: str) -> Exchange | None:
    """An exchange with status 0 for a request that got no answer (timeout, reset), else None."""
    if not isinstance(error, requests.RequestException) or error.request is None:
        return None
    request = error.request
    headers = {name: str(value) for name, value in request.headers.items()}
    reason = (
        f"no answer within {settings.budget.timeout:g} s"
        if isinstance(error, requests.Timeout)
        else f"connection failed: {type(error).__name__}"
    )
    return Exchange(
        source="schemathesis",
        method=str(request.method),
        url=str(request.url),
        request_headers=headers,
        status=0,
        headers={},
        body=b"",
        elapsed=0.0,
        base_path=base_path,
        authenticated=_authenticated(headers, settings),
        error=reason,
    )


def _authenticated(headers: Mapping[str, str], settings: Settings) -> bool:
    lowered = {name.lower(): value for name, value in headers.items()}
    return all(lowered.get(name.lower()) == value for name, value in settings.headers.items())
