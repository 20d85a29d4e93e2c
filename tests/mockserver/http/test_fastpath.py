"""The fast path: cached answers equal uncached ones byte for byte; changes of state invalidate them; the journal."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import yaml
from flask import Flask, Response, request
from werkzeug.test import Client, EnvironBuilder, TestResponse

from mockserver.http.app import answer_headers
from mockserver.http.context import EXTENSION, MockState
from mockserver.http.fastpath import ApiPaths, key_environ
from mockserver.scenario.library import ScenarioLibrary
from tests.conftest import MakeApp

INDEX = "/mailer/sendstatistics"
ALL_FIELDS = quote('["id","common","open_time","click_statistic","domain_statistic","errors"]', safe="")
SOME_FIELDS = quote('["id","common"]', safe="")
BAD_FIELDS = quote('["nope"]', safe="")


@dataclass(frozen=True)
class Ask:
    """One request of the comparison: method, target, headers."""

    method: str
    target: str
    headers: tuple[tuple[str, str], ...] = ()


def requests_for(first_id: int | None, *, whole_index: bool) -> list[Ask]:
    """The requests every scenario is asked: index and views, fields, ids, warnings, CORS, auth, Prefer, HEAD."""
    view = f"{INDEX}/{first_id or 1}"
    asks = [
        Ask("HEAD", INDEX),
        Ask("GET", view),
        Ask("GET", f"{view}?fields={ALL_FIELDS}"),
        Ask("GET", f"{view}?fields={SOME_FIELDS}"),
        Ask("GET", f"{view}?fields=id,common"),
        Ask("GET", f"{view}?fields={BAD_FIELDS}"),
        Ask("GET", f"{view}?fields=%5B"),
        Ask("HEAD", f"{view}?fields={ALL_FIELDS}"),
        Ask("GET", f"{INDEX}/999999999"),
        Ask("GET", f"{INDEX}/12abc"),
        Ask("GET", f"{view}?fildes=1&__code=404"),
        Ask("GET", view, (("Origin", "http://localhost:5173"),)),
        Ask("GET", view, (("X-Estis-Auth", "qa-key-1"),)),
        Ask("GET", view, (("X-Estis-Auth", "wrong"),)),
        Ask("GET", view, (("Prefer", "code=403"),)),
        Ask("GET", view, (("Prefer", "code=200"),)),
        Ask("GET", view, (("Cookie", "mock_session=nobody"),)),
        Ask("GET", view, (("X-Mock-Scenario", "single"),)),
        Ask("GET", f"{view}?__scenario=nope"),
        Ask("OPTIONS", view, (("Origin", "http://app.test"), ("Access-Control-Request-Method", "GET"))),
    ]
    if whole_index:
        asks += [
            Ask("GET", INDEX),
            Ask("GET", f"{INDEX}?limit=10&page=2&sort_field=title"),
            Ask("GET", INDEX, (("Origin", "http://app.test"), ("X-Estis-Auth", "qa-key-2"))),
        ]
    return asks


def state_of(app: Flask) -> MockState:
    """Return an app's mock state."""
    state: MockState = app.extensions[EXTENSION]
    return state


def answer(client: Client, ask: Ask) -> tuple[int, list[tuple[str, str]], bytes]:
    """Send a request and return its status, headers and body bytes."""
    response: TestResponse = client.open(ask.target, method=ask.method, headers=list(ask.headers))
    return response.status_code, [(k, v) for k, v in response.headers.items() if k != "Date"], response.get_data()


def scenario_names() -> list[str]:
    """The scenario names of the shared library, read the way the fixture builds it."""
    from contract.spec import Contract
    from mockserver.scenario.library import LoadContext, default_scenario_dirs
    from tests.conftest import TEST_SCENARIOS

    dirs = [TEST_SCENARIOS, *default_scenario_dirs()]
    return ScenarioLibrary(dirs, LoadContext.create(Contract.load(validate=False)), lazy=True).names()


@pytest.mark.parametrize("scenario", scenario_names())
def test_cached_answers_are_the_uncached_ones_byte_for_byte(make_pair: Any, scenario: str) -> None:
    """Every request, sent twice with the cache and twice without, gets the same status, headers and bytes."""
    cached, uncached = make_pair(scenario)
    source = state_of(uncached).control.start.at(state_of(uncached).control.start.scenario.clock).source
    ids = source.ids()
    # The large index takes seconds to encode; its bytes are compared by test_a_streamed_index_is_the_whole_one.
    asks = requests_for(ids[0] if len(ids) else None, whole_index=len(ids) <= 2000)
    with_cache, without = Client(cached), Client(uncached)
    for ask in asks:
        expected = [answer(without, ask), answer(without, ask)]
        assert [answer(with_cache, ask), answer(with_cache, ask)] == expected, ask


def test_an_echoed_origin_is_part_of_the_key(make_pair: Any) -> None:
    """With CORS credentials each Origin is echoed: answers to two origins never mix."""
    cached, uncached = make_pair("default", SENDSTAT_CORS_CREDENTIALS=True)
    for origin in ("http://a.test", "http://b.test", "http://a.test"):
        ask = Ask("GET", f"{INDEX}/1", (("Origin", origin),))
        assert answer(Client(cached), ask) == answer(Client(uncached), ask)
        assert answer(Client(cached), ask)[1].count(("Access-Control-Allow-Origin", origin)) == 1


def test_a_repeated_request_is_answered_from_the_cache(make_app: MakeApp, monkeypatch: pytest.MonkeyPatch) -> None:
    """The second identical request finds its answer kept: no scenario is selected, no answer built again."""
    app = make_app()
    control = state_of(app).control
    selected: list[object] = []
    select = control.select
    monkeypatch.setattr(control, "select", lambda asked: selected.append(asked) or select(asked))
    client = app.test_client()
    first = client.get(f"{INDEX}/1?fields={ALL_FIELDS}")
    second = client.get(f"{INDEX}/1?fields={ALL_FIELDS}")
    assert (second.status_code, second.data, second.headers) == (first.status_code, first.data, first.headers)
    assert len(selected) == 1
    answers = state_of(app).answers
    assert answers is not None
    assert len(answers) == 1


@pytest.mark.parametrize("scenario", ["slow", "flaky", "half-faults", "fault-500", "fault-truncate", "fault-timeout"])
def test_faults_and_latency_are_never_kept(make_app: MakeApp, scenario: str) -> None:
    """An endpoint with latency or faults is answered through the app every time: nothing is kept."""
    slept: list[float] = []
    app = make_app(SENDSTAT_SOURCE=None, SENDSTAT_SCENARIO=scenario, SENDSTAT_SLEEP=slept.append)
    client = app.test_client()
    for _ in range(3):
        client.get(INDEX).get_data()
        client.get(f"{INDEX}/1").get_data()
    answers = state_of(app).answers
    assert answers is not None
    assert len(answers) == 0
    if scenario == "slow":
        assert len(slept) == 6


def test_a_forced_fault_is_never_kept(make_app: MakeApp, tmp_path: Path) -> None:
    """A forced answer marked as a fault is built every time; the scenario's other answers are kept."""
    document = {
        "name": "forcing",
        "description": "Forced.",
        "mailings": {"generate": {"count": 3}},
        "forced": {"2": {"status": 500, "body": {"message": "boom"}, "fault": True}},
    }
    (tmp_path / "forcing.yaml").write_text(yaml.safe_dump(document))
    app = make_app(
        SENDSTAT_SOURCE=None,
        SENDSTAT_SCENARIO_LIBRARY=None,
        SENDSTAT_SCENARIO_DIRS=[str(tmp_path)],
        SENDSTAT_SCENARIO="forcing",
    )
    client = app.test_client()
    for _ in range(2):
        assert client.get(f"{INDEX}/2").headers["X-Mock-Fault"] == "forced"
        assert client.get(f"{INDEX}/1").status_code == 200
    answers = state_of(app).answers
    assert answers is not None
    assert [key[2] for key in answers.keys_by_use()] == [f"{INDEX}/1"]  # type: ignore[index]
    state_of(app).control.close()


def test_a_switch_of_scenario_invalidates_kept_answers(make_app: MakeApp) -> None:
    """After PUT /__mock/scenario the next request answers from the new scenario, not the kept answer."""
    client = make_app(SENDSTAT_SOURCE=None).test_client()
    assert client.get(INDEX).status_code == 200
    assert client.get(INDEX).status_code == 200
    client.put("/__mock/scenario", json={"name": "empty"})
    assert client.get(INDEX).status_code == 204
    client.delete("/__mock/scenario")
    assert client.get(INDEX).status_code == 200


def test_a_switch_through_another_worker_invalidates_kept_answers(make_app: MakeApp, tmp_path: Path) -> None:
    """Two apps on one state directory: a switch through one is seen by the other's very next request."""
    first, second = (make_app(SENDSTAT_SOURCE=None, SENDSTAT_STATE_DIR=str(tmp_path)) for _ in range(2))
    reader = second.test_client()
    assert [reader.get(INDEX).status_code for _ in range(2)] == [200, 200]
    assert first.test_client().put("/__mock/scenario", json={"name": "empty"}).status_code == 200
    assert reader.get(INDEX).status_code == 204
    for app in (first, second):
        state_of(app).control.close()


def test_a_clock_change_invalidates_kept_answers(make_pair: Any) -> None:
    """Moving the server's clock changes in-progress' open counts at once, as without the cache."""
    cached, uncached = make_pair("in-progress")
    target = f"{INDEX}/22?fields={ALL_FIELDS}"
    before = cached.test_client().get(target).data
    assert cached.test_client().get(target).data == before
    for app in (cached, uncached):
        assert app.test_client().post("/__mock/clock/advance", json={"seconds": 7200}).status_code == 200
    after = cached.test_client().get(target).data
    assert after != before
    assert after == uncached.test_client().get(target).data


def test_a_new_session_invalidates_kept_answers(make_app: MakeApp) -> None:
    """A request naming a missing session is warned; once the session exists, the warning is gone."""
    client = make_app(SENDSTAT_SOURCE=None).test_client()
    headers = {"X-Mock-Session": "qa"}
    assert "does not exist" in client.get(INDEX, headers=headers).headers["X-Mock-Warning"]
    assert "does not exist" in client.get(INDEX, headers=headers).headers["X-Mock-Warning"]
    client.put("/__mock/sessions/qa", json={"scenario": "single"})
    response = client.get(INDEX, headers=headers)
    assert ("X-Mock-Warning" not in response.headers, response.headers["X-Mock-Scenario"]) == (True, "single")


def test_a_reload_invalidates_kept_answers(make_app: MakeApp, tmp_path: Path) -> None:
    """A scenario file edited and reloaded serves its new content at once."""
    path = tmp_path / "mine.yaml"

    def write(title: str) -> None:
        document = {"name": "mine", "description": "Mine.", "mailings": {"pinned": [{"id": 1, "letter_title": title}]}}
        path.write_text(yaml.safe_dump(document, allow_unicode=True))

    write("Before")
    app = make_app(
        SENDSTAT_SOURCE=None,
        SENDSTAT_SCENARIO_LIBRARY=None,
        SENDSTAT_SCENARIO_DIRS=[str(tmp_path)],
        SENDSTAT_SCENARIO="mine",
    )
    client = app.test_client()
    assert b"Before" in client.get(INDEX).data
    assert b"Before" in client.get(INDEX).data
    write("After")
    assert client.post("/__mock/reload").status_code == 200
    assert b"After" in client.get(INDEX).data
    state_of(app).control.close()


def test_cache_hits_are_journalled_like_misses(make_app: MakeApp) -> None:
    """Three identical requests (one built, two from the cache) give three entries alike but for time and duration."""
    app = make_app(SENDSTAT_SOURCE=None)
    client = app.test_client()
    for _ in range(3):
        client.get(f"{INDEX}/1?fields=id,common", headers={"X-Mock-Session": "qa"})
    entries = client.get("/__mock/journal").json["entries"]  # type: ignore[index]
    assert len(entries) == 3
    alike = [{k: v for k, v in entry.items() if k not in ("seq", "time", "unix", "duration_ms")} for entry in entries]
    assert alike[0] == alike[1] == alike[2]
    assert alike[0]["session"] == "qa"
    assert alike[0]["query"] == "fields=id,common"
    assert any("comma-separated" in warning for warning in alike[0]["warnings"])
    assert len({entry["seq"] for entry in entries}) == 3


def test_a_cache_hit_opens_in_full_with_its_own_request_headers(make_app: MakeApp) -> None:
    """A hit's entry shows the headers of the request it answered and the kept answer's headers and body."""
    app = make_app(SENDSTAT_SOURCE=None)
    client = app.test_client()
    sent = [client.get(f"{INDEX}/1", headers={"X-Request-Number": str(number)}) for number in range(2)]
    answers = state_of(app).answers
    assert answers is not None
    assert len(answers) == 1
    entries = client.get("/__mock/journal").json["entries"]  # type: ignore[index]
    for number, (entry, response) in enumerate(zip(entries, sent, strict=True)):
        opened = client.get(f"/__mock/journal/{entry['seq']}").json
        assert opened is not None
        assert ["X-Request-Number", str(number)] in opened["request"]["headers"]
        assert opened["response"]["body"] == response.get_data(as_text=True)
        assert ["X-Mock-Scenario", "default"] in opened["response"]["headers"]


def test_a_huge_query_is_answered_without_the_cache(make_app: MakeApp) -> None:
    """A request whose key would be longer than MAX_KEY_CHARS is answered but not kept."""
    app = make_app()
    client = app.test_client()
    response = client.get(f"{INDEX}/1?x={'a' * 5000}")
    assert response.status_code == 200
    answers = state_of(app).answers
    assert answers is not None
    assert len(answers) == 0


def test_the_cache_can_be_turned_off(make_app: MakeApp) -> None:
    """SENDSTAT_ANSWER_CACHE_BYTES=0 keeps no answer and leaves Flask's own WSGI entry in place."""
    app = make_app(SENDSTAT_ANSWER_CACHE_BYTES=0)
    assert state_of(app).answers is None
    assert app.test_client().get(INDEX).status_code == 200


@pytest.mark.parametrize(
    ("path", "matches"),
    [
        (INDEX, True),
        (f"{INDEX}/1", True),
        (f"{INDEX}/abc%20", True),
        (f"{INDEX}/", False),
        (f"{INDEX}/1/2", False),
        (f"{INDEX}x", False),
        ("/mailer", False),
        ("/health", False),
    ],
)
def test_api_paths_are_the_documents(path: str, matches: bool) -> None:
    """A path matches a literal path or a template whose parameter takes one non-empty segment."""
    paths = ApiPaths.of([INDEX, INDEX + "/{id}", "/a/{x}/b"])
    assert paths.matches(path) is matches
    assert paths.matches("/a/1/b")
    assert not paths.matches("/a//b")


def test_header_names_become_environ_keys() -> None:
    """X-Mock-Session is read from HTTP_X_MOCK_SESSION, as WSGI names it."""
    assert key_environ(["X-Mock-Session", "Origin"]) == ("HTTP_X_MOCK_SESSION", "HTTP_ORIGIN")


class RecordingEnviron(dict[str, Any]):
    """A WSGI environ that notes each request header (HTTP_*) the app reads, and whether it read them all."""

    def __init__(self, environ: dict[str, Any]) -> None:
        super().__init__(environ)
        self.read: set[str] = set()
        self.listed = False

    def _note(self, key: object) -> None:
        if isinstance(key, str) and key.startswith("HTTP_"):
            self.read.add(key)

    def __getitem__(self, key: str) -> Any:
        self._note(key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        """Note the key, then read it."""
        self._note(key)
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        self._note(key)
        return super().__contains__(key)

    def items(self) -> Any:
        """Note that every header was read (werkzeug's Headers.getlist iterates them), then list them.

        The journal lists every header to show the request in full (mockserver.state.exchange): that read
        never shapes the answer, and a cached answer's journal row records its own request's headers.
        """
        if sys._getframe(1).f_globals.get("__name__") != JOURNAL_RECORDER:
            self.listed = True
        return super().items()


# The module that lists a request's headers for the journal, not for the answer.
JOURNAL_RECORDER = "mockserver.state.exchange"
# Read by routing (the URL map binds to Host and looks for a WebSocket upgrade); no API answer depends on them.
ROUTING_ONLY = {"HTTP_HOST", "HTTP_CONNECTION", "HTTP_UPGRADE"}


def headers_read(app: Flask, ask: Ask) -> RecordingEnviron:
    """Answer one request through the app (no cache in front) and return what it read of the environ."""
    path, _, query = ask.target.partition("?")
    builder = EnvironBuilder(path=path, method=ask.method, headers=list(ask.headers), query_string=query)
    try:
        environ = RecordingEnviron(builder.get_environ())
    finally:
        builder.close()
    body = app.wsgi_app(environ, lambda status, headers, exc_info=None: lambda data: None)  # type: ignore[arg-type]
    try:
        for _ in body:
            pass
    finally:
        getattr(body, "close", lambda: None)()
    return environ


def unkeyed_reads(app: Flask, asks: list[Ask]) -> set[str]:
    """Return the request headers an API answer read that the fast path does not key answers by."""
    keyed = set(key_environ(answer_headers(state_of(app).contract))) | ROUTING_ONLY
    found: set[str] = set()
    for ask in asks:
        environ = headers_read(app, ask)
        found |= environ.read - keyed
        if environ.listed:
            found.add(f"every header ({ask.method} {ask.target})")
    return found


@pytest.mark.parametrize("scenario", ["default", "auth-required", "all-error-codes", "empty", "in-progress"])
def test_the_key_holds_every_request_header_an_answer_reads(make_pair: Any, scenario: str) -> None:
    """A header read while answering a GET or HEAD of the API is one the fast path keys by, so none is missed."""
    cached, uncached = make_pair(scenario)
    first = next(iter(state_of(uncached).control.start.at(None).source.ids()), None)
    asks = [ask for ask in requests_for(first, whole_index=True) if ask.method in ("GET", "HEAD")]
    assert unkeyed_reads(uncached, asks) == set()
    assert cached.wsgi_app.headers == key_environ(answer_headers(state_of(cached).contract))  # type: ignore[attr-defined]


def test_a_header_read_outside_the_key_is_caught(make_pair: Any) -> None:
    """A view that starts reading another header (here Accept-Language) makes the key test fail."""
    _, uncached = make_pair("default")

    @uncached.before_request
    def read_language() -> None:
        """Read a header nothing declares."""
        request.headers.get("Accept-Language")

    @uncached.after_request
    def list_headers(response: Response) -> Response:
        """Read every header at once, as Headers.getlist does."""
        request.headers.getlist("X-Anything")
        return response

    found = unkeyed_reads(uncached, [Ask("GET", INDEX, (("Accept-Language", "ru"),))])
    assert found == {"HTTP_ACCEPT_LANGUAGE", f"every header (GET {INDEX})"}
