"""A worker's runtime: cached shared state, reloads here and everywhere, holds, request counting."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from contract.php import parse_query
from mockserver.control.runtime import Limits, Runtime
from mockserver.control.scene import Overrides
from mockserver.control.selection import Asked
from mockserver.errors import ScenarioError
from mockserver.scenario.library import LoadContext, ScenarioLibrary
from mockserver.state.backend import SharedState, open_state
from mockserver.state.config import StateSettings
from mockserver.state.local.state import LocalState
from mockserver.state.local.store import LocalStore
from tests.mockserver.conftest import WriteScenario

MakeRuntime = Callable[..., Runtime]


@pytest.fixture
def make_runtime(library: ScenarioLibrary) -> MakeRuntime:
    """Build runtimes (in memory unless given a state) over the shared library."""

    def make(state: SharedState | None = None, **options: Any) -> Runtime:
        state = state or local(None)
        limits = Limits(**{"reload_interval": None, **options.pop("limits", {})})
        scenarios = options.pop("library", library)
        return Runtime(scenarios, state, options.pop("start", "default"), Overrides(), limits, **options)

    return make


def local(directory: Path | None) -> LocalState:
    """A local state in a directory (shared, as a server's workers have it), or in memory."""
    return LocalState(StateSettings(directory=directory, journal_limit=100))


def test_the_shared_state_is_reread_only_when_its_version_moves(
    make_runtime: MakeRuntime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Requests cost one version read; a control change costs one snapshot read."""
    runtime = make_runtime()
    reads: list[int] = []
    snapshot = runtime.store.snapshot
    monkeypatch.setattr(runtime.store, "snapshot", lambda: reads.append(1) or snapshot())
    for _ in range(10):
        runtime.refresh()
    assert reads == []
    runtime.store.set_active("empty")
    assert runtime.refresh().active == "empty"
    runtime.refresh()
    assert reads == [1]


def test_a_reload_reaches_every_worker(
    tmp_path: Path, make_runtime: MakeRuntime, write_scenario: WriteScenario, load_context: LoadContext
) -> None:
    """reload_everywhere in one worker makes the other reload its files at its next request."""
    path = write_scenario("mine", mailings={"generate": {"count": 2}})
    workers = [
        make_runtime(local(tmp_path), start="mine", library=ScenarioLibrary([path.parent], load_context))
        for _ in range(2)
    ]
    path.write_text("name: mine\ndescription: three now\nmailings: {generate: {count: 3}}\n")
    assert workers[0].reload_everywhere() == []
    assert len(workers[0].start.at(None).source.ids()) == 3
    assert len(workers[1].start.at(None).source.ids()) == 2  # not yet: no request came
    workers[1].refresh()
    assert len(workers[1].start.at(None).source.ids()) == 3


def test_a_changed_file_is_reloaded_by_itself(
    make_runtime: MakeRuntime, write_scenario: WriteScenario, load_context: LoadContext
) -> None:
    """With a poll interval, a request after a file changed sees the new version."""
    path = write_scenario("mine", mailings={"generate": {"count": 2}})
    runtime = make_runtime(
        start="mine", library=ScenarioLibrary([path.parent], load_context), limits={"reload_interval": 0.0}
    )
    path.write_text("name: mine\ndescription: five\nmailings: {generate: {count: 5}}\n")
    runtime.refresh()
    assert len(runtime.start.at(None).source.ids()) == 5


def test_an_active_scenario_that_no_longer_loads_serves_the_start_one(
    make_runtime: MakeRuntime, write_scenario: WriteScenario, load_context: LoadContext
) -> None:
    """If the active scenario's file disappears, the start scenario answers."""
    path = write_scenario("mine")
    write_scenario("other")
    runtime = make_runtime(start="other", library=ScenarioLibrary([path.parent], load_context))
    runtime.store.set_active("mine")
    assert runtime.active().name == "mine"
    path.unlink()
    runtime.reload()
    assert runtime.active().name == "other"
    with pytest.raises(ScenarioError):
        runtime.behaviour("mine")


def test_holds_are_bounded(make_runtime: MakeRuntime) -> None:
    """With every hold slot taken, a timeout does not hold (it drops at once); the hold is capped."""
    entered, release = threading.Event(), threading.Event()
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        entered.set()
        release.wait(10)

    runtime = make_runtime(limits={"hold_slots": 1, "max_hold_ms": 1500}, sleep=sleep)
    holder = threading.Thread(target=runtime.hold, args=(60_000,))
    holder.start()
    assert entered.wait(10)
    assert runtime.hold(1000) is False
    release.set()
    holder.join(10)
    assert slept == [1.5]
    assert runtime.hold(1000) is True


def test_requests_are_counted_per_session_only_for_faulty_scenarios(make_runtime: MakeRuntime) -> None:
    """flaky counts per (session, scenario, endpoint); default, without faults or jitter, counts nothing."""
    runtime = make_runtime()
    runtime.store.put_session("qa", None, None)
    calm = runtime.select(Asked(parse_query(b"")))
    runtime.decide(calm, "view")
    flaky_server = runtime.select(Asked(parse_query(b""), scenario=("flaky", "header")))
    flaky_qa = runtime.select(Asked(parse_query(b""), scenario=("flaky", "header"), session=("qa", "header")))
    for _ in range(3):
        runtime.decide(flaky_server, "view")
    runtime.decide(flaky_qa, "view")
    rows = dict(runtime.store.read("SELECT scope, n FROM counters"))
    assert rows == {"-|flaky|view": 3, "qa|flaky|view": 1}


def test_a_preferred_answer_is_not_counted(make_runtime: MakeRuntime) -> None:
    """decide(faults_too=False) gives the fixed latency only and leaves the fault sequence alone."""
    runtime = make_runtime()
    chosen = runtime.select(Asked(parse_query(b""), scenario=("slow", "header")))
    assert runtime.decide(chosen, "index", faults_too=False).delay_ms == 1500
    assert runtime.store.read("SELECT count(*) FROM counters") == [(0,)]


def test_the_state_key_moves_with_every_change(make_runtime: MakeRuntime, write_scenario: WriteScenario) -> None:
    """state_key() changes with a control change and with a reload of the files, and not otherwise."""
    runtime = make_runtime()
    first = runtime.state_key()
    assert runtime.state_key() == first
    runtime.store.set_active("empty")
    second = runtime.state_key()
    assert second[0] > first[0]
    runtime.reload()
    assert runtime.state_key() == (second[0], second[1] + 1)


def test_a_reopened_runtime_uses_a_new_connection_to_the_same_state(make_runtime: MakeRuntime, tmp_path: Path) -> None:
    """After close() and reopen() (a forked worker) the runtime reads and writes the same shared state."""
    runtime = make_runtime(local(tmp_path))
    runtime.store.set_active("empty")
    runtime.close()
    runtime.reopen()
    assert runtime.refresh().active == "empty"
    runtime.store.set_active("single")
    other = LocalStore(tmp_path)
    assert other.snapshot().active == "single"
    other.close()
    runtime.close()


@pytest.mark.parametrize("backend", ["local", "redis"])
def test_an_expired_session_is_gone_at_the_next_request(
    make_runtime: MakeRuntime, request: pytest.FixtureRequest, backend: str
) -> None:
    """With a session TTL, the first request after a session expires finds it gone, and the state key moved."""
    url = request.getfixturevalue("redis_url") if backend == "redis" else None
    state = open_state(StateSettings(url=url, journal_limit=100, session_ttl=0.05))
    runtime = make_runtime(state)
    try:
        session = runtime.store.put_session("qa", "empty", None)
        key = runtime.state_key()
        assert "qa" in runtime.refresh().sessions
        assert session.expires is not None
        while time.time() < session.expires:  # the TTL runs on the wall clock
            time.sleep(session.expires - time.time())
        assert "qa" not in runtime.refresh().sessions
        assert runtime.state_key() != key
    finally:
        runtime.close()
