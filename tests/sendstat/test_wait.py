"""`sendstat wait URL` (sendstat/wait.py): ready on 2xx/3xx, a bounded wait, one line either way, exit 0/1/2."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pytest
from werkzeug.serving import BaseWSGIServer, make_server

from sendstat.cli import main
from sendstat.wait import wait_until_ready
from tests.contract.faults.serve import QuietHandler

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

SECRET = "wait-key-do-not-print"


@dataclass
class Answers:
    """A WSGI app answering `status` from the `ready_after`-th request on and 503 before; it notes each request."""

    status: str = "200 OK"
    ready_after: int = 0
    location: str = ""
    seen: list[dict[str, str]] = field(default_factory=list)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Answer one request."""
        self.seen.append({key: str(value) for key, value in environ.items() if key.startswith("HTTP_")})
        ready = len(self.seen) > self.ready_after
        headers = [("Location", self.location)] if ready and self.location else []
        start_response(self.status if ready else "503 Service Unavailable", [*headers, ("Content-Length", "0")])
        return [b""]


@dataclass(frozen=True)
class Server:
    """A server on a free port and the app behind it."""

    url: str
    answers: Answers


@pytest.fixture
def server() -> Iterator[Server]:
    """A server on port 0 in a daemon thread (it listens from its creation on, so no readiness poll is needed)."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    answers = Answers()
    http: BaseWSGIServer = make_server("127.0.0.1", 0, answers, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=http.serve_forever, name="wait-server", daemon=True)
    thread.start()
    try:
        yield Server(f"http://127.0.0.1:{http.server_port}", answers)
    finally:
        http.shutdown()
        thread.join()


def _never(seconds: float) -> None:
    """A pause that must not happen."""
    raise AssertionError(f"paused {seconds} s")


def test_a_ready_server_is_exit_0_with_one_line(server: Server, capsys: pytest.CaptureFixture[str]) -> None:
    """A URL answering 200 at once: exit 0 and one line on stdout saying so."""
    assert main(["wait", f"{server.url}/health"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith(f"sendstat wait: {server.url}/health answered 200 after ")
    assert captured.out.endswith(" s (1 try)\n")
    assert captured.err == ""


def test_it_waits_through_answers_that_are_not_ready(server: Server, capsys: pytest.CaptureFixture[str]) -> None:
    """A server answering 503 three times is tried again until its 200: exit 0 after 4 tries."""
    server.answers.ready_after = 3
    assert main(["wait", server.url, "--interval", "0.01", "--timeout", "30"]) == 0
    assert "answered 200" in capsys.readouterr().out
    assert len(server.answers.seen) == 4


def test_a_redirect_is_ready_and_not_followed(
    server: Server, closed_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A 302 counts as ready (as Kubernetes' HTTP probes count it) and its Location is not requested."""
    server.answers.status, server.answers.location = "302 Found", closed_url
    assert main(["wait", server.url, "--timeout", "5"]) == 0
    assert "answered 302" in capsys.readouterr().out


def test_nobody_listening_is_exit_1_saying_why(closed_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A port nobody listens on: exit 1 once --timeout has passed, one line with the last reason."""
    assert main(["wait", f"{closed_url}/health", "--timeout", "0.3", "--interval", "0.05"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    line = captured.err.strip()
    assert line.startswith(f"sendstat wait: error: {closed_url}/health not ready after 0.3 s (")
    assert line.endswith("; last: connection refused)")
    assert "\n" not in line


def test_a_server_never_ready_gives_its_last_status(server: Server, capsys: pytest.CaptureFixture[str]) -> None:
    """A server that keeps answering 503 is exit 1, and the line says 503."""
    server.answers.ready_after = 10**6
    assert main(["wait", server.url, "--timeout", "0.3", "--interval", "0.05"]) == 1
    assert capsys.readouterr().err.strip().endswith("; last: 503)")


def test_headers_are_sent_and_no_secret_is_printed(server: Server, capsys: pytest.CaptureFixture[str]) -> None:
    """--header travels with each try; neither its value nor the URL's query is printed."""
    url = f"{server.url}/mailer/sendstatistics?api_key={SECRET}"
    assert main(["wait", url, "--header", f"X-Estis-Auth: {SECRET}"]) == 0
    assert server.answers.seen[0]["HTTP_X_ESTIS_AUTH"] == SECRET
    out = capsys.readouterr().out
    assert f"{server.url}/mailer/sendstatistics?... answered 200" in out
    assert SECRET not in out


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["ftp://x"], "expected an http:// or https:// URL"),
        (["http://"], "expected an http:// or https:// URL"),
        (["http://x:0"], "port 0"),
        (["http://x:99999"], "not a URL"),
        ([f"http://user:{SECRET}@x/"], "credentials in the URL"),
        (["http://x", "--timeout", "0"], "--timeout"),
        (["http://x", "--timeout", "nan"], "--timeout"),
        (["http://x", "--interval", "-1"], "--interval"),
        (["http://x", "--header", f"X-Estis-Auth={SECRET}"], "--header"),
    ],
)
def test_usage_errors_are_exit_2(args: list[str], fragment: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A bad URL or option is exit 2 with one line naming it, never a traceback or a secret."""
    assert main(["wait", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("sendstat wait: error: ")
    assert fragment in err
    assert len(err.strip().splitlines()) == 1
    assert SECRET not in err


def test_tries_are_paced_by_the_interval_until_the_deadline(closed_url: str) -> None:
    """With a 1 s timeout and a 0.25 s interval, a server that never answers is tried 5 times (at 0 to 1 s)."""
    now = [0.0]

    def pause(seconds: float) -> None:
        now[0] += seconds

    outcome = wait_until_ready(closed_url, headers={}, timeout=1.0, interval=0.25, clock=lambda: now[0], pause=pause)
    assert (outcome.ready, outcome.tries, outcome.elapsed) == (False, 5, 1.0)


def test_one_try_at_least(server: Server) -> None:
    """Even a timeout already spent tries once, so a server that is up is found."""
    now = [0.0]
    outcome = wait_until_ready(server.url, headers={}, timeout=1e-9, interval=1, clock=lambda: now[0], pause=_never)
    assert (outcome.ready, outcome.tries, outcome.last) == (True, 1, "200")
