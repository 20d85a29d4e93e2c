"""Rules that a map section adds up to a total of `common`: domains, errors, opens and clicks."""

from __future__ import annotations

from collections.abc import Mapping

from contract.errors import RuleViolation
from contract.invariants.reading import Body, BodyRule, as_map, common_of, count, named

__all__ = ["clicks_sum_to_clicked", "domain_sums_match_totals", "errors_sum_to_bounce", "open_time_sums_to_opened"]


def domain_sums_match_totals(body: Body) -> None:
    """The per-domain delivered and bounce counts add up to common.delivered and common.bounce."""
    common = common_of(body)
    if common is None or "domain_statistic" not in body:
        return
    domains = as_map(body["domain_statistic"])
    for key in ("delivered", "bounce"):
        total = sum(count(v.get(key)) or 0 for v in domains.values() if isinstance(v, Mapping))
        expected = count(common.get(key)) or 0
        if total != expected:
            raise RuleViolation(
                "domain-sums-match-totals",
                f"domain_statistic does not add up to common.{key}",
                f"Received: sum of domain_statistic[*].{key} = {total}, common.{key} = {expected}. "
                "Documented: the per-domain counts add up to the totals.",
            )


def _sums_to(rule_id: str, section: str, total: str, meaning: str) -> BodyRule:
    def check(body: Body) -> None:
        common = common_of(body)
        if common is None or section not in body:
            return
        found = sum(count(value) or 0 for value in as_map(body[section]).values())
        expected = count(common.get(total)) or 0
        if found != expected:
            raise RuleViolation(
                rule_id,
                f"{section} does not add up to common.{total}",
                f"Received: sum of {section} = {found}, common.{total} = {expected}. Documented (inferred): {meaning}.",
            )

    return named(check, rule_id, f"The values of {section} add up to common.{total}.")


errors_sum_to_bounce = _sums_to(
    "errors-sum-to-bounce", "errors", "bounce", "each bounced letter has exactly one final error code"
)
open_time_sums_to_opened = _sums_to(
    "open-time-sums-to-opened", "open_time", "opened", "each opener counts once, in the hour of the first open"
)
clicks_sum_to_clicked = _sums_to(
    "clicks-sum-to-clicked", "click_statistic", "clicked", "each click counts once, under the link clicked"
)
