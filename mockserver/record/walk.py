"""Walking the target politely: the index, then each listed mailing's view with every section, paced and resumable."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from contract.budget import BudgetExhausted
from contract.exchange import Exchange
from contract.transport import Transport
from mockserver.errors import RecordError
from mockserver.record.journal import Answer, RecordLog
from mockserver.record.progress import Bar

__all__ = ["RETRIES", "Walked", "listed", "walk"]

# A request without an answer, or answered 5xx, is sent again this many times (paced) before the walk gives up on it.
RETRIES = 2


@dataclass(frozen=True)
class Walked:
    """What the walk fetched: the index answer, the ids it lists (in its order), the views of the chosen ones."""

    index: Answer
    listed: tuple[int, ...]
    chosen: tuple[int, ...]
    views: dict[int, Answer]


def listed(index: Answer) -> tuple[int, ...]:
    """The integer ids a 200 index answer lists, in its order, each once (none for a 204 or a malformed body)."""
    if index.status != 200:
        return ()
    try:
        body = json.loads(index.body.decode("utf-8"))
    except ValueError:
        return ()
    items = body.get("statistics") if isinstance(body, dict) else None
    if not isinstance(items, list):
        return ()
    ids = [
        item["id"]
        for item in items
        if isinstance(item, dict) and isinstance(item.get("id"), int) and not isinstance(item["id"], bool)
    ]
    return tuple(dict.fromkeys(mailing_id for mailing_id in ids if mailing_id > 0))


def walk(transport: Transport, log: RecordLog, fields: str, *, limit: int | None, bar: Callable[[int], Bar]) -> Walked:
    """Fetch what the log does not hold yet; RecordError when the target refuses or stops answering."""
    if log.index is None:
        exchange = _fetch(lambda: transport.index(), "the index")
        if exchange.status in (401, 403):
            raise RecordError(
                f"the target refused the index with {exchange.status}: "
                "pass the API key with --header 'X-Estis-Auth: KEY'"
            )
        if exchange.status not in (200, 204):
            raise RecordError(f"the index answered {exchange.status}, not 200 or 204: there is nothing to record")
        log.add_index(Answer(_relative(exchange, transport.base_path), exchange.status, exchange.body))
    assert log.index is not None
    ids = listed(log.index)
    chosen = ids[:limit] if limit is not None else ids
    progress = bar(len(chosen))
    done = sum(1 for mailing_id in chosen if mailing_id in log.views)
    progress.advance(done)
    for mailing_id in chosen:
        if mailing_id in log.views:
            continue
        try:
            exchange = _fetch(
                functools.partial(transport.view, mailing_id, {"fields": fields}), f"mailing {mailing_id}"
            )
        except RecordError as exc:
            progress.finish()
            raise RecordError(
                f"{exc}; {done} of {len(chosen)} mailings recorded in {log.path}: run the same command again to resume"
            ) from None
        log.add_view(mailing_id, Answer(_relative(exchange, transport.base_path), exchange.status, exchange.body))
        done += 1
        progress.advance(done)
    progress.finish()
    return Walked(log.index, ids, tuple(chosen), {i: log.views[i] for i in chosen})


def _fetch(send: Callable[[], Exchange], what: str) -> Exchange:
    """Send, again up to RETRIES times while there is no answer or a 5xx; RecordError when none ever came."""
    exchange: Exchange | None = None
    for _ in range(RETRIES + 1):
        try:
            exchange = send()
        except BudgetExhausted:
            raise RecordError(f"{what}: the recording's time ran out") from None
        if exchange.answered and exchange.status < 500:
            return exchange
    assert exchange is not None
    if not exchange.answered:
        raise RecordError(f"{what}: no answer after {RETRIES + 1} tries ({exchange.error})")
    return exchange


def _relative(exchange: Exchange, base_path: str) -> str:
    """The path and query of an exchange relative to the target (what the mock is asked in the round trip)."""
    parts = urlsplit(exchange.url)
    path = parts.path[len(base_path) :] if base_path and parts.path.startswith(base_path) else parts.path
    return path + (f"?{parts.query}" if parts.query else "")
