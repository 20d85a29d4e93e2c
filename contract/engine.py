"""schemathesis as a library: its phases generate and send the requests, the suite judges what came back.

The engine runs with its own response checks that fit this API (server errors, documented statuses, media
types, schemas); every recorded exchange then goes through the suite's checks as well, so schemathesis'
inputs meet this API's tightened expectations. Only GET is sent: unexpected-method probes are disabled.
Every request it sends, its probes included, goes through the suite's BoundedAdapter (contract/
engine_sessions.py): a deadline per request, a cap on the body, nothing past the run's time budget.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import hypothesis.errors
import requests
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events, from_schema
from schemathesis.engine.core import EventStream

from contract.bounded import BoundedAdapter, Limits, NoAnswer
from contract.budget import BudgetExhausted, Clock
from contract.engine_config import engine_config
from contract.engine_sessions import mounted
from contract.errors import ContractError
from contract.exchange import Exchange, flatten_headers
from contract.settings import Settings
from contract.text import one_line, without_reprs

# After this many requests in a row without an answer the engine is stopped: the verdict is decided.
GIVE_UP = 3
NOTE_LENGTH = 240
# The engine is asked to stop this long before the budget ends: 5% of the budget, between 1 and 3 s.
RESERVE_SHARE = 0.05
MIN_RESERVE = 1.0
MAX_RESERVE = 3.0
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
    """What the engine run left besides exchanges: notes for the report, requests sent, whether time ran out."""

    notes: list[str] = field(default_factory=list)
    sent: int = 0
    # The run's time budget ended the engine before its phases were done.
    cut: bool = False
    phases_started: list[str] = field(default_factory=list)


class _Run:
    """One engine run: the event stream, the failures the adapter reported, and the result being built."""

    def __init__(self, settings: Settings, base_path: str, on_observed: Callable[[Observed], None]) -> None:
        self.settings = settings
        self.base_path = base_path
        self.on_observed = on_observed
        self.result = EngineResult()
        self.phase = "probing"
        self.stream: EventStream | None = None
        self.unanswered = 0
        self._failed: list[Exchange] = []
        self._lock = threading.Lock()

    def failed(self, request: requests.PreparedRequest, error: Exception, elapsed: float) -> None:
        """Keep a request the adapter saw get no usable answer (called in schemathesis' worker thread)."""
        exchange = _unanswered(request, error, elapsed, self)
        with self._lock:
            self._failed.append(exchange)
        self.unanswered += 1
        if self.unanswered >= GIVE_UP:
            self.stop(f"{GIVE_UP} of its requests got no answer")

    def drain(self) -> None:
        """Judge the unanswered requests kept so far (in the thread that judges everything)."""
        with self._lock:
            failed, self._failed = self._failed, []
        for exchange in failed:
            self.on_observed(Observed(exchange))

    def stop(self, reason: str) -> None:
        """Stop the engine (its next event is its last) and say why in the notes."""
        if self.stream is not None and not self.stream.stop_event.is_set():
            self.stream.stop()
            self.result.notes.append(f"schemathesis stopped early: {reason}.")

    def note(self, text: str) -> None:
        """Add a note once."""
        if text not in self.result.notes:
            self.result.notes.append(text)


def run_engine(
    document: Mapping[str, Any],
    settings: Settings,
    clock: Clock,
    *,
    base_path: str,
    on_observed: Callable[[Observed], None],
    on_phase: Callable[[str], None],
) -> EngineResult:
    """Run schemathesis' phases against the base URL until they end or `clock` runs out; judge every exchange."""
    config = SchemathesisConfig.from_dict(engine_config(settings))
    schema = schemathesis.openapi.from_dict(dict(document), config=config)
    budget = settings.budget
    run = _Run(settings, base_path, on_observed)
    adapter = BoundedAdapter(Limits(budget.timeout, budget.max_body), clock, on_failure=run.failed)
    # The stop event is read between cases and inside long phases (a stateful run is one event). It is set a
    # little before the budget ends: the case in progress still validates its last answer and extracts links
    # from it (seconds for a 29 MB index); requests stay bounded by the budget's real end (the adapter).
    reserve = min(MAX_RESERVE, max(MIN_RESERVE, RESERVE_SHARE * clock.seconds))
    timer = threading.Timer(max(0.0, clock.remaining() - reserve), _out_of_time, args=(run, clock))
    timer.daemon = True
    with mounted(schema.config, adapter):
        run.stream = from_schema(schema).execute()
        timer.start()
        try:
            for event in run.stream:
                _handle(event, run, on_phase)
                run.drain()
        except BudgetExhausted:
            run.result.cut = True  # raised through a path of schemathesis that does not handle request errors
        finally:
            timer.cancel()
            adapter.close()
    run.drain()
    run.result.sent = adapter.sent
    run.result.cut = run.result.cut or clock.exhausted
    return run.result


def _out_of_time(run: _Run, clock: Clock) -> None:
    run.result.cut = True
    run.stop(f"the time budget ({clock.seconds:g} s) ran out")


def _handle(event: events.EngineEvent, run: _Run, on_phase: Callable[[str], None]) -> None:
    """Hand one engine event's exchanges to the suite and its errors to the notes."""
    if isinstance(event, events.PhaseStarted):
        run.phase = event.phase.name.value
        if run.phase not in run.result.phases_started:
            run.result.phases_started.append(run.phase)
        on_phase(run.phase)
    elif isinstance(event, events.ScenarioFinished):
        for observed in _observed(event, run):
            run.on_observed(observed)
    elif isinstance(event, events.NonFatalError):
        note = note_for(event)
        if note is not None:
            run.note(note)
    elif isinstance(event, events.FatalError):
        raise ContractError(f"schemathesis stopped: {one_line(without_reprs(str(event.exception)), NOTE_LENGTH)}")


def note_for(event: events.NonFatalError) -> str | None:
    """A short note for an error schemathesis reports, or None when the suite reports it otherwise.

    Network errors are the adapter's to report (each unanswered request is a finding); a Hypothesis `Flaky`
    means an input that failed passed when sent again. Messages are cut to one line without internal reprs.
    """
    errors = _leaves(event.value)
    if any(isinstance(error, (requests.RequestException, BudgetExhausted)) for error in errors):
        return None
    if any(isinstance(error, hypothesis.errors.Flaky) for error in errors) or "unreliable results" in str(event.value):
        return (
            f"schemathesis: {event.label}: an input that failed passed when it was sent again "
            "(the server does not answer the same request the same way)."
        )
    message = event.info.message.strip().splitlines()[0] if event.info.message.strip() else ""
    text = f"schemathesis could not test {event.label}: {event.info.title}" + (f": {message}" if message else "")
    return one_line(without_reprs(text), NOTE_LENGTH)


def _leaves(error: BaseException) -> list[BaseException]:
    """The error and, for an exception group, every error inside it."""
    if isinstance(error, BaseExceptionGroup):
        found: list[BaseException] = [error]
        for inner in error.exceptions:
            found += _leaves(inner)
        return found
    return [error]


def _observed(event: events.ScenarioFinished, run: _Run) -> Iterator[Observed]:
    recorder = event.recorder
    source = f"schemathesis/{event.phase.value}"
    for case_id, interaction in recorder.interactions.items():
        response = interaction.response
        if response is None:
            continue  # no usable answer: the adapter reported it when it happened
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
            base_path=run.base_path,
            authenticated=_authenticated(headers, run.settings),
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


def _unanswered(request: requests.PreparedRequest, error: Exception, elapsed: float, run: _Run) -> Exchange:
    """An exchange with status 0 for a request of schemathesis' that got no usable answer."""
    headers = {name: str(value) for name, value in request.headers.items()}
    if isinstance(error, NoAnswer):
        reason, check = error.reason, error.check
    else:
        reason, check = f"connection failed: {one_line(str(error), 200)}", "no-answer"
    return Exchange(
        source=f"schemathesis/{run.phase}",
        method=str(request.method),
        url=str(request.url),
        request_headers=headers,
        status=0,
        headers={},
        body=b"",
        elapsed=elapsed,
        base_path=run.base_path,
        authenticated=_authenticated(headers, run.settings),
        error=reason,
        error_check=check,
    )


def _authenticated(headers: Mapping[str, str], settings: Settings) -> bool:
    lowered = {name.lower(): value for name, value in headers.items()}
    return all(lowered.get(name.lower()) == value for name, value in settings.headers.items())
