"""Running under granian: the worker factory, the access log, holding the port, failing early."""

from __future__ import annotations

import json
import logging
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.test import Client

from mockserver.errors import ConfigError, UnknownScenario
from mockserver.serving.access_log import AccessLog
from mockserver.serving.server import CONFIG_ENV, ServeOptions, Started, reserve_port, serve, url_of, wsgi_app
from tests.conftest import MakeApp


@pytest.fixture
def log(make_app: MakeApp, caplog: pytest.LogCaptureFixture) -> Iterator[tuple[Client, pytest.LogCaptureFixture]]:
    """A client of an app wrapped in the access log, and the captured log lines."""
    logger = logging.getLogger("tests.access")
    with caplog.at_level(logging.INFO, logger="tests.access"):
        yield Client(AccessLog(make_app(), logger)), caplog


def test_workers_share_the_state_directory_of_the_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Two worker apps built from one SENDSTAT_MOCK_CONFIG see one state: a switch in one shows in the other."""
    monkeypatch.setenv(CONFIG_ENV, json.dumps({"SENDSTAT_STATE_DIR": str(tmp_path), "SENDSTAT_RELOAD_INTERVAL": None}))
    apps = [wsgi_app(), wsgi_app()]
    first, second = (Client(app) for app in apps)
    switched = first.put("/__mock/scenario", json={"name": "empty"}, environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert switched.status_code == 200
    assert second.get("/mailer/sendstatistics").status_code == 204
    for app in apps:
        assert isinstance(app, AccessLog)
        app.close()  # the batched lines go out now, not into another test's log


def test_the_worker_factory_reads_its_config_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """wsgi_app() builds the app from the JSON in SENDSTAT_MOCK_CONFIG, as each granian worker does."""
    monkeypatch.setenv(CONFIG_ENV, json.dumps({"SENDSTAT_EMPTY_INDEX_STATUS": 200, "SENDSTAT_SEED": 3}))
    app = wsgi_app()
    assert isinstance(app, AccessLog)
    response = Client(app).get("/mailer/sendstatistics")
    assert response.status_code == 200
    assert json.loads(response.data)["statistics"]
    app.close()


@pytest.mark.parametrize("value", ["[]", '"x"', '{"SENDSTAT_EMPTY_INDEX_STATUS": 500}'])
def test_a_bad_environment_config_is_a_config_error(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    """A config that is not a JSON object, or has bad values, fails with ConfigError."""
    monkeypatch.setenv(CONFIG_ENV, value)
    with pytest.raises(ConfigError):
        wsgi_app()


def test_each_request_is_one_log_line(log: tuple[Client, pytest.LogCaptureFixture]) -> None:
    """The line holds method, path and query, status and milliseconds."""
    client, caplog = log
    client.get("/mailer/sendstatistics/1?fields=%5B%22id%22%5D", buffered=True)
    assert len(caplog.records) == 1
    message = caplog.records[0].getMessage()
    assert " GET /mailer/sendstatistics/1?fields=%5B%22id%22%5D 200 " in message
    assert message.endswith(" scenario=default session=-")


def test_warnings_are_logged_with_their_request(log: tuple[Client, pytest.LogCaptureFixture]) -> None:
    """Each X-Mock-Warning of the answer follows the request on its line."""
    client, caplog = log
    client.get("/mailer/sendstatistics/12abc?limit=1", buffered=True)
    (record,) = caplog.records
    assert " 404 " in record.getMessage()
    assert record.getMessage().count(" | warning: ") == 2


def test_a_fault_is_logged_with_its_request(make_app: MakeApp, caplog: pytest.LogCaptureFixture) -> None:
    """An injected fault follows the request on its line, before any warning."""
    logger = logging.getLogger("tests.access")
    client = Client(AccessLog(make_app(SENDSTAT_SOURCE=None), logger))
    with caplog.at_level(logging.INFO, logger="tests.access"):
        client.get("/mailer/sendstatistics/1", headers={"X-Mock-Scenario": "fault-503"}, buffered=True)
    (record,) = caplog.records
    assert " 503 " in record.getMessage()
    assert record.getMessage().endswith(" scenario=fault-503 session=- | fault: 503")


def test_a_hostile_target_is_logged_on_one_bounded_printable_line(log: tuple[Client, pytest.LogCaptureFixture]) -> None:
    """Control characters are percent-encoded and a huge query is cut short."""
    client, caplog = log
    client.get("/nope%0A%1Bx?" + "a" * 10_000 + "%0D%0A", buffered=True)
    (record,) = caplog.records
    message = record.getMessage()
    assert message.isprintable()
    assert " GET /nope%0A%1Bx?aaa" in message
    assert "(10019 chars)" in message
    assert len(message) < 400


def test_a_free_port_is_chosen_and_held() -> None:
    """Port 0 gets a free port that stays bound (so nobody else takes it) until released."""
    held = reserve_port("127.0.0.1", 0)
    try:
        port = held.getsockname()[1]
        assert port > 0
        with socket.socket() as other, pytest.raises(OSError, match="in use"):
            other.bind(("127.0.0.1", port))
    finally:
        held.close()


def test_a_port_another_server_listens_on_is_refused() -> None:
    """A port with a listener is a ConfigError naming it, not a server sharing the port."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        with pytest.raises(ConfigError, match=f"cannot listen on 127.0.0.1:{port}"):
            reserve_port("127.0.0.1", port)


@pytest.mark.parametrize(
    ("config", "error"),
    [({"SENDSTAT_EMPTY_INDEX_STATUS": 500}, ConfigError), ({"SENDSTAT_SCENARIO": "nope"}, UnknownScenario)],
)
def test_serve_fails_early_on_a_bad_config(config: dict[str, object], error: type[Exception]) -> None:
    """A config the app refuses stops serve() before any port is bound or worker started."""
    announced: list[Started] = []
    with pytest.raises(error):
        serve(ServeOptions(port=0, config=config), announced.append)
    assert announced == []


@pytest.mark.parametrize(
    ("host", "url"),
    [("127.0.0.1", "http://127.0.0.1:8000"), ("192.0.2.1", "http://192.0.2.1:8000"), ("::1", "http://[::1]:8000")],
)
def test_urls_bracket_ipv6(host: str, url: str) -> None:
    """The printed URL puts an IPv6 address in brackets."""
    assert url_of(host, 8000) == url


def test_a_worker_builds_its_app_deaf_to_ctrl_c() -> None:
    """worker_app() ignores SIGINT, so a terminal's Ctrl-C cannot kill a worker mid-start with a traceback."""
    probe = (
        "import signal; from mockserver.serving.server import TARGET, worker_app; "
        "assert TARGET == 'mockserver.serving.server:worker_app'; worker_app(); "
        "print(signal.getsignal(signal.SIGINT) is signal.SIG_IGN)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout.strip() == "True"


def test_a_forked_worker_serves_the_checked_app(make_app: MakeApp, tmp_path: Path) -> None:
    """forked_app reopens the shared state of an app closed before the fork and serves it, journal included."""
    from mockserver.http.app import close_app
    from mockserver.serving.server import forked_app

    app = make_app(SENDSTAT_STATE_DIR=str(tmp_path))
    close_app(app)
    client = Client(forked_app(app))
    assert client.get("/mailer/sendstatistics").status_code == 200
    journal = client.get("/__mock/journal", environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert journal.json["count"] == 1  # type: ignore[index]
    close_app(app)
