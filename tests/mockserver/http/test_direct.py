"""A miss answered without Flask: the same bytes, headers and journal entry as through Flask; the rest goes to Flask."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from werkzeug.test import Client, EnvironBuilder

from mockserver.http.direct import Direct, DirectAnswers, Routes
from mockserver.http.fastpath import FastPath
from tests.mockserver.http.test_fastpath import (
    ALL_FIELDS,
    INDEX,
    ROUTING_ONLY,
    Ask,
    answer,
    headers_read,
    requests_for,
    scenario_names,
    state_of,
)

# The journal's fields that differ between two requests by nature: when, how long, which process, the number.
VARYING = ("seq", "time", "unix", "duration_ms", "worker")


def direct_of(app: Flask) -> DirectAnswers:
    """The direct answers of an app with the answer cache."""
    fast = app.wsgi_app
    assert isinstance(fast, FastPath)
    assert fast.direct is not None
    return fast.direct


def counting(app: Flask, monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Note, for each miss, whether it was answered directly (True) or went to Flask (False)."""
    direct = direct_of(app)
    seen: list[bool] = []
    original = DirectAnswers.__call__

    def call(self: DirectAnswers, environ: Any, started: float) -> Direct | None:
        done = original(self, environ, started)
        seen.append(done is not None)
        return done

    monkeypatch.setattr(direct, "__class__", type("Counted", (DirectAnswers,), {"__call__": call}))
    return seen


def journal(app: Flask) -> list[dict[str, Any]]:
    """Every journal entry of an app, opened in full, less what varies by nature."""
    client = app.test_client()
    listed = client.get("/__mock/journal").json
    assert listed is not None
    opened = []
    for entry in listed["entries"]:
        full = client.get(f"/__mock/journal/{entry['seq']}").json
        assert full is not None
        full["entry"] = {key: value for key, value in full["entry"].items() if key not in VARYING}
        opened.append(full)
    return opened


@pytest.mark.parametrize("scenario", scenario_names())
def test_direct_answers_and_entries_are_flasks(make_pair: Any, monkeypatch: pytest.MonkeyPatch, scenario: str) -> None:
    """Every GET of every scenario gets the same status, headers, bytes and journal entry with and without Flask."""
    cached, uncached = make_pair(scenario)
    directly = counting(cached, monkeypatch)
    source = state_of(uncached).control.start.at(state_of(uncached).control.start.scenario.clock).source
    ids = source.ids()
    first = ids[0] if len(ids) else None
    asks = [a for a in requests_for(first, whole_index=len(ids) <= 2000) if a.method == "GET"]
    # Warnings of the selection (a session that does not exist) and of the answer (`fields` with commas).
    asks.append(Ask("GET", f"{INDEX}/{first or 1}?fields=id,common&x=1", (("X-Mock-Session", "ghost"),)))
    with_direct, through_flask = Client(cached), Client(uncached)
    for ask in asks:
        assert answer(with_direct, ask) == answer(through_flask, ask), ask
    assert journal(cached) == journal(uncached)
    if scenario in ("default", "large", "all-error-codes", "unicode-and-extremes"):
        assert sum(directly) >= len(asks) // 2


def test_echoed_origins_are_answered_as_flask_does(make_pair: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """With CORS credentials the Origin is echoed with Vary, directly as through Flask."""
    cached, uncached = make_pair("default", SENDSTAT_CORS_CREDENTIALS=True)
    directly = counting(cached, monkeypatch)
    for ask in (Ask("GET", f"{INDEX}/1", (("Origin", "http://a.test"),)), Ask("GET", f"{INDEX}/1?x=1")):
        assert answer(Client(cached), ask) == answer(Client(uncached), ask)
    assert directly == [True, True]


def test_without_cors_no_cors_header_is_sent(make_pair: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """With CORS off, a direct answer carries no Access-Control header, as Flask's."""
    cached, uncached = make_pair("default", SENDSTAT_CORS=False)
    directly = counting(cached, monkeypatch)
    ask = Ask("GET", f"{INDEX}/1", (("Origin", "http://a.test"),))
    found = answer(Client(cached), ask)
    assert found == answer(Client(uncached), ask)
    assert not [name for name, _ in found[1] if name.startswith("Access-Control")]
    assert directly == [True]


def ask_directly(app: Flask, ask: Ask) -> Direct | None:
    """What the direct answers make of one request."""
    path, _, query = ask.target.partition("?")
    builder = EnvironBuilder(path=path, method=ask.method, headers=list(ask.headers), query_string=query)
    try:
        return direct_of(app)(builder.get_environ(), 0.0)
    finally:
        builder.close()


@pytest.mark.parametrize(
    ("scenario", "ask"),
    [
        ("default", Ask("HEAD", f"{INDEX}/1")),
        ("default", Ask("GET", f"{INDEX}/1", (("Prefer", "code=404"),))),
        ("default", Ask("GET", f"{INDEX}/1?__code=404")),
        ("default", Ask("GET", f"{INDEX}/1?__scenario=nope")),
        ("default", Ask("GET", f"{INDEX}/1/2")),
        ("default", Ask("GET", "/health")),
        ("default", Ask("GET", f"{INDEX}/%D0%B9")),
        ("empty", Ask("GET", INDEX)),
        ("large", Ask("GET", INDEX)),
        ("slow", Ask("GET", f"{INDEX}/1")),
        ("flaky", Ask("GET", INDEX)),
        ("auth-required", Ask("GET", f"{INDEX}/1")),
        ("auth-required", Ask("GET", f"{INDEX}/1", (("X-Estis-Auth", "wrong"),))),
    ],
    ids=lambda value: value if isinstance(value, str) else f"{value.method} {value.target} {value.headers}",
)
def test_requests_that_need_flask_go_to_flask(make_pair: Any, scenario: str, ask: Ask) -> None:
    """HEAD, a preferred code, an unknown scenario, other paths, a non-ASCII path, a 204, a streamed index,
    latency, faults and a refused key are left to Flask."""
    cached, _ = make_pair(scenario)
    assert ask_directly(cached, ask) is None


@pytest.mark.parametrize(
    ("scenario", "ask", "status"),
    [
        ("default", Ask("GET", f"{INDEX}/{{first}}?fields={ALL_FIELDS}"), "200 OK"),
        ("default", Ask("GET", INDEX), "200 OK"),
        ("default", Ask("GET", f"{INDEX}/1?fields=%5B%22nope%22%5D"), "400 BAD REQUEST"),
        ("default", Ask("GET", f"{INDEX}/999999"), "404 NOT FOUND"),
        ("default", Ask("GET", f"{INDEX}/12abc"), "404 NOT FOUND"),
        ("auth-required", Ask("GET", f"{INDEX}/{{first}}", (("X-Estis-Auth", "qa-key-1"),)), "200 OK"),
    ],
)
def test_plain_requests_are_answered_directly(make_pair: Any, scenario: str, ask: Ask, status: str) -> None:
    """A view, a small index, a bad `fields`, an unknown id and an accepted key are answered without Flask."""
    cached, _ = make_pair(scenario)
    first = state_of(cached).control.start.at(None).source.ids()[0]
    done = ask_directly(cached, Ask(ask.method, ask.target.format(first=first), ask.headers))
    assert done is not None
    assert done.status == status
    assert done.entry.status == int(status.split()[0])


@pytest.mark.parametrize("scenario", ["default", "auth-required", "all-error-codes", "in-progress"])
def test_direct_answers_read_only_keyed_headers(make_pair: Any, scenario: str) -> None:
    """A header read while answering directly is one the fast path keys by, so no direct answer is kept wrongly."""
    cached, _ = make_pair(scenario)
    first = next(iter(state_of(cached).control.start.at(None).source.ids()), None)
    keyed = set(cached.wsgi_app.headers) | ROUTING_ONLY  # type: ignore[attr-defined]
    for ask in [ask for ask in requests_for(first, whole_index=True) if ask.method == "GET"]:
        answers = state_of(cached).answers
        assert answers is not None
        answers.clear()
        environ = headers_read(cached, ask)
        assert environ.read <= keyed, ask
        assert not environ.listed, ask


def test_routes_are_the_documents_get_operations() -> None:
    """Literal paths and templates with one last-segment parameter are routed; other templates are not."""
    routes = Routes.of(
        {
            INDEX: {"get": {"operationId": "list"}},
            INDEX + "/{id}": {"get": {"operationId": "view"}, "parameters": []},
            "/a/{x}/b": {"get": {"operationId": "other"}},
            "/post": {"post": {"operationId": "write"}},
        }
    )
    assert routes.find(INDEX) == ("list", ())
    assert routes.find(INDEX + "/12") == ("view", ("12",))
    assert routes.find(INDEX + "/") is None
    assert routes.find("/a/1/b") is None
    assert routes.find("/post") is None


def test_a_query_that_is_not_latin_1_goes_to_flask(make_pair: Any) -> None:
    """A QUERY_STRING a server should not give (a character above U+00FF) is left to Flask, never raised."""
    cached, _ = make_pair("default")
    builder = EnvironBuilder(path=f"{INDEX}/2")
    try:
        environ = builder.get_environ()
    finally:
        builder.close()
    environ["QUERY_STRING"] = "fields=\u0100"
    assert direct_of(cached)(environ, 0.0) is None
