"""Tests of mockserver/proxy/watch.py: the checker's rules on a stream of exchanges."""

from __future__ import annotations

import json
from typing import Any

from contract.exchange import Exchange
from contract.spec import Contract
from mockserver.proxy.watch import Finding, Watch

BASE = "http://target.test"
ALL = "?fields=%5B%22id%22%2C%22common%22%5D"
COMMON = {"count": 10, "delivered": 9, "bounce": 1, "opened": 3, "clicked": 1, "spam": 0, "unsubs": 0}


def exchange(path: str, status: int, body: Any, *, authenticated: bool = True) -> Exchange:
    """An answered GET of the target, JSON body."""
    raw = b"" if body is None else json.dumps(body, separators=(",", ":")).encode()
    headers = {"content-type": "application/json; charset=UTF-8"} if body is not None else {}
    return Exchange("proxy", "GET", BASE + path, {}, status, headers, raw, 0.01, authenticated=authenticated)


def test_a_correct_exchange_has_no_finding(contract: Contract) -> None:
    """An index and a view that keep the contract pass through without findings."""
    watch = Watch(contract)
    assert watch.judge(exchange("/mailer/sendstatistics", 200, {"statistics": [{"id": 1, "letter_title": "t"}]})) == []
    assert watch.judge(exchange("/mailer/sendstatistics/1" + ALL, 200, {"id": 1, "common": COMMON})) == []


def test_the_account_is_learnt_from_an_index_answer(contract: Contract) -> None:
    """After an index lists id 1 only, a 200 for id 2 is an error, as `sendstat check` judges it."""
    watch = Watch(contract)
    unlisted = exchange("/mailer/sendstatistics/2", 200, {"id": 2})
    assert watch.judge(unlisted) == []  # no index seen yet: 200 or 404 are both allowed
    watch.judge(exchange("/mailer/sendstatistics", 200, {"statistics": [{"id": 1, "letter_title": "t"}]}))
    assert watch.account.listed == (1,)
    findings = watch.judge(unlisted)
    assert [(f.check, f.severity) for f in findings] == [("status-code", "error")]


def test_a_broken_seed_rule_is_an_error_and_an_inferred_one_a_warning(contract: Contract) -> None:
    """delivered + bounce over count is a seed error; opened over delivered an inferred warning, errors first."""
    common = {**COMMON, "delivered": 20, "opened": 30}
    findings = Watch(contract).judge(exchange("/mailer/sendstatistics/1" + ALL, 200, {"id": 1, "common": common}))
    kinds = {f.check: f.severity for f in findings}
    assert kinds["delivered-bounce-within-count"] == "error"
    assert kinds["opened-within-delivered"] == "warning"
    assert findings[0].severity == "error"


def test_the_same_request_answered_differently_is_a_finding(contract: Contract) -> None:
    """deterministic-answers compares a view with the previous answer to the same URL."""
    watch = Watch(contract)
    watch.judge(exchange("/mailer/sendstatistics/1" + ALL, 200, {"id": 1, "common": COMMON}))
    later = {"id": 1, "common": {**COMMON, "opened": 4}}
    assert "deterministic-answers" in {
        f.check for f in watch.judge(exchange("/mailer/sendstatistics/1" + ALL, 200, later))
    }


def test_paths_outside_the_document_are_not_judged(contract: Contract) -> None:
    """A path the document does not describe passes through unjudged."""
    assert Watch(contract).judge(exchange("/mailer/sends", 500, {"message": "x"})) == []


def test_a_finding_header_is_one_short_ascii_line() -> None:
    """Server text in a title is escaped to ASCII and cut, so it fits an HTTP header."""
    finding = Finding("status-code", "error", "Заголовок\nвторая строка " + "x" * 400, "m")
    line = finding.header()
    assert line.isascii()
    assert "\n" not in line
    assert len(line) <= 200
    assert line.startswith("error status-code: \\u0417")
