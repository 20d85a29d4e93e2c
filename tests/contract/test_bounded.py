"""Bounded answers (contract/bounded.py, contract/deadline.py): one deadline per request, a cap on decoded bytes."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from contract.bounded import BoundedAdapter, Limits, NoAnswer, bounded_session
from contract.budget import BudgetExhausted, Clock
from tests.contract.hostile import TRICKLE_SECONDS, Hostile, hostile_server

pytestmark = pytest.mark.slow

MiB = 1024 * 1024


@pytest.fixture(scope="module")
def hostile() -> Iterator[Hostile]:
    """The hostile servers, on one port-0 socket."""
    with hostile_server() as running:
        yield running


def session(timeout: float = 1.0, max_body: int = MiB, budget: float = 60) -> requests.Session:
    """A session whose requests go through a bounded adapter."""
    return bounded_session({}, BoundedAdapter(Limits(timeout, max_body), Clock(budget)))


def test_a_trickle_ends_at_the_deadline(hostile: Hostile) -> None:
    """A byte every half second never trips a per-read timeout; the request's deadline ends it all the same."""
    started = time.monotonic()
    with pytest.raises(NoAnswer, match="no answer within 1 s") as error:
        session(timeout=1.0).get(hostile.url("trickle"))
    assert error.value.check == "no-answer"
    assert 1.0 <= time.monotonic() - started < 1.0 + 2 * TRICKLE_SECONDS


@pytest.mark.parametrize("kind", ["silence", "big-header"])
def test_every_missing_answer_is_one_type(kind: str, hostile: Hostile) -> None:
    """Silence past the deadline and an unreadable head are the same NoAnswer, a transport error for schemathesis."""
    with pytest.raises(NoAnswer) as error:
        session(timeout=0.5).get(hostile.url(kind))
    assert isinstance(error.value, requests.exceptions.ChunkedEncodingError)
    assert error.value.check == "no-answer"


@pytest.mark.parametrize("kind", ["huge", "bomb"])
def test_a_body_over_the_cap_is_abandoned(kind: str, hostile: Hostile) -> None:
    """A 2 GiB body and a gzip bomb (1 GiB decoded) stop at the cap, counted in decoded bytes."""
    started = time.monotonic()
    with pytest.raises(NoAnswer, match="passed --max-body 4 MiB") as error:
        session(timeout=10, max_body=4 * MiB).get(hostile.url(kind))
    assert error.value.check == "body-size"
    assert time.monotonic() - started < 5


def test_the_budget_ends_a_request_and_refuses_the_next(hostile: Hostile) -> None:
    """The end of the run's budget cuts the request in flight; after it nothing is sent."""
    adapter = BoundedAdapter(Limits(timeout=30, max_body=MiB), Clock(1.0))
    client = bounded_session({}, adapter)
    with pytest.raises(BudgetExhausted):
        client.get(hostile.url("silence"))
    with pytest.raises(BudgetExhausted):
        client.get(hostile.url("ready"))
    assert adapter.sent == 1


def test_a_callers_timeout_is_not_used(hostile: Hostile) -> None:
    """schemathesis' shortened timeout is ignored: every request gets the suite's own deadline."""
    response = session(timeout=5).get(hostile.url("ready"), timeout=0.000001)
    assert (response.status_code, response.content) == (200, b"{}")


def test_a_refused_connection_is_not_a_missing_answer(closed_url: str) -> None:
    """No connection at all stays a ConnectionError: the server cannot be reached, which is not a finding."""
    with pytest.raises(requests.ConnectionError) as error:
        session().get(closed_url)
    assert not isinstance(error.value, NoAnswer)


@pytest.fixture
def silent_resolver(monkeypatch: pytest.MonkeyPatch) -> str:
    """A host whose name lookup answers only after 5 s (a resolver that times out), others as usual."""
    real = socket.getaddrinfo
    host = "silent-resolver.invalid"

    def lookup(name: Any, *args: Any, **kwargs: Any) -> Any:
        if name == host:
            time.sleep(5)
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    return host


def test_a_name_lookup_that_hangs_ends_at_the_deadline(silent_resolver: str) -> None:
    """getaddrinfo has no timeout: a silent resolver is given up on at the deadline; the server cannot be reached."""
    started = time.monotonic()
    with pytest.raises(requests.ConnectionError, match=r"no connection within 0\.5 s \(name lookup") as error:
        session(timeout=0.5).get(f"http://{silent_resolver}/")
    assert not isinstance(error.value, NoAnswer)
    assert time.monotonic() - started < 2


def test_a_name_lookup_that_hangs_ends_at_the_budget(silent_resolver: str) -> None:
    """When the run's budget ends first, the hanging lookup ends the run's budget, not later."""
    started = time.monotonic()
    with pytest.raises(BudgetExhausted):
        session(timeout=30, budget=0.5).get(f"http://{silent_resolver}/")
    assert time.monotonic() - started < 2


def test_connections_are_made_as_before(hostile: Hostile, closed_url: str) -> None:
    """Through the helper thread, a connection is the same: answers come, and a refusal is still a ConnectionError."""
    # A session each: the hostile server answers one request per connection.
    assert [session(timeout=5).get(hostile.url("ready")).status_code for _ in range(3)] == [200, 200, 200]
    with pytest.raises(requests.ConnectionError) as error:
        session().get(closed_url)
    assert not isinstance(error.value, NoAnswer)
