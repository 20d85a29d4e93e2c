"""Hand-made exchanges for the checks' unit tests (no server needed)."""

from __future__ import annotations

import json
from typing import Any

from contract.checks import CheckContext
from contract.exchange import Exchange
from contract.expect import Account
from contract.spec import Contract

BASE = "http://api.test"
SEED_BODY: dict[str, Any] = {
    "id": 1,
    "common": {"count": 1, "delivered": 1, "bounce": 0, "opened": 1, "clicked": 0, "spam": 0, "unsubs": 0},
    "open_time": {"1474279200": 1},
    "click_statistic": [],
    "domain_statistic": {"example.com": {"delivered": 1, "bounce": 0}},
    "errors": [],
}
ALL_FIELDS = '["id","common","open_time","click_statistic","domain_statistic","errors"]'


def make(
    path: str,
    status: int = 200,
    body: Any = None,
    *,
    raw: bytes | None = None,
    content_type: str = "application/json; charset=UTF-8",
    source: str = "sendstat",
    authenticated: bool = True,
) -> Exchange:
    """An exchange of GET BASE+path answered with status and a JSON body (or raw bytes)."""
    content = raw if raw is not None else (b"" if body is None else json.dumps(body).encode())
    return Exchange(
        source=source,
        method="GET",
        url=BASE + path,
        request_headers={"X-Estis-Auth": "sekret", "User-Agent": "test"},
        status=status,
        headers={"content-type": content_type} if content else {},
        body=content,
        elapsed=0.01,
        authenticated=authenticated,
    )


def context(contract: Contract, listed: tuple[int, ...] = (1, 7, 42), known_id: int | None = None) -> CheckContext:
    """A check context over the shipped contract and an account listing `listed`."""
    return CheckContext(contract, Account(listed=listed, known_id=known_id))
