"""Rules on the totals of `common`: how recipients, deliveries, bounces and engagement relate."""

from __future__ import annotations

from contract.errors import RuleViolation
from contract.invariants.reading import Body, BodyRule, common_of, count, named

__all__ = [
    "clicked_within_delivered",
    "delivered_bounce_within_count",
    "delivered_plus_bounce_is_count",
    "opened_within_delivered",
    "spam_unsubs_within_delivered",
]


def _totals(body: Body) -> tuple[int, int, int] | None:
    common = common_of(body)
    if common is None:
        return None
    return count(common.get("delivered")) or 0, count(common.get("bounce")) or 0, count(common.get("count")) or 0


def delivered_bounce_within_count(body: Body) -> None:
    """common.delivered + common.bounce <= common.count."""
    totals = _totals(body)
    if totals is None:
        return
    delivered, bounce, recipients = totals
    if delivered + bounce > recipients:
        raise RuleViolation(
            "delivered-bounce-within-count",
            "More letters delivered and bounced than recipients",
            f"Received: delivered {delivered} + bounce {bounce} = {delivered + bounce}, count {recipients}. "
            "Documented: delivered + bounce <= count.",
        )


def delivered_plus_bounce_is_count(body: Body) -> None:
    """common.delivered + common.bounce == common.count: every letter ends delivered or bounced."""
    totals = _totals(body)
    if totals is None:
        return
    delivered, bounce, recipients = totals
    if delivered + bounce < recipients:
        raise RuleViolation(
            "delivered-plus-bounce-is-count",
            "Some letters are neither delivered nor bounced",
            f"Received: delivered {delivered} + bounce {bounce} = {delivered + bounce}, count {recipients}. "
            "Documented (inferred): every letter ends delivered or bounced, so they add up to count.",
        )


def _within_delivered(rule_id: str, keys: tuple[str, ...]) -> BodyRule:
    def check(body: Body) -> None:
        common = common_of(body)
        if common is None:
            return
        delivered = count(common.get("delivered")) or 0
        for key in keys:
            value = count(common.get(key)) or 0
            if value > delivered:
                raise RuleViolation(
                    rule_id,
                    f"common.{key} exceeds common.delivered",
                    f"Received: {key} {value}, delivered {delivered}. Documented (inferred): {key} <= delivered.",
                )

    return named(check, rule_id, f"common.{' and '.join(keys)} <= common.delivered.")


opened_within_delivered = _within_delivered("opened-within-delivered", ("opened",))
clicked_within_delivered = _within_delivered("clicked-within-delivered", ("clicked",))
spam_unsubs_within_delivered = _within_delivered("spam-unsubs-within-delivered", ("spam", "unsubs"))
