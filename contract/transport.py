"""The suite's own GET requests: the user's headers, bounded answers, a pace, and every answer as an Exchange."""

from __future__ import annotations

import time
from collections.abc import Mapping
from urllib.parse import quote, urlsplit

import requests

from contract.bounded import BoundedAdapter, Limits, NoAnswer, bounded_session
from contract.budget import BudgetExhausted, Clock
from contract.errors import NetworkError
from contract.exchange import INDEX_PATH, Exchange, flatten_headers
from contract.settings import Settings
from contract.text import one_line


class Pace:
    """Keeps requests at most `per_second` apart (None: no pacing)."""

    def __init__(self, per_second: float | None) -> None:
        self.interval = 1.0 / per_second if per_second else 0.0
        self._next = 0.0

    def wait(self, clock: Clock | None = None) -> None:
        """Block until the next request may go (pacing a live service, not synchronising).

        Raises BudgetExhausted instead of waiting past the end of the budget.
        """
        now = time.monotonic()
        if self._next > now:
            if clock is not None and self._next >= clock.end:
                raise BudgetExhausted("the time budget runs out before the next request may go")
            time.sleep(self._next - now)
        self._next = max(now, self._next) + self.interval


class Transport:
    """Sends GET requests to the base URL within the run's bounds and records each one as an Exchange."""

    def __init__(self, settings: Settings, clock: Clock | None = None) -> None:
        budget = settings.budget
        self.base_url = settings.base_url.rstrip("/")
        self.base_path = urlsplit(self.base_url).path.rstrip("/")
        self.timeout = budget.timeout
        self.clock = clock if clock is not None else Clock(budget.max_time)
        self.adapter = BoundedAdapter(Limits(budget.timeout, budget.max_body), self.clock)
        self.session = bounded_session(settings.headers, self.adapter)
        self.pace = Pace(settings.requests_per_second)

    @property
    def sent(self) -> int:
        """How many requests went out."""
        return self.adapter.sent

    def close(self) -> None:
        """Release the connection pool."""
        self.session.close()

    def index(self, params: Mapping[str, str] | None = None) -> Exchange:
        """GET the index."""
        return self.get(INDEX_PATH, params)

    def view(self, segment: str | int, params: Mapping[str, str] | None = None) -> Exchange:
        """GET the view of one path id (any segment, sent percent-encoded)."""
        return self.get(f"{INDEX_PATH}/{quote(str(segment), safe='')}", params)

    def get(self, path: str, params: Mapping[str, str] | None = None) -> Exchange:
        """Send one GET; no usable answer becomes an Exchange with status 0 and the reason.

        Raises BudgetExhausted when the run's time budget (or this sender's share) is spent.
        """
        request = requests.Request("GET", self.base_url + path, params=dict(params or {}))
        prepared = self.session.prepare_request(request)
        url = prepared.url or self.base_url + path
        headers = {name: str(value) for name, value in prepared.headers.items()}
        self.pace.wait(self.clock)
        started = time.monotonic()
        try:
            response = self.session.send(prepared, allow_redirects=False)
        except NoAnswer as exc:
            return self._no_answer(url, headers, exc.reason, started, exc.check)
        except requests.ConnectionError as exc:
            return self._no_answer(url, headers, f"connection failed: {_reason(exc)}", started)
        return Exchange(
            source="sendstat",
            method="GET",
            url=url,
            request_headers=headers,
            status=response.status_code,
            headers=flatten_headers(dict(response.headers)),
            body=response.content,
            elapsed=response.elapsed.total_seconds(),
            base_path=self.base_path,
        )

    def probe(self) -> Exchange:
        """GET the index once; raise NetworkError when no connection can be made or the key is refused.

        A server that takes the connection but gives no usable answer is judged (a no-answer finding), not
        reported as unreachable.
        """
        exchange = self.index()
        if exchange.error is not None and exchange.error.startswith("connection failed"):
            raise NetworkError(f"cannot reach {self.base_url}: {exchange.error}")
        if exchange.status in (401, 403):
            raise NetworkError(
                f"{self.base_url} refused the request with {exchange.status}: "
                "pass the API key with --header 'X-Estis-Auth: KEY'"
            )
        return exchange

    def _no_answer(
        self, url: str, headers: dict[str, str], error: str, started: float, check: str = "no-answer"
    ) -> Exchange:
        return Exchange(
            source="sendstat",
            method="GET",
            url=url,
            request_headers=headers,
            status=0,
            headers={},
            body=b"",
            elapsed=time.monotonic() - started,
            base_path=self.base_path,
            error=error,
            error_check=check,
        )


def _reason(exc: requests.RequestException) -> str:
    """The reason of a connection error without urllib3's wrapping (`Connection refused`, `Failed to resolve`)."""
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    text = str(reason if reason is not None else exc)
    text = text.split(": ", 1)[1] if text.startswith("HTTPConnection") and ": " in text else text
    return one_line(text, 300)
