"""Tests of mockserver.scenario.judge: a scenario cannot make the mock break openapi.yaml by accident."""

from __future__ import annotations

from pathlib import Path

import pytest

from contract.spec import Contract
from mockserver.scenario.library import LoadContext
from tests.mockserver.scenario.test_build import failure, load

HEAD = "name: t\ndescription: d\nmailings:\n  generate: {count: 3}\n"
PIN = "name: t\ndescription: d\nmailings:\n  pinned:\n    - id: 9\n      profile: good\n      recipients: 1000\n"


@pytest.fixture(scope="module")
def context() -> LoadContext:
    """The shipped contract, data files and schema."""
    return LoadContext.create(Contract.load(validate=False))


BREAKS = {
    "count-below-delivered": (
        PIN + "      common: {count: 10}\n",
        [
            "t.yaml:8: mailings.pinned[0].common: breaks rule delivered-bounce-within-count (seed): More letters "
            "delivered and bounced than recipients: Received: delivered 989 + bounce 11 = 1000, count 10. "
            "Documented: delivered + bounce <= count."
        ],
    ),
    "domains-do-not-add-up": (
        PIN + "      domain_statistic:\n        mail.ru: {delivered: 5, bounce: 0}\n",
        [
            "t.yaml:8: mailings.pinned[0].domain_statistic: breaks rule domain-sums-match-totals (seed): "
            "domain_statistic does not add up to common.delivered: Received: sum of domain_statistic[*].delivered "
            "= 5, common.delivered = 989. Documented: the per-domain counts add up to the totals."
        ],
    ),
    "opens-over-three-days": (
        PIN + "      open_time: {1733400000: 5, 1733659200: 1}\n",
        [
            "t.yaml:8: mailings.pinned[0].open_time: breaks rule open-time-within-two-days (seed): open_time spans "
            "more than the 2 days after sending: Received: keys from 1733400000 to 1733659200 (72 h apart). "
            "Documented: opens during the 2 days (48 h) after sending."
        ],
    ),
    "hour-without-opens": (
        PIN + "      open_time: {1733400000: 0}\n",
        [
            "t.yaml:8: mailings.pinned[0].open_time: breaks rule open-time-values-positive (seed): An open_time hour "
            "without opens: Received: open_time[1733400000] = 0. Documented: an hour is listed only with >= 1 open."
        ],
    ),
    "code-not-in-catalogue": (
        PIN + "      errors: {19: 1}\n",
        [
            't.yaml:8: mailings.pinned[0].errors.19: expected one of "0", "1", "2", "3", "4", "5", "6", "7", "8", '
            '"9", "10", "11", "12", "13", "14", "15", "16", "17", "18", "44", "45", "46", "51", "53", "110", "111", '
            "\"113\", got '19' (openapi.yaml, MailingStatistics)"
        ],
    ),
    "title-php-cannot-encode": (
        PIN + '      letter_title: "\\ud800"\n',
        [
            "t.yaml:8: mailings.pinned[0].letter_title: the mock cannot send this as PHP would: lone surrogate "
            "U+D800 is not valid UTF-8"
        ],
    ),
    "listed-id-forced-404": (
        HEAD + "forced:\n  2: {status: 404}\n",
        [
            "t.yaml:6: forced.2.status: breaks rule index-detail-agree (seed): the index lists mailing 2, so its "
            "view must answer 200, not 404; declare fault: true to break the contract on purpose, or hide it with "
            "mailings.not_found"
        ],
    ),
    "undocumented-status": (
        HEAD + "forced:\n  99: {status: 500}\n",
        [
            "t.yaml:6: forced.99.status: expected a status the document gives the view (200, 400, 401, 403, 404), "
            "got 500; declare fault: true to break the contract on purpose"
        ],
    ),
    "forced-404-other-body": (
        HEAD + "forced:\n  99:\n    status: 404\n    body: {message: Gone}\n",
        ["t.yaml:8: forced.99.body.message: expected \"Not found\", got 'Gone' (openapi.yaml, the view's 404)"],
    ),
    "forced-200-without-body": (
        HEAD + "forced:\n  99: {status: 200}\n",
        ["t.yaml:6: forced.99: a forced 200 needs a body (or leave the id out to serve its mailing)"],
    ),
    "forced-200-other-id": (
        HEAD + "forced:\n  99:\n    status: 200\n    body: {id: 98}\n",
        [
            "t.yaml:6: forced.99: breaks rule view-no-unrequested-sections (seed): a forced 200 answers every "
            "`fields` alike; pin the mailing (mailings.pinned) to answer `fields`, or declare fault: true",
            "t.yaml:8: forced.99.body.id: breaks rule view-id-is-path-id (seed): the body's id is 98, the path's 99",
        ],
    ),
    "forced-200-bad-section": (
        HEAD + "forced:\n  99:\n    status: 200\n    body:\n      common: {count: 1}\n",
        [
            "t.yaml:6: forced.99: breaks rule view-no-unrequested-sections (seed): a forced 200 answers every "
            "`fields` alike; pin the mailing (mailings.pinned) to answer `fields`, or declare fault: true",
            "t.yaml:9: forced.99.body.common: missing required fields: delivered, bounce, opened, clicked, spam, "
            "unsubs (openapi.yaml, the view's 200)",
        ],
    ),
    "forced-200-for-a-404-id": (
        HEAD + "  not_found: [99]\nforced:\n  99:\n    status: 200\n    body: {id: 99}\n",
        [
            "t.yaml:7: forced.99: breaks rule view-no-unrequested-sections (seed): a forced 200 answers every "
            "`fields` alike; pin the mailing (mailings.pinned) to answer `fields`, or declare fault: true",
            "t.yaml:8: forced.99.status: id 99 is in mailings.not_found: it cannot answer 200",
        ],
    ),
}


@pytest.mark.parametrize(("text", "expected"), BREAKS.values(), ids=BREAKS.keys())
def test_contract_breaks_are_load_errors(tmp_path: Path, context: LoadContext, text: str, expected: list[str]) -> None:
    """What would break a schema or a seed rule of the contract fails the load, naming the field and the rule."""
    assert failure(tmp_path, context, text) == expected


ACCEPTED = {
    "listed-id-404-as-fault": HEAD + "forced:\n  2: {status: 404, fault: true}\n",
    "any-status-as-fault": HEAD + "forced:\n  2: {status: 418, body: [not, json, api], fault: true}\n",
    "unlisted-id-forced-404": HEAD + "forced:\n  99: {status: 404}\n",
    "unlisted-id-forced-403": HEAD + "forced:\n  99: {status: 403, body: {message: Forbidden}}\n",
    "pinned-with-consistent-sections": PIN
    + "      common: {count: 3, delivered: 2, bounce: 1, opened: 1, clicked: 0, spam: 0, unsubs: 0}\n"
    + "      domain_statistic: {mail.ru: {delivered: 2, bounce: 1}}\n"
    + "      open_time: {1733400000: 1}\n      click_statistic: []\n      errors: {6: 1}\n",
}


@pytest.mark.parametrize("text", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_declared_faults_and_valid_answers_load(tmp_path: Path, context: LoadContext, text: str) -> None:
    """Declared faults are served unchecked; documented answers that keep the rules load cleanly."""
    scenario = load(tmp_path, context, text)
    assert not [w for w in scenario.warnings if "view-no-unrequested-sections" not in w]


def test_inferred_rules_warn_instead(tmp_path: Path, context: LoadContext) -> None:
    """Breaking an inferred rule (opened <= delivered) loads, with a warning naming the rule and the line."""
    scenario = load(tmp_path, context, PIN + "      common: {opened: 5000}\n")
    assert (
        f"{tmp_path}/t.yaml:8: mailings.pinned[0].common: breaks rule opened-within-delivered (inferred; a warning): "
        "common.opened exceeds common.delivered: Received: opened 5000, delivered 989. "
        "Documented (inferred): opened <= delivered."
    ) in scenario.warnings
    assert all("(inferred; a warning)" in warning for warning in scenario.warnings)


def test_a_forced_200_loads_only_as_a_declared_fault(tmp_path: Path, context: LoadContext) -> None:
    """A forced 200 answers every `fields` alike (a seed rule breaks for some request): only fault: true loads it."""
    text = HEAD + "forced:\n  99:\n    status: 200\n    body: {id: 99}\n"
    assert failure(tmp_path, context, text) == [
        "t.yaml:6: forced.99: breaks rule view-no-unrequested-sections (seed): a forced 200 answers every "
        "`fields` alike; pin the mailing (mailings.pinned) to answer `fields`, or declare fault: true",
    ]
    assert load(tmp_path, context, text.replace("body: {id: 99}", "body: {id: 99}\n    fault: true")).warnings == ()


def test_the_rule_is_checked_as_the_clock_shows_it(tmp_path: Path, context: LoadContext) -> None:
    """A mailing still in progress at the clock is judged at the clock and once finished."""
    text = (
        "name: t\ndescription: d\nnow: 2024-12-05T12:00:00Z\nmailings:\n  pinned:\n    - id: 9\n"
        "      profile: good\n      recipients: 1000\n      sent_at: 2024-12-05T11:00:00Z\n"
        "      common: {opened: 100}\n"
    )
    scenario = load(tmp_path, context, text)
    at_clock, finished = scenario.source(scenario.clock).mailing(9), scenario.source(None).mailing(9)
    assert at_clock is not None
    assert finished is not None
    assert at_clock.open_time != finished.open_time
    assert at_clock.common.opened == finished.common.opened == 100
