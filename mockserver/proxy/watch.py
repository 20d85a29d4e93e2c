"""Judging each exchange that passes through with the checker's rules, learning the account from index answers."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from contract.checks import CheckContext, run_exchange
from contract.checks.cross import CROSS_CHECKS
from contract.errors import RuleViolation
from contract.exchange import INDEX_PATH, Exchange
from contract.expect import Account, index_is_complete
from contract.plan import listed_ids
from contract.severity import Severity, classify
from contract.spec import Contract
from contract.text import one_line

__all__ = ["HEADER_CHARS", "Finding", "Watch"]

# A header line is short: the severity, the rule and its title; the full text goes to the log and the 502 body.
HEADER_CHARS = 200
# Earlier view answers kept for deterministic-answers: per distinct URL, up to this many URLs and body size.
KEPT_VIEWS = 256
KEPT_BODY = 1024 * 1024


@dataclass(frozen=True)
class Finding:
    """One rule an answer broke: its id, how bad (the checker's classification), its title and received/documented."""

    check: str
    severity: Severity
    title: str
    message: str

    def header(self) -> str:
        """One short ASCII line for X-Contract-Violations: `error status-code: <title>`."""
        text = one_line(f"{self.severity} {self.check}: {self.title}").encode("ascii", "backslashreplace").decode()
        return text if len(text) <= HEADER_CHARS else text[: HEADER_CHARS - 3] + "..."

    def line(self) -> str:
        """The whole finding on one line, for the log."""
        return one_line(f"{self.severity} {self.check}: {self.title}. {self.message}", 2000)

    def to_json(self) -> dict[str, str]:
        """The finding as the 502 body of --fail-on-violation lists it."""
        return {"check": self.check, "severity": self.severity, "title": self.title, "message": self.message}


class Watch:
    """The checker's per-exchange checks and its rules across requests, on a stream of exchanges.

    The account is what the latest authenticated index answer listed (as `sendstat check` learns it from its
    first index request): until one passes through, a view of any id may be 200 or 404. Rules across requests
    are judged where one exchange can show them: a listed id's view (index-detail-agree), and the same view URL
    answered 200 twice (deterministic-answers, against the previous answer).
    """

    def __init__(self, contract: Contract, *, strict: bool = False) -> None:
        self.contract = contract
        self.strict = strict
        self._lock = threading.Lock()
        complete = index_is_complete(contract.document, INDEX_PATH)
        self._ctx = CheckContext(contract, Account(index_complete=complete))
        self._views: OrderedDict[str, Exchange] = OrderedDict()

    @property
    def account(self) -> Account:
        """What the watch knows of the account now."""
        return self._ctx.account

    def judge(self, exchange: Exchange) -> list[Finding]:
        """The findings of one exchange (none for a path the document does not describe)."""
        if exchange.operation is None or exchange.method != "GET":
            return []
        with self._lock:
            ctx = self._ctx
            previous = self._views.get(exchange.url) if exchange.operation == "view" else None
        violations = run_exchange(ctx, exchange)
        violations += _cross(ctx, "index-detail-agree", [exchange])
        if previous is not None:
            violations += _cross(ctx, "deterministic-answers", [previous, exchange])
        self._learn(exchange)
        findings: dict[tuple[str, str], Finding] = {}
        for violation in violations:
            kind = classify(violation, self.contract, strict=self.strict)
            finding = Finding(violation.rule_id, kind.severity, violation.title, violation.message)
            findings.setdefault((finding.check, finding.title), finding)
        return sorted(findings.values(), key=lambda finding: finding.severity != "error")

    def _learn(self, exchange: Exchange) -> None:
        """Take the listed ids of an authenticated index answer, and keep a 200 view for the next same request."""
        if not exchange.authenticated:
            return
        with self._lock:
            if exchange.operation == "index" and exchange.status in (200, 204):
                account = Account(listed=listed_ids(exchange), index_complete=self._ctx.account.index_complete)
                # The compiled schema validators are kept: only the account changed.
                self._ctx = CheckContext(self.contract, account, self._ctx._validators)
            elif exchange.operation == "view" and exchange.status == 200 and len(exchange.body) <= KEPT_BODY:
                self._views[exchange.url] = exchange.slim(keep_body=True)
                self._views.move_to_end(exchange.url)
                while len(self._views) > KEPT_VIEWS:
                    self._views.popitem(last=False)


def _cross(ctx: CheckContext, check: str, exchanges: Sequence[Exchange]) -> list[RuleViolation]:
    """The violation of one rule across requests over these exchanges, if any."""
    try:
        CROSS_CHECKS[check](ctx, exchanges)
    except RuleViolation as violation:
        return [violation]
    return []
