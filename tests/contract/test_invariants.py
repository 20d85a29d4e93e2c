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
    result = copy.deepcopy(SEED_BODY)
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


def test_real_data_quirks_are_never_asserted() -> None:
    """clicked > opened, sum(open_time) != opened and sum(errors) != bounce break no rule."""
    quirky = body(
        count=100, delivered=90, bounce=10, opened=5, clicked=9,
        open_time={"1474279200": 1}, domain_statistic={"a.ru": {"delivered": 90, "bounce": 10}}, errors={"6": 40},
    )  # fmt: skip
    assert check_mailing(quirky) == []


BROKEN = [
    ("delivered-bounce-within-count", body(count=0)),
    ("domain-sums-match-totals", body(domain_statistic={"example.com": {"delivered": 2, "bounce": 0}})),
    ("open-time-within-two-days", body(open_time={"1474279200": 1, str(1474279200 + 3 * 86400): 1})),
    ("open-time-values-positive", body(open_time={"1474279200": 0})),
    ("open-time-whole-hours", body(open_time={"1474279201": 1})),
    ("opened-within-delivered", body(opened=2)),
    ("clicked-within-delivered", body(clicked=2)),
    ("spam-unsubs-within-delivered", body(unsubs=2)),
    ("error-counts-positive", body(errors={"6": 0})),
    ("php-list-quirk", body(errors={"0": 3})),
    ("php-list-quirk", body(click_statistic={})),
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
    ("rule_id", "ids"),
    [("index-unique-ids", [1, 2, 2]), ("index-sorted-ascending", [2, 1])],
)
def test_index_rules(rule_id: str, ids: list[int]) -> None:
    """The index rules flag duplicates and a descending order."""
    found = check_index({"statistics": [{"id": i, "letter_title": "t"} for i in ids]})
    assert [violation.rule_id for violation in found] == [rule_id]
    assert set(INDEX_RULES) >= {rule_id}


def test_sections_missing_or_mistyped_pass_the_rules() -> None:
    """A body without the sections a rule needs (or with strings for counts) is left to the schema check."""
    assert check_mailing({"id": 1}) == []
    assert check_mailing(body(count="1")) == []


def test_rule_violation_is_an_assertion_error() -> None:
    """RuleViolation carries the rule id and is an AssertionError, like schemathesis' Failure."""
    violation = RuleViolation("x", "Title", "Received: a. Documented: b.")
    assert isinstance(violation, AssertionError)
    assert str(violation) == "Title: Received: a. Documented: b."
