"""The access log: a line per request, rendered once per target; batched lines come out whole and in order."""

from __future__ import annotations

import logging

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
    assert [line.split(" ")[1] for line in lines] == [f"/mailer/sendstatistics/{i}" for i in (1, 7, 42)]


def test_a_target_is_rendered_once_and_bounded() -> None:
    """The printable target is remembered per path and query; a long one is cut with its length."""
    environ = {"PATH_INFO": "/x\n", "QUERY_STRING": "a" * 400}
    rendered = target_of(environ)  # type: ignore[arg-type]
    assert rendered.startswith("/x%0A?aaa")
    assert rendered.endswith("... (406 chars)")
