"""schemathesis, positive and negative, against the running mock: no 5xx, every answer as documented.

Generation is decoupled from sending (as in schemathesis' own engine): Hypothesis draws 625 cases per
operation and mode on the main thread, and two sender threads send each case to four scenarios drawn
per request (the X-Mock-Scenario header), 10,000 requests in all; generating a case costs more than
sending it. Before the mock selects scenarios by header every send goes to the default scenario, and
the answers to one case must then be the same bytes.
Scenarios that declare faults (500s, dropped connections: `flaky`) or latency (`slow`: seconds per
answer) are left out: their breaks of the contract are on purpose, and their own tests cover them.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from jsonschema import ValidationError
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from contract.spec import Contract
from mockserver.names import MOCK_PARAMETERS, SCENARIO_COOKIE, SESSION_COOKIE
from mockserver.scenario.library import ScenarioLibrary, default_scenario_dirs
from tests.robustness._answers import INDEX, VIEW, assert_valid_answer
from tests.robustness._control import SCENARIO_HEADER, SCENARIOS, honours_scenario_header, listed
from tests.robustness._mock import MockProcess

CASES = 625  # Per operation and mode: 4 x 625 cases, each sent to 4 scenarios, are 10,000 requests.
SENDS = 4
SENDERS = 2
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# An index of more mailings than this (the `large` scenario's 100,000) takes seconds to serve and validate:
# only the views of such a scenario are fuzzed (bench/run.py measures its index).
MAX_FUZZED_INDEX = 1_000
# Listed ids a view may be aimed at instead of a generated id (which is nearly always a 404).
KNOWN_IDS = 8
TIMEOUT = 15
MAX_REPORTED = 5


@dataclass(frozen=True)
class Target:
    """A scenario the fuzzer sends to: its name (None: the server's default), headers, listed ids."""

    name: str | None
    headers: dict[str, str] = field(default_factory=dict)
    known_ids: tuple[int, ...] = ()
    listed: int = 0


def _default_target(url: str) -> Target:
    """The server's own scenario, asked over HTTP (before the mock selects scenarios by header)."""
    ids = [entry["id"] for entry in requests.get(f"{url}{INDEX}", timeout=60).json()["statistics"]]
    return Target(None, {}, tuple(ids[:KNOWN_IDS]), len(ids))


def _targets(names: list[str]) -> list[Target]:
    """Targets of the named scenarios, less those with declared faults or latency; ids read from the files."""
    library = ScenarioLibrary(default_scenario_dirs())
    found = []
    for name in names:
        scenario = library.get(name)
        if scenario.faults or scenario.latency or any(forced.fault for forced in scenario.forced.values()):
            continue
        headers = {SCENARIO_HEADER: name}
        if scenario.auth_keys:
            headers["X-Estis-Auth"] = min(scenario.auth_keys)
        ids = scenario.source(scenario.clock).ids()
        found.append(Target(name, headers, tuple(ids[:KNOWN_IDS]), len(ids)))
    return found


@pytest.fixture(scope="module")
def targets(mock: MockProcess) -> list[Target]:
    """Every scenario the mock serves, less those with declared faults or latency; the default alone before."""
    if not honours_scenario_header(mock.url):
        return [_default_target(mock.url)]
    names = listed(mock.url)
    assert names, f"the mock selects scenarios by header but {SCENARIOS} lists none"
    return _targets(names)


@pytest.fixture(scope="module")
def schema(contract: Contract) -> Any:
    """The contract as a schemathesis schema."""
    return schemathesis.openapi.from_dict(dict(contract.document))


@dataclass
class Sender:
    """Sends cases to the mock from a thread pool and keeps the tally and the failures."""

    url: str
    path: str
    contract: Contract
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    _local: threading.local = field(default_factory=threading.local)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def session(self) -> requests.Session:
        """This thread's keep-alive session."""
        if not hasattr(self._local, "session"):
            self._local.session = requests.Session()
        session: requests.Session = self._local.session
        return session

    def send(self, case: Any, picks: list[Target]) -> None:
        """Send the case to each picked scenario and judge the answers; the same scenario twice: same bytes."""
        answers: dict[str | None, tuple[int, bytes]] = {}
        for target in picks:
            try:
                response = case.call(base_url=self.url, session=self.session(), headers=target.headers, timeout=TIMEOUT)
                case.validate_response(response, checks=CHECKS, headers=target.headers)
                content_type = (response.headers.get("content-type") or [None])[0]
                assert_valid_answer(self.contract, response.status_code, content_type, response.content, self.path)
                answer = (response.status_code, response.content)
                assert answers.setdefault(target.name, answer) == answer, "the same request answered differently"
            except (AssertionError, FailureGroup, ValidationError, requests.RequestException) as exc:
                curl = case.as_curl_command(headers=target.headers, base_url=self.url)
                self._fail(f"scenario {target.name or 'default'}: {exc}\n    {curl}")
                return
            with self._lock:
                self.statuses[response.status_code] += 1

    def _fail(self, text: str) -> None:
        with self._lock:
            self.failures.append(text)


def _without_mock_controls(case: Any) -> None:
    """Drop what would steer the mock itself (its documented controls, not the API's): `__scenario` and kin."""
    for name in list(case.query or {}):
        if name in MOCK_PARAMETERS:
            del case.query[name]
    for name in list(case.headers or {}):
        if name.lower().startswith("x-mock-") or name.lower() == "prefer":
            del case.headers[name]
    for name in list(case.cookies or {}):
        if name in (SCENARIO_COOKIE, SESSION_COOKIE):
            del case.cookies[name]


@pytest.fixture
def pool() -> Iterator[ThreadPoolExecutor]:
    """The sender threads."""
    with ThreadPoolExecutor(max_workers=SENDERS, thread_name_prefix="fuzz-sender") as executor:
        yield executor


@pytest.mark.slow
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
@pytest.mark.parametrize("path", [INDEX, VIEW], ids=["index", "view"])
def test_fuzzed_requests_get_documented_answers(
    path: str,
    mode: GenerationMode,
    mock: MockProcess,
    targets: list[Target],
    schema: Any,
    contract: Contract,
    pool: ThreadPoolExecutor,
) -> None:
    """2,500 requests of generated cases get no server error and only documented statuses, media types and bodies."""
    aimed = [t for t in targets if path == VIEW or t.listed <= MAX_FUZZED_INDEX]
    sender = Sender(mock.url, path, contract)
    sent: list[Future[None]] = []

    @settings(
        max_examples=CASES,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(
        case=schema[path]["GET"].as_strategy(generation_mode=mode),
        picks=st.lists(st.sampled_from(aimed), min_size=SENDS, max_size=SENDS),
        known=st.integers(min_value=0, max_value=2 * KNOWN_IDS - 1),
    )
    def generate(case: Any, picks: list[Target], known: int) -> None:
        _without_mock_controls(case)
        # About half the views ask for a mailing the first picked scenario lists.
        if path == VIEW and known < len(picks[0].known_ids):
            case.path_parameters["id"] = picks[0].known_ids[known]
        sent.append(pool.submit(sender.send, case, picks))

    generate()
    for future in sent:
        future.result()
    assert not sender.failures, f"{len(sender.failures)} failures; the first:\n" + "\n".join(
        sender.failures[:MAX_REPORTED]
    )
    assert sender.statuses.total() >= SENDS * CASES, sender.statuses
