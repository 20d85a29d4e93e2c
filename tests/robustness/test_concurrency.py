"""Scenario switches and clock changes under load never give a torn or mixed answer.

Every answer must be byte for byte one of the answers its request can have (one per scenario or clock
it may meet, recorded one at a time beforehand), with a Content-Length that fits the body and an
X-Mock-Scenario header naming the scenario whose answer it is.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import quote

import pytest
import requests

from tests.robustness._answers import INDEX
from tests.robustness._control import SCENARIO_HEADER
from tests.robustness._mock import MockProcess

READERS = 6
READS = 150  # Per reader thread.
TIMEOUT = 30
ALL_FIELDS = quote('["id","common","open_time","click_statistic","domain_statistic","errors"]', safe="")
# Scenarios whose answers differ in status and body: a list, one mailing, no mailings (204 and 404).
SWITCHED = ("default", "single", "empty")
# In-progress: mailing 22 still collects opens at its own clock, mailing 23 is sent at 18:00.
CLOCKED = "in-progress"
CLOCKS: tuple[str | None, ...] = (None, "2024-12-05T13:00:00Z", "2024-12-05T20:00:00Z", "2024-12-09T00:00:00Z")
CLOCKED_PATHS = (INDEX, f"{INDEX}/21?fields={ALL_FIELDS}", f"{INDEX}/22?fields={ALL_FIELDS}", f"{INDEX}/23")


@dataclass(frozen=True)
class Answer:
    """What matters of an answer: status, body, the scenario it names."""

    status: int
    body: bytes
    scenario: str | None


def fetch(session: requests.Session, url: str, headers: dict[str, str] | None = None) -> Answer:
    """GET url and check that the answer's headers fit its body."""
    response = session.get(url, headers=headers, timeout=TIMEOUT)
    length = response.headers.get("Content-Length")
    assert length is None or int(length) == len(response.content), (
        f"Content-Length {length}, body {len(response.content)}"
    )
    if response.content:
        assert response.headers["Content-Type"].startswith("application/json")
    return Answer(response.status_code, response.content, response.headers.get(SCENARIO_HEADER))


def under_load(reader: Callable[[random.Random], None], changer: Callable[[int], None]) -> None:
    """Run READERS reader threads while one thread keeps calling changer(n); stop it when they are done."""
    done = threading.Event()
    changes = [0]

    def change() -> None:
        while not done.is_set():
            changer(changes[0])
            changes[0] += 1

    with ThreadPoolExecutor(max_workers=READERS + 1) as pool:
        changing = pool.submit(change)
        try:
            readers = [pool.submit(reader, random.Random(seed)) for seed in range(READERS)]
            for future in readers:
                future.result()
        finally:
            done.set()
        changing.result()
    assert changes[0] >= 2, "the changes did not overlap the load"


def control_get(mock: MockProcess, path: str) -> requests.Response:
    """GET a control endpoint."""
    return requests.get(f"{mock.url}{path}", timeout=TIMEOUT)


def control_put(mock: MockProcess, path: str, body: object) -> None:
    """PUT JSON to a control endpoint and require a 200."""
    response = requests.put(f"{mock.url}{path}", json=body, timeout=TIMEOUT)
    assert response.status_code == 200, f"PUT {path}: {response.status_code} {response.text[:300]}"


@pytest.fixture
def control(mock: MockProcess) -> Iterator[MockProcess]:
    """The mock with its control API (skipped without it); reset to its start state afterwards."""
    for endpoint in ("/__mock/scenario", "/__mock/clock"):
        if control_get(mock, endpoint).status_code != 200:
            pytest.skip(f"needs the control API: GET {endpoint} is not served")
    try:
        yield mock
    finally:
        assert requests.post(f"{mock.url}/__mock/reset", timeout=TIMEOUT).status_code == 200


def listed_views(mock: MockProcess, scenario: str, count: int) -> list[str]:
    """Views (all six fields) of the first mailings a scenario lists."""
    index = requests.get(f"{mock.url}{INDEX}", headers={SCENARIO_HEADER: scenario}, timeout=TIMEOUT)
    ids = [entry["id"] for entry in index.json()["statistics"]] if index.status_code == 200 else []
    return [f"{INDEX}/{mailing_id}?fields={ALL_FIELDS}" for mailing_id in ids[:count]]


def assert_one_of(answer: Answer, possible: dict[str, Answer], path: str) -> None:
    """The answer is the one its scenario gives, and it names that scenario."""
    assert answer.scenario in possible, f"{path}: answered by {answer.scenario!r}, not one of {sorted(possible)}"
    expected = possible[answer.scenario]
    assert (answer.status, answer.body) == (expected.status, expected.body), f"{path}: a mixed or torn answer"


def test_concurrent_answers_are_the_sequential_ones(mock: MockProcess) -> None:
    """Answers to concurrent requests are the bytes the same requests get one at a time."""
    session = requests.Session()
    paths = [INDEX, f"{INDEX}/0", *listed_views(mock, "default", 12)]
    paths += [path.split("?")[0] for path in paths[2:6]]  # Default fields as well.
    reference = {path: fetch(session, f"{mock.url}{path}") for path in paths}

    def read(rng: random.Random) -> None:
        own = requests.Session()
        for _ in range(READS):
            path = rng.choice(paths)
            answer = fetch(own, f"{mock.url}{path}")
            assert (answer.status, answer.body) == (reference[path].status, reference[path].body), path

    with ThreadPoolExecutor(max_workers=READERS) as pool:
        for future in [pool.submit(read, random.Random(seed)) for seed in range(READERS)]:
            future.result()


def test_server_scenario_switches_under_load_never_mix_answers(control: MockProcess) -> None:
    """While PUT /__mock/scenario keeps switching, every answer is whole and from the scenario it names."""
    paths = sorted({INDEX, *listed_views(control, "default", 4), *listed_views(control, "single", 2)})
    session = requests.Session()
    reference = {
        path: {name: fetch(session, f"{control.url}{path}", {SCENARIO_HEADER: name}) for name in SWITCHED}
        for path in paths
    }

    def read(rng: random.Random) -> None:
        own = requests.Session()
        for _ in range(READS):
            path = rng.choice(paths)
            assert_one_of(fetch(own, f"{control.url}{path}"), reference[path], path)

    under_load(read, lambda n: control_put(control, "/__mock/scenario", {"name": SWITCHED[n % len(SWITCHED)]}))


def test_per_request_scenarios_under_load_never_mix_answers(mock: MockProcess) -> None:
    """Requests naming different scenarios at once each get their own scenario's answer."""
    session = requests.Session()
    if fetch(session, f"{mock.url}{INDEX}", {SCENARIO_HEADER: "empty"}).status != 204:
        pytest.skip(f"needs scenario selection per request: the {SCENARIO_HEADER} header is not honoured")
    names = ("default", "single", "empty", "all-error-codes", "php-empty-maps", "unicode-and-extremes")
    paths = sorted({INDEX, *(view for name in names for view in listed_views(mock, name, 2))})
    reference = {
        path: {name: fetch(session, f"{mock.url}{path}", {SCENARIO_HEADER: name}) for name in names} for path in paths
    }

    def read(rng: random.Random) -> None:
        own = requests.Session()
        for _ in range(READS):
            path, name = rng.choice(paths), rng.choice(names)
            answer = fetch(own, f"{mock.url}{path}", {SCENARIO_HEADER: name})
            assert answer.scenario == name, f"{path}: asked {name}, answered by {answer.scenario}"
            assert_one_of(answer, {name: reference[path][name]}, path)

    with ThreadPoolExecutor(max_workers=READERS) as pool:
        for future in [pool.submit(read, random.Random(seed)) for seed in range(READERS)]:
            future.result()


def set_clock(mock: MockProcess, clock: str | None) -> None:
    """Pin the server's clock, or unpin it (None: each scenario's own)."""
    if clock is None:
        assert requests.delete(f"{mock.url}/__mock/clock", timeout=TIMEOUT).status_code == 200
    else:
        control_put(mock, "/__mock/clock", {"now": clock})


def clocked_answers(mock: MockProcess, paths: Sequence[str]) -> dict[str, set[tuple[int, bytes]]]:
    """Each path's answers at every clock of CLOCKS, recorded one clock at a time."""
    session = requests.Session()
    possible: dict[str, set[tuple[int, bytes]]] = {path: set() for path in paths}
    for clock in CLOCKS:
        set_clock(mock, clock)
        for path in paths:
            answer = fetch(session, f"{mock.url}{path}", {SCENARIO_HEADER: CLOCKED})
            possible[path].add((answer.status, answer.body))
    return possible


def test_clock_changes_under_load_never_tear_answers(control: MockProcess) -> None:
    """While the server's clock keeps moving, every answer is whole: exactly the answer at one clock."""
    possible = clocked_answers(control, CLOCKED_PATHS)
    assert all(len(answers) > 1 for answers in possible.values()), "the clocks should change every answer"

    def read(rng: random.Random) -> None:
        own = requests.Session()
        for _ in range(READS):
            path = rng.choice(CLOCKED_PATHS)
            answer = fetch(own, f"{control.url}{path}", {SCENARIO_HEADER: CLOCKED})
            assert (answer.status, answer.body) in possible[path], f"{path}: an answer of no clock (torn)"

    under_load(read, lambda n: set_clock(control, CLOCKS[n % len(CLOCKS)]))
