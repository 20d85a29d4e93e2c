"""Domain rules of one response body, one plain function per documented rule id (`x-sendstat-rules`).

Each function takes a decoded JSON body and raises RuleViolation when the rule is broken; a body that
lacks the sections a rule needs passes it. Cross-request rules (index vs detail, determinism) live with
the suite's behaviour checks.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from typing import Any

from contract.errors import RuleViolation

Body = Mapping[str, Any]
BodyRule = Callable[[Body], None]

TWO_DAYS = 2 * 24 * 3600
HOUR = 3600


def as_map(value: Any) -> dict[str, Any]:
    """Read a PHP-encoded map: `[]` is empty, a list is keys 0..n-1, an object is itself."""
    if isinstance(value, list):
        return {str(index): item for index, item in enumerate(value)}
    if isinstance(value, dict):
        return dict(value)
    return {}


def _common(body: Body) -> Mapping[str, Any] | None:
    common = body.get("common")
    if isinstance(common, Mapping) and all(isinstance(common.get(k), int) for k in ("count", "delivered")):
        return common
    return None


def _int(common: Mapping[str, Any], key: str) -> int:
    value = common.get(key)
    return value if isinstance(value, int) else 0


def delivered_bounce_within_count(body: Body) -> None:
    """common.delivered + common.bounce <= common.count."""
    common = _common(body)
    if common is None:
        return
    delivered, bounce, count = _int(common, "delivered"), _int(common, "bounce"), _int(common, "count")
    if delivered + bounce > count:
        raise RuleViolation(
            "delivered-bounce-within-count",
            "More letters delivered and bounced than recipients",
            f"Received: delivered {delivered} + bounce {bounce} = {delivered + bounce}, count {count}. "
            "Documented: delivered + bounce <= count.",
        )


def domain_sums_match_totals(body: Body) -> None:
    """The per-domain delivered and bounce counts add up to common.delivered and common.bounce."""
    common = _common(body)
    if common is None or "domain_statistic" not in body:
        return
    domains = as_map(body["domain_statistic"])
    for key in ("delivered", "bounce"):
        total = sum(v.get(key, 0) for v in domains.values() if isinstance(v, Mapping) and isinstance(v.get(key), int))
        if total != _int(common, key):
            raise RuleViolation(
                "domain-sums-match-totals",
                f"domain_statistic does not add up to common.{key}",
                f"Received: sum of domain_statistic[*].{key} = {total}, common.{key} = {_int(common, key)}. "
                "Documented: the per-domain counts add up to the totals.",
            )


def _open_hours(body: Body) -> dict[int, Any] | None:
    if "open_time" not in body:
        return None
    hours: dict[int, Any] = {}
    for key, value in as_map(body["open_time"]).items():
        if key.isdigit():
            hours[int(key)] = value
    return hours


def open_time_within_two_days(body: Body) -> None:
    """Every open_time key lies within 48 hours of the earliest key."""
    hours = _open_hours(body)
    if not hours:
        return
    first, last = min(hours), max(hours)
    if last - first > TWO_DAYS:
        raise RuleViolation(
            "open-time-within-two-days",
            "open_time spans more than the 2 days after sending",
            f"Received: keys from {first} to {last} ({(last - first) / 3600:.0f} h apart). "
            "Documented: opens during the 2 days (48 h) after sending.",
        )


def open_time_values_positive(body: Body) -> None:
    """Every open_time value is an integer >= 1."""
    for key, value in (_open_hours(body) or {}).items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise RuleViolation(
                "open-time-values-positive",
                "An open_time hour without opens",
                f"Received: open_time[{key}] = {value!r}. Documented: an hour is listed only with >= 1 open.",
            )


def open_time_whole_hours(body: Body) -> None:
    """Every open_time key is a whole hour (a multiple of 3600)."""
    for key in _open_hours(body) or {}:
        if key % HOUR:
            raise RuleViolation(
                "open-time-whole-hours",
                "An open_time key is not on a whole hour",
                f"Received: {key} ({key % HOUR} s past the hour). Documented (inferred): hourly buckets.",
            )


def _within_delivered(rule_id: str, keys: tuple[str, ...]) -> BodyRule:
    def check(body: Body) -> None:
        common = _common(body)
        if common is None:
            return
        delivered = _int(common, "delivered")
        for key in keys:
            if _int(common, key) > delivered:
                raise RuleViolation(
                    rule_id,
                    f"common.{key} exceeds common.delivered",
                    f"Received: {key} {_int(common, key)}, delivered {delivered}. "
                    f"Documented (inferred): {key} <= delivered.",
                )

    check.__name__ = rule_id.replace("-", "_")
    check.__doc__ = f"common.{' and '.join(keys)} <= common.delivered."
    return check


opened_within_delivered = _within_delivered("opened-within-delivered", ("opened",))
clicked_within_delivered = _within_delivered("clicked-within-delivered", ("clicked",))
spam_unsubs_within_delivered = _within_delivered("spam-unsubs-within-delivered", ("spam", "unsubs"))


def error_counts_positive(body: Body) -> None:
    """Every errors value is an integer >= 1."""
    if "errors" not in body:
        return
    for code, value in as_map(body["errors"]).items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise RuleViolation(
                "error-counts-positive",
                "An error code listed without failures",
                f"Received: errors[{code}] = {value!r}. Documented (inferred): a listed code has >= 1 failure.",
            )


MAP_SECTIONS = ("open_time", "click_statistic", "domain_statistic", "errors")


def php_list_quirk(body: Body) -> None:
    """A map with keys exactly 0..n-1 in order (the empty map included) arrives as a JSON list."""
    for section in MAP_SECTIONS:
        value = body.get(section)
        if not isinstance(value, dict):
            continue
        keys = list(value)
        if keys == [str(i) for i in range(len(keys))]:
            shown = "{}" if not keys else "{" + ", ".join(f'"{k}": ...' for k in keys[:3]) + "}"
            raise RuleViolation(
                "php-list-quirk",
                f"{section} is an object where PHP sends a list",
                f"Received: {section} = {shown}. Documented: PHP's json_encode prints a map with keys "
                f"0..n-1 in order as a list ({'[]' if not keys else '[...]'}).",
            )


def index_unique_ids(body: Body) -> None:
    """The index lists each id once."""
    seen: set[Any] = set()
    for item in _index_items(body):
        mailing_id = item.get("id")
        if mailing_id in seen:
            raise RuleViolation(
                "index-unique-ids",
                "The index lists an id twice",
                f"Received: id {mailing_id!r} more than once. Documented: each mailing once.",
            )
        seen.add(mailing_id)


def index_sorted_ascending(body: Body) -> None:
    """The index is ordered by id, ascending."""
    ids = [item["id"] for item in _index_items(body) if isinstance(item.get("id"), int)]
    for before, after in itertools.pairwise(ids):
        if after < before:
            raise RuleViolation(
                "index-sorted-ascending",
                "The index is not sorted by id",
                f"Received: id {after} after id {before}. Documented: ordered by id, ascending.",
            )


def _index_items(body: Body) -> list[Mapping[str, Any]]:
    items = body.get("statistics")
    if not isinstance(items, list):
        return []
    return [item for item in items if isinstance(item, Mapping)]


MAILING_RULES: Mapping[str, BodyRule] = {
    "delivered-bounce-within-count": delivered_bounce_within_count,
    "domain-sums-match-totals": domain_sums_match_totals,
    "open-time-within-two-days": open_time_within_two_days,
    "open-time-values-positive": open_time_values_positive,
    "open-time-whole-hours": open_time_whole_hours,
    "opened-within-delivered": opened_within_delivered,
    "clicked-within-delivered": clicked_within_delivered,
    "spam-unsubs-within-delivered": spam_unsubs_within_delivered,
    "error-counts-positive": error_counts_positive,
    "php-list-quirk": php_list_quirk,
}

INDEX_RULES: Mapping[str, BodyRule] = {
    "index-unique-ids": index_unique_ids,
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
