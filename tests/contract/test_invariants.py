"""The domain rules of one body (contract/invariants.py): each passes correct data and names what broke."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from contract.errors import RuleViolation
from contract.invariants import INDEX_RULES, MAILING_RULES, as_map, check_index, check_mailing
from tests.contract.exchanges import SEED_BODY


def body(**changes: Any) -> dict[str, Any]:
    """The seed's example with top-level sections or common counters replaced."""
    return changed(copy.deepcopy(SEED_BODY), changes)


def changed(result: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """Replace a body's top-level sections or common counters in place, and return it."""
    for key, value in changes.items():
        if key in result["common"]:
            result["common"][key] = value
        else:
            result[key] = value
    return result


@pytest.mark.parametrize(
    ("value", "expected"),
    [([], {}), ([7, 2], {"0": 7, "1": 2}), ({"6": 1}, {"6": 1}), (None, {}), ("x", {})],
)
def test_as_map_reads_php_encodings(value: Any, expected: dict[str, Any]) -> None:
    """as_map reads [] as empty, a list as keys 0..n-1 and an object as itself."""
    assert as_map(value) == expected


def test_seed_example_breaks_no_rule() -> None:
    """The seed's own example passes every mailing rule."""
    assert check_mailing(SEED_BODY) == []


def test_what_real_data_breaks_is_never_asserted() -> None:
    """More clicks than openers (images blocked) breaks no rule: clicked <= opened is not a rule."""
    assert check_mailing(roomy(opened=1, open_time={str(H0): 1}, clicked=2, click_statistic={URL: 2})) == []


H0 = 1474279200
URL = "https://shop.example.ru/sale"


def roomy(**changes: Any) -> dict[str, Any]:
    """A mailing with room in every count, keeping every rule; top-level sections or common counters replaced."""
    result: dict[str, Any] = {
        "id": 1,
        "common": {"count": 10, "delivered": 9, "bounce": 1, "opened": 4, "clicked": 2, "spam": 0, "unsubs": 0},
        "open_time": {str(H0): 3, str(H0 + 3600): 1},
        "click_statistic": {URL: 2},
        "domain_statistic": {"a.ru": {"delivered": 9, "bounce": 1}},
        "errors": {"6": 1},
    }
    return changed(result, changes)


def test_the_roomy_mailing_breaks_no_rule() -> None:
    """The base of the table below keeps every mailing rule."""
    assert check_mailing(roomy()) == []


BROKEN = [
    ("delivered-bounce-within-count", roomy(count=9)),
    ("delivered-plus-bounce-is-count", roomy(count=11)),
    ("domain-sums-match-totals", roomy(domain_statistic={"a.ru": {"delivered": 8, "bounce": 1}})),
    ("errors-sum-to-bounce", roomy(errors={"6": 2})),
    ("open-time-sums-to-opened", roomy(open_time={str(H0): 3, str(H0 + 3600): 2})),
    ("clicks-sum-to-clicked", roomy(click_statistic={URL: 3})),
    ("open-time-within-two-days", roomy(open_time={str(H0): 3, str(H0 + 3 * 86400): 1})),
    ("open-time-values-positive", roomy(open_time={str(H0): 4, str(H0 + 3600): 0})),
    ("open-time-whole-hours", roomy(open_time={str(H0): 3, str(H0 + 1801): 1})),
    ("opened-within-delivered", roomy(opened=10, open_time={str(H0): 10})),
    ("clicked-within-delivered", roomy(clicked=10, click_statistic={URL: 10})),
    ("spam-unsubs-within-delivered", roomy(unsubs=10)),
    ("error-counts-positive", roomy(errors={"6": 1, "11": 0})),
    ("click-counts-positive", roomy(click_statistic={URL: 2, URL + "/x": 0})),
    ("click-keys-are-urls", roomy(click_statistic={"sale page": 2})),
    ("domain-keys-are-domains", roomy(domain_statistic={"ivanov@a.ru": {"delivered": 9, "bounce": 1}})),
    ("php-list-quirk", roomy(errors={"0": 1})),
    ("php-list-quirk", roomy(clicked=0, click_statistic={})),
]


@pytest.mark.parametrize(("rule_id", "broken"), BROKEN, ids=[f"{rule}-{i}" for i, (rule, _) in enumerate(BROKEN)])
def test_each_rule_names_what_broke(rule_id: str, broken: dict[str, Any]) -> None:
    """A body that breaks one rule gets exactly that rule's violation, with received and documented."""
    found = check_mailing(broken)
    assert [violation.rule_id for violation in found] == [rule_id]
    assert "Received:" in found[0].message
    assert "Documented" in found[0].message


def test_every_mailing_rule_is_exercised() -> None:
    """The table above breaks every mailing rule at least once."""
    assert {rule for rule, _ in BROKEN} == set(MAILING_RULES)


@pytest.mark.parametrize(
    ("ids", "rule_ids"),
    [
        ([1, 2, 2], ["index-unique-ids"]),
        ([3, 2, 1], ["index-sorted-ascending"]),
        ([1, 3, 2], ["index-ordered-by-id", "index-sorted-ascending"]),
        ([1, 2, 3], []),
    ],
)
def test_index_rules(ids: list[int], rule_ids: list[str]) -> None:
    """Duplicates, a descending order (direction: inferred) and no order by id at all (seed) are told apart."""
    found = check_index({"statistics": [{"id": i, "letter_title": "t"} for i in ids]})
    assert [violation.rule_id for violation in found] == rule_ids
    assert set(INDEX_RULES) >= set(rule_ids)


def test_sections_missing_or_mistyped_pass_the_rules() -> None:
    """A body without the sections a rule needs (or with strings for counts) is left to the schema check."""
    assert check_mailing({"id": 1}) == []
    assert check_mailing(body(count="1")) == []


def test_rule_violation_is_an_assertion_error() -> None:
    """RuleViolation carries the rule id and is an AssertionError, like schemathesis' Failure."""
    violation = RuleViolation("x", "Title", "Received: a. Documented: b.")
    assert isinstance(violation, AssertionError)
    assert str(violation) == "Title: Received: a. Documented: b."
