"""Domain rules of one response body, one plain function per documented rule id (`x-sendstat-rules`).

Each function takes a decoded JSON body and raises RuleViolation when the rule is broken; a body that
lacks the sections a rule needs passes it. Cross-request rules (index vs detail, determinism) live with
the suite's checks (contract/checks/cross.py). The mock's own tests run the same functions over every
mailing its model generates.
"""

from __future__ import annotations

from collections.abc import Mapping

from contract.errors import RuleViolation
from contract.invariants.index import (
    index_ordered_by_id,
    index_sorted_ascending,
    index_unique_ids,
)
from contract.invariants.maps import (
    click_counts_positive,
    click_keys_are_urls,
    domain_keys_are_domains,
    error_counts_positive,
    open_time_values_positive,
    open_time_whole_hours,
    open_time_within_two_days,
    php_list_quirk,
)
from contract.invariants.reading import MAP_SECTIONS, Body, BodyRule, as_map
from contract.invariants.sums import (
    clicks_sum_to_clicked,
    domain_sums_match_totals,
    errors_sum_to_bounce,
    open_time_sums_to_opened,
)
from contract.invariants.totals import (
    clicked_within_delivered,
    delivered_bounce_within_count,
    delivered_plus_bounce_is_count,
    opened_within_delivered,
    spam_unsubs_within_delivered,
)

__all__ = [
    "INDEX_RULES",
    "MAILING_RULES",
    "MAP_SECTIONS",
    "Body",
    "BodyRule",
    "as_map",
    "check_index",
    "check_mailing",
]

MAILING_RULES: Mapping[str, BodyRule] = {
    "delivered-bounce-within-count": delivered_bounce_within_count,
    "delivered-plus-bounce-is-count": delivered_plus_bounce_is_count,
    "domain-sums-match-totals": domain_sums_match_totals,
    "errors-sum-to-bounce": errors_sum_to_bounce,
    "open-time-sums-to-opened": open_time_sums_to_opened,
    "clicks-sum-to-clicked": clicks_sum_to_clicked,
    "open-time-within-two-days": open_time_within_two_days,
    "open-time-values-positive": open_time_values_positive,
    "open-time-whole-hours": open_time_whole_hours,
    "opened-within-delivered": opened_within_delivered,
    "clicked-within-delivered": clicked_within_delivered,
    "spam-unsubs-within-delivered": spam_unsubs_within_delivered,
    "error-counts-positive": error_counts_positive,
    "click-counts-positive": click_counts_positive,
    "click-keys-are-urls": click_keys_are_urls,
    "domain-keys-are-domains": domain_keys_are_domains,
    "php-list-quirk": php_list_quirk,
}

INDEX_RULES: Mapping[str, BodyRule] = {
    "index-unique-ids": index_unique_ids,
    "index-ordered-by-id": index_ordered_by_id,
    "index-sorted-ascending": index_sorted_ascending,
}


def check_mailing(body: Body) -> list[RuleViolation]:
    """Run every mailing rule on a view body and return the violations."""
    return _run(MAILING_RULES, body)


def check_index(body: Body) -> list[RuleViolation]:
    """Run every index rule on an index body and return the violations."""
    return _run(INDEX_RULES, body)


def _run(rules: Mapping[str, BodyRule], body: Body) -> list[RuleViolation]:
    found: list[RuleViolation] = []
    for rule in rules.values():
        try:
            rule(body)
        except RuleViolation as violation:
            found.append(violation)
    return found
