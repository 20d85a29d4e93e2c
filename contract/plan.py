"""The requests the suite sends itself: the index, every listed detail, and a battery of `fields` per sample id.

schemathesis generates inputs from the schema; these requests are chosen from what the document says about
this API (the default, each section alone, unknown names, a repeat for determinism, unknown ids).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from contract.budget import BudgetExhausted
from contract.exchange import Exchange
from contract.expect import Account
from contract.php import encode, fields_value
from contract.transport import Transport

UNKNOWN_ID = 999_999_999
# After this many requests in a row without an answer the suite stops sending its own requests.
GIVE_UP = 3
NOT_A_NUMBER = "not-a-number"
BOGUS = "no_such_field"


@dataclass
class Behaviour:
    """What the suite's own requests found out: the account and every exchange, in order."""

    account: Account
    exchanges: list[Exchange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # The server left GIVE_UP requests in a row unanswered: the suite stopped sending.
    gave_up: bool = False
    # The time budget (the suite's share of it) ran out before every request was sent.
    cut: bool = False


def listed_ids(exchange: Exchange) -> tuple[int, ...]:
    """The integer ids an index answer lists, in its order (nothing for a 204 or a malformed body)."""
    if exchange.status != 200:
        return ()
    try:
        body: Any = exchange.json()
    except ValueError:
        return ()
    items = body.get("statistics") if isinstance(body, dict) else None
    if not isinstance(items, list):
        return ()
    return tuple(
        item["id"]
        for item in items
        if isinstance(item, dict) and isinstance(item.get("id"), int) and not isinstance(item.get("id"), bool)
    )


def field_battery(names: tuple[str, ...]) -> list[dict[str, str]]:
    """Query variants for one known id: the default, each name alone, unknown names, order, non-JSON."""
    everything = fields_value(names)
    return [
        {},
        *({"fields": fields_value([name])} for name in names),
        {"fields": fields_value([names[-1], names[0]])},
        {"fields": fields_value([names[1], BOGUS])},
        {"fields": fields_value([BOGUS])},
        {"fields": "[]"},
        # json_decode($fields, true): an object's values are the names (a PHP backend answers `common`).
        {"fields": encode({"a": names[1]}).decode("utf-8")},
        {"fields": ",".join(names[:2])},
        {"fields": everything},
    ]


def run_behaviour(
    transport: Transport,
    names: tuple[str, ...],
    *,
    known_id: int | None,
    max_listed: int,
    sample: int,
    on_sent: Callable[[Exchange], None],
    index_complete: bool = True,
) -> Behaviour:
    """Probe the index, then the sample ids' `fields` battery, the unknown ids and every listed id's detail.

    The most telling requests go first, so that a run cut short by its time budget has judged them.
    """
    try:
        first = transport.probe()
    except BudgetExhausted:
        return Behaviour(Account(known_id=known_id, index_complete=index_complete), cut=True)
    ids = listed_ids(first)
    behaviour = Behaviour(Account(listed=ids, known_id=known_id, index_complete=index_complete))
    misses = 0

    def send(exchange: Exchange) -> None:
        nonlocal misses
        behaviour.exchanges.append(exchange)
        on_sent(exchange)
        misses = 0 if exchange.answered else misses + 1
        if misses >= GIVE_UP:
            raise _GaveUp

    try:
        send(first)
        _views(send, transport, names, behaviour, known_id=known_id, max_listed=max_listed, sample=sample)
    except _GaveUp:
        behaviour.gave_up = True
        behaviour.notes.append(
            f"The server left {GIVE_UP} requests in a row unanswered; the suite sent none of its remaining requests."
        )
    except BudgetExhausted:
        behaviour.cut = True
    return behaviour


class _GaveUp(Exception):
    """The server stopped answering."""


def _views(
    send: Callable[[Exchange], None],
    transport: Transport,
    names: tuple[str, ...],
    behaviour: Behaviour,
    *,
    known_id: int | None,
    max_listed: int,
    sample: int,
) -> None:
    """Send the second index request, the fields battery, the unknown ids and every listed detail."""
    ids = behaviour.account.listed
    targets = list(dict.fromkeys(([known_id] if known_id is not None else []) + list(ids)))
    if not targets:
        behaviour.notes.append(
            "The index lists no mailing and no --known-id was given: the view was judged on unknown ids only. "
            "Pass --known-id N to judge a mailing's statistics."
        )
    if len(targets) > max_listed:
        behaviour.notes.append(
            f"The index lists {len(ids)} mailings; the details of the first {max_listed} were viewed."
        )
    send(transport.index({"sort_field": "id"}))
    for mailing_id in _spread(targets, sample):
        for params in field_battery(names):
            send(transport.view(mailing_id, params))
    send(transport.view(UNKNOWN_ID, {"fields": fields_value(["id"])}))
    send(transport.view(NOT_A_NUMBER))
    everything = {"fields": fields_value(names)}
    for mailing_id in targets[:max_listed]:
        send(transport.view(mailing_id, everything))


def _spread(ids: list[int], count: int) -> list[int]:
    """Up to `count` ids spread over the list: first, last, then the middle."""
    if len(ids) <= count:
        return list(ids)
    picks = [ids[0], ids[-1], ids[len(ids) // 2]]
    return list(dict.fromkeys(picks))[:count]
