"""Selection: which scenario, session and clock answer a request, most specific first."""

from __future__ import annotations

from types import MappingProxyType

import pytest

from contract.php import parse_query
from mockserver.control.scene import Behaviour, Overrides
from mockserver.control.selection import Asked, read_request, select
from mockserver.errors import ControlError, ScenarioError
from mockserver.scenario.library import ScenarioLibrary
from mockserver.state.clock import Pin
from mockserver.state.records import Session, Snapshot


@pytest.fixture(scope="module")
def behaviours(library: ScenarioLibrary) -> dict[str, Behaviour]:
    """Behaviours of a few shipped scenarios."""
    return {name: Behaviour.build(library.get(name), Overrides()) for name in ("default", "empty", "single", "flaky")}


def resolver(behaviours: dict[str, Behaviour]) -> object:
    """A resolve function over the behaviours (ScenarioError for other names)."""

    def resolve(name: str) -> Behaviour:
        if name not in behaviours:
            raise ScenarioError(f"no scenario named {name!r}")
        return behaviours[name]

    return resolve


def state(active: str | None = None, clock: Pin | None = None, **sessions: Session) -> Snapshot:
    """A snapshot of the shared state."""
    return Snapshot(1, active, clock, 0, MappingProxyType(sessions))


def test_the_request_is_read_and_the_mock_parameters_removed() -> None:
    """__scenario, __session and __code are read and leave the query the backend emulation reads."""
    query = parse_query(b"fields=%5B%22id%22%5D&__scenario=empty&__session=qa&__code=404")
    asked = read_request(query, {}, {})
    assert (asked.scenario, asked.session, asked.code) == (("empty", "query"), ("qa", "query"), 404)
    assert asked.query.names() == ("fields",)


def test_query_beats_header_beats_cookie() -> None:
    """The query parameter wins over the header, which wins over the cookie (blank values do not count)."""
    headers = {"X-Mock-Scenario": "b", "X-Mock-Session": " "}
    cookies = {"mock_scenario": "c", "mock_session": "s"}
    assert read_request(parse_query(b"__scenario=a"), headers, cookies).scenario == ("a", "query")
    assert read_request(parse_query(b""), headers, cookies).scenario == ("b", "header")
    assert read_request(parse_query(b""), {}, cookies).scenario == ("c", "cookie")
    assert read_request(parse_query(b""), headers, cookies).session == ("s", "cookie")


@pytest.mark.parametrize(
    ("asked", "snapshot", "name", "via"),
    [
        (Asked(parse_query(b""), scenario=("single", "header")), state("empty"), "single", "header"),
        (
            Asked(parse_query(b""), session=("qa", "header")),
            state("empty", qa=Session("qa", "single", None, 0)),
            "single",
            "session",
        ),
        (
            Asked(parse_query(b""), session=("qa", "header")),
            state("empty", qa=Session("qa", None, None, 0)),
            "empty",
            "server",
        ),
        (Asked(parse_query(b"")), state("empty"), "empty", "server"),
        (Asked(parse_query(b"")), state(), "default", "start"),
    ],
)
def test_the_precedence(
    behaviours: dict[str, Behaviour], asked: Asked, snapshot: Snapshot, name: str, via: str
) -> None:
    """Request, then session, then server, then start."""
    chosen = select(asked, snapshot, resolver(behaviours), behaviours["default"])  # type: ignore[arg-type]
    assert (chosen.scene.behaviour.name, chosen.scenario_via) == (name, via)


@pytest.mark.parametrize(
    ("session_clock", "server_clock", "now", "via"),
    [(Pin(10), Pin(20), 10, "session"), (None, Pin(20), 20, "server"), (None, None, 1733356800, "scenario")],
)
def test_the_clock_precedence(
    behaviours: dict[str, Behaviour], session_clock: Pin | None, server_clock: Pin | None, now: int, via: str
) -> None:
    """The session's clock, else the server's, else the scenario's own."""
    snapshot = state(None, server_clock, qa=Session("qa", None, session_clock, 0))
    chosen = select(
        Asked(parse_query(b""), session=("qa", "header")), snapshot, resolver(behaviours), behaviours["default"]
    )  # type: ignore[arg-type]
    assert (chosen.scene.now, chosen.clock_via) == (now, via)


def test_an_unknown_requested_scenario_is_a_400(behaviours: dict[str, Behaviour]) -> None:
    """A scenario the request names that does not load raises ControlError 400 saying where it came from."""
    with pytest.raises(ControlError, match=r'unknown scenario "nope" \(cookie\)') as info:
        select(
            Asked(parse_query(b""), scenario=("nope", "cookie")), state(), resolver(behaviours), behaviours["default"]
        )  # type: ignore[arg-type]
    assert info.value.status == 400


@pytest.mark.parametrize("via", ["query", "header", "cookie"])
def test_an_over_long_requested_name_is_a_400_that_says_why(behaviours: dict[str, Behaviour], via: str) -> None:
    """A 300-byte scenario name (longer than a file name may be) is a 400 saying how long a name may be."""
    asked = Asked(parse_query(b""), scenario=("a" * 295 + ".yaml", via))
    with pytest.raises(ControlError, match=rf"scenario name \({via}\) of 300 characters: too long") as info:
        select(asked, state(), resolver(behaviours), behaviours["default"])  # type: ignore[arg-type]
    assert info.value.status == 400


@pytest.mark.parametrize("name", ["/etc/hosts.yaml", "/nonexistent/x.yaml", "single.yaml", "../scenarios/single.yaml"])
def test_a_requested_path_is_refused_without_a_word_on_files(
    behaviours: dict[str, Behaviour], library: ScenarioLibrary, name: str
) -> None:
    """A path from an API client is a 400 whatever exists there, naming neither the file's fate nor the folders."""
    resolve = library.get  # the real resolver: it must never be asked
    with pytest.raises(ControlError) as info:
        select(Asked(parse_query(b""), scenario=(name, "query")), state(), resolve, behaviours["default"])  # type: ignore[arg-type]
    assert info.value.status == 400
    message = info.value.message
    assert "never a file" in message
    assert not any(str(directory) in message for directory in library.dirs)
    assert "no scenario file there" not in message
    assert "outside" not in message


def test_a_stored_scenario_that_no_longer_loads_falls_back_with_a_warning(behaviours: dict[str, Behaviour]) -> None:
    """An active scenario whose file went away serves the start one and says so."""
    chosen = select(Asked(parse_query(b"")), state("gone"), resolver(behaviours), behaviours["default"])  # type: ignore[arg-type]
    assert chosen.scene.behaviour.name == "default"
    assert 'scenario "gone" cannot be served' in chosen.warnings[0]


def test_a_bad_or_unknown_session_warns(behaviours: dict[str, Behaviour]) -> None:
    """A malformed session id is ignored; a well-formed unknown one is kept (journalled) with a warning."""
    bad = read_request(parse_query(b""), {"X-Mock-Session": "a/b"}, {})
    assert (bad.session, "is not valid" in bad.warnings[0]) == (None, True)
    chosen = select(
        Asked(parse_query(b""), session=("ghost", "header")), state(), resolver(behaviours), behaviours["default"]
    )  # type: ignore[arg-type]
    assert chosen.session == "ghost"
    assert "does not exist" in chosen.warnings[0]
