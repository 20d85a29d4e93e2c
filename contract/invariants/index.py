"""Rules on the index: each mailing once, ordered by id (ascending)."""

from __future__ import annotations

import itertools
from typing import Any

from contract.errors import RuleViolation
from contract.invariants.reading import Body, index_items

__all__ = ["index_ordered_by_id", "index_sorted_ascending", "index_unique_ids"]


def index_unique_ids(body: Body) -> None:
    """The index lists each id once."""
    seen: set[Any] = set()
    for item in index_items(body):
        mailing_id = item.get("id")
        if mailing_id in seen:
            raise RuleViolation(
                "index-unique-ids",
                "The index lists an id twice",
                f"Received: id {mailing_id!r} more than once. Documented: each mailing once.",
            )
        seen.add(mailing_id)


def _ids(body: Body) -> list[int]:
    return [item["id"] for item in index_items(body) if isinstance(item.get("id"), int)]


def index_ordered_by_id(body: Body) -> None:
    """The index is ordered by id, in one direction or the other."""
    ids = _ids(body)
    pairs = list(itertools.pairwise(ids))
    if all(after >= before for before, after in pairs) or all(after <= before for before, after in pairs):
        return
    rises = next((pair for pair in pairs if pair[1] > pair[0]), None)
    falls = next((pair for pair in pairs if pair[1] < pair[0]), None)
    raise RuleViolation(
        "index-ordered-by-id",
        "The index is not ordered by id",
        f"Received: id {rises[1] if rises else '?'} after {rises[0] if rises else '?'}, and id "
        f"{falls[1] if falls else '?'} after {falls[0] if falls else '?'}. Documented: sort_field is id, "
        "the only sortable field.",
    )


def index_sorted_ascending(body: Body) -> None:
    """The index is ordered by id, ascending."""
    for before, after in itertools.pairwise(_ids(body)):
        if after < before:
            raise RuleViolation(
                "index-sorted-ascending",
                "The index is not sorted by id, ascending",
                f"Received: id {after} after id {before}. Documented (inferred): ascending, as the seed's example.",
            )
