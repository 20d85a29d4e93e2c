"""The access log: a line per request, rendered once per target; batched lines come out whole and in order."""

from __future__ import annotations

import io
import json
import logging
import re
import time
from datetime import datetime

import pytest
from werkzeug.test import Client

from mockserver.serving.access_log import AccessLog, target_of
from mockserver.state.batching import BatchSettings
from tests.conftest import MakeApp


def test_batched_lines_come_out_in_order_as_one_record(make_app: MakeApp, caplog: pytest.LogCaptureFixture) -> None:
    """Under a server the lines of several requests are written together, in the order of the requests."""
    logger = logging.getLogger("tests.access.batched")
    log = AccessLog(make_app(), logger, BatchSettings(interval=60, idle=60))
    client = Client(log)
    with caplog.at_level(logging.INFO, logger="tests.access.batched"):
        for mailing_id in (1, 7, 42):
            client.get(f"/mailer/sendstatistics/{mailing_id}")
        assert caplog.records == []
        log.close()
    (record,) = caplog.records
    lines = record.getMessage().split("\n")
    assert [line.split(" ")[3] for line in lines] == [f"/mailer/sendstatistics/{i}" for i in (1, 7, 42)]


def test_a_target_is_rendered_once_and_bounded() -> None:
    """The printable target is remembered per path and query; a long one is cut with its length."""
    environ = {"PATH_INFO": "/x\n", "QUERY_STRING": "a" * 400}
    rendered = target_of(environ)  # type: ignore[arg-type]
    assert rendered.startswith("/x%0A?aaa")
    assert rendered.endswith("... (406 chars)")


LINE = re.compile(
    r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) 192\.0\.2\.7 GET /mailer/sendstatistics\?__session=qa-1 200 "
    r"(\d+) bytes [0-9.]+ ms scenario=default session=qa-1 \| warning: session \"qa-1\" does not exist"
)


def test_a_line_holds_time_client_request_status_bytes_duration_scenario_and_session(
    make_app: MakeApp, caplog: pytest.LogCaptureFixture
) -> None:
    """The text line: ISO time, client address, method, target, status, bytes sent, ms, scenario and session."""
    logger = logging.getLogger("tests.access.fields")
    client = Client(AccessLog(make_app(), logger))
    with caplog.at_level(logging.INFO, logger="tests.access.fields"):
        response = client.get(
            "/mailer/sendstatistics?__session=qa-1", environ_base={"REMOTE_ADDR": "192.0.2.7"}, buffered=True
        )
    (record,) = caplog.records
    match = LINE.match(record.getMessage())
    assert match, record.getMessage()
    assert int(match.group(2)) == len(response.data)
    assert abs(datetime.fromisoformat(match.group(1)).timestamp() - time.time()) < 60


def test_json_lines_hold_the_same_fields(make_app: MakeApp, caplog: pytest.LogCaptureFixture) -> None:
    """--log-format json: one JSON object per request with every field, the fault and the warnings as a list."""
    logger = logging.getLogger("tests.access.json")
    client = Client(AccessLog(make_app(SENDSTAT_SOURCE=None), logger, format="json"))
    with caplog.at_level(logging.INFO, logger="tests.access.json"):
        client.get("/mailer/sendstatistics/1?x=1", headers={"X-Mock-Scenario": "fault-503"}, buffered=True)
        client.get("/mailer/sendstatistics?limit=1", buffered=True)
    line, warned = (json.loads(record.getMessage()) for record in caplog.records)
    assert set(line) == {"time", "client", "method", "target", "status", "bytes", "duration_ms"} | {
        "scenario", "session", "fault", "warnings"
    }  # fmt: skip
    assert (line["method"], line["target"], line["status"]) == ("GET", "/mailer/sendstatistics/1?x=1", 503)
    assert (line["scenario"], line["session"], line["fault"]) == ("fault-503", None, "503")
    assert line["bytes"] > 0
    assert (warned["status"], warned["fault"]) == (200, None)
    assert any("limit" in warning for warning in warned["warnings"])


def test_a_streamed_answer_is_logged_once_it_has_gone_out(make_app: MakeApp, caplog: pytest.LogCaptureFixture) -> None:
    """A body sent chunk by chunk is logged when the server closes it, with every byte counted."""
    logger = logging.getLogger("tests.access.stream")
    log = AccessLog(make_app(SENDSTAT_SOURCE=None), logger)
    with caplog.at_level(logging.INFO, logger="tests.access.stream"):
        body = log(
            {"REQUEST_METHOD": "GET", "PATH_INFO": "/mailer/sendstatistics", "QUERY_STRING": "__scenario=large",
             "SERVER_NAME": "x", "SERVER_PORT": "80", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO()},
            lambda status, headers, exc_info=None: lambda data: None,
        )  # fmt: skip
        sent = sum(len(chunk) for chunk in body)
        assert caplog.records == []
        body.close()  # type: ignore[attr-defined]
    (record,) = caplog.records
    assert f" 200 {sent} bytes " in record.getMessage()
    assert sent > 1_000_000
