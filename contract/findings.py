"""Findings of a run: violations classified, deduplicated by check and title, with one example each."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from contract.errors import RuleViolation
from contract.exchange import Exchange
from contract.severity import Severity, Source, classify
from contract.spec import Contract
from contract.text import printable


@dataclass
class Finding:
    """One kind of violation: what broke, how bad, why the document says so, and a request to replay."""

    check: str
    title: str
    message: str
    severity: Severity
    source: Source
    why: str
    example: Exchange | None = None
    count: int = 1
    seen_by: set[str] = field(default_factory=set)


class FindingSet:
    """Collects violations into findings, one per (check, title), in the order first seen."""

    def __init__(self, contract: Contract, *, strict: bool) -> None:
        self.contract = contract
        self.strict = strict
        self._findings: dict[tuple[str, str], Finding] = {}

    def add(self, violation: RuleViolation, exchange: Exchange | None, *, seen_by: str = "sendstat") -> Finding:
        """Record a violation; a repeat of a known (check, title) only counts."""
        key = (violation.rule_id, violation.title)
        known = self._findings.get(key)
        if known is not None:
            known.count += 1
            known.seen_by.add(seen_by)
            return known
        kind = classify(violation, self.contract, strict=self.strict)
        finding = Finding(
            check=violation.rule_id,
            # A title or message may quote the server (a body, a key, an error): shown escaped, never raw.
            title=printable(violation.title, 300),
            message=printable(violation.message, 2000),
            severity=kind.severity,
            source=kind.source,
            why=kind.why,
            # Reports show the example's request, never its body: no need to keep a large one.
            example=exchange.slim() if exchange is not None else None,
            seen_by={seen_by},
        )
        self._findings[key] = finding
        return finding

    def __iter__(self) -> Iterator[Finding]:
        return iter(self._findings.values())

    def __len__(self) -> int:
        return len(self._findings)

    def by_check(self, check: str) -> list[Finding]:
        """The findings of one check id."""
        return [finding for finding in self if finding.check == check]

    @property
    def errors(self) -> list[Finding]:
        """Findings that fail the run."""
        return [finding for finding in self if finding.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        """Findings reported without failing the run."""
        return [finding for finding in self if finding.severity == "warning"]
