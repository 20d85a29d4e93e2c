"""Reading a decoded body for the domain rules: PHP-encoded maps, the totals of `common`, the index's items."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

__all__ = [
    "HOUR",
    "MAP_SECTIONS",
    "TWO_DAYS",
    "Body",
    "BodyRule",
    "as_map",
    "common_of",
    "count",
    "index_items",
    "named",
]

Body = Mapping[str, Any]
# A rule of one body: returns None, or raises RuleViolation saying what was received and what is documented.
BodyRule = Callable[[Body], None]

TWO_DAYS = 2 * 24 * 3600
HOUR = 3600
MAP_SECTIONS = ("open_time", "click_statistic", "domain_statistic", "errors")


def named(check: BodyRule, rule_id: str, doc: str) -> BodyRule:
    """Name a rule a factory made after its id (`errors-sum-to-bounce` is errors_sum_to_bounce) and give it doc."""
    check.__name__ = rule_id.replace("-", "_")
    check.__doc__ = doc
    return check


def as_map(value: Any) -> dict[str, Any]:
    """Read a PHP-encoded map: `[]` is empty, a list is keys 0..n-1, an object is itself."""
    if isinstance(value, list):
        return {str(index): item for index, item in enumerate(value)}
    if isinstance(value, dict):
        return dict(value)
    return {}


def common_of(body: Body) -> Mapping[str, Any] | None:
    """Return `common` when it holds integer count and delivered (a body that lacks them passes every rule)."""
    common = body.get("common")
    if isinstance(common, Mapping) and all(isinstance(common.get(k), int) for k in ("count", "delivered")):
        return common
    return None


def count(value: Any) -> int | None:
    """Return a JSON integer (not a boolean), else None."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def index_items(body: Body) -> list[Mapping[str, Any]]:
    """Return the index's items that are objects."""
    items = body.get("statistics")
    if not isinstance(items, list):
        return []
    return [item for item in items if isinstance(item, Mapping)]
