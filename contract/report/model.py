"""The outcome of a run, as every report format reads it."""

from __future__ import annotations

from dataclasses import dataclass, field

from contract.findings import Finding
from contract.latency import Latency

# How every report names where a finding's rule comes from (a finding's `source`).
SOURCE_WORDS = {"seed": "a seed rule", "inferred": "inferred", "document": "the document"}


@dataclass
class Report:
    """Findings, notes and counts of one run, and the settings needed to read and reproduce it."""

    base_url: str
    profile: str
    strict: bool
    seed: int
    document: str
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    requests: dict[str, int] = field(default_factory=dict)
    duration: float = 0.0
    masked: frozenset[str] = frozenset()
    checks: tuple[str, ...] = ()
    # Per operation (index, view): p50, p95 and max seconds over the answered requests.
    latency: dict[str, Latency] = field(default_factory=dict)
    max_latency: float = 0.0
    # The run's time budget in seconds, and the cap on one answer's decoded bytes, as shown.
    budget: float = 0.0
    max_body: str = ""
    # Why the server could not be judged (exit 2: unreachable, key refused, a bad option); None once it was.
    error: str | None = None

    @property
    def errors(self) -> list[Finding]:
        """Findings that fail the run."""
        return [finding for finding in self.findings if finding.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        """Findings that do not fail the run (inferred rules without --strict)."""
        return [finding for finding in self.findings if finding.severity == "warning"]

    @property
    def exit_code(self) -> int:
        """0 when the server keeps the contract, 1 on a contract failure, 2 when it could not be judged."""
        if self.error is not None:
            return 2
        return 1 if self.errors else 0

    @property
    def verdict(self) -> str:
        """`pass`, `fail`, or `error` (the server could not be judged)."""
        if self.error is not None:
            return "error"
        return "fail" if self.errors else "pass"

    def curl(self, finding: Finding) -> str | None:
        """The curl line that replays a finding's example request, credentials masked."""
        return finding.example.curl(self.masked) if finding.example is not None else None
