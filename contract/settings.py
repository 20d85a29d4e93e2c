"""What one run of the suite does: the target, credentials, budgets, and the two profiles (ci, production)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from contract.options import parse_rate

ProfileName = Literal["ci", "production"]
PHASES = ("examples", "coverage", "fuzzing", "stateful")
MiB = 1024 * 1024
# The share of the time budget the suite's own requests may use when schemathesis runs after them.
OWN_SHARE = 0.5


@dataclass(frozen=True)
class Budget:
    """What a profile may spend: examples and phases, ids viewed, pace, and the bounds of time and size.

    `max_time` is the hard wall-clock budget of the whole run; `timeout` bounds one request (connect, head
    and body); `max_body` the decoded bytes read of one answer; an operation whose p95 latency passes
    `max_latency` is a finding.
    """

    max_examples: int
    phases: tuple[str, ...]
    max_time: float
    max_listed: int
    sample: int
    rate_limit: str | None
    timeout: float
    max_body: int = 64 * MiB
    max_latency: float = 1.0


PROFILES: Mapping[ProfileName, Budget] = {
    # A local mock or a staging server: every phase, no pacing, a verdict within a minute.
    "ci": Budget(max_examples=15, phases=PHASES, max_time=60, max_listed=200, sample=3, rate_limit=None, timeout=10),
    # A live service: read-only, paced, a bounded number of requests (at most rate x max_time).
    "production": Budget(
        max_examples=5,
        phases=("examples", "fuzzing"),
        max_time=60,
        max_listed=20,
        sample=1,
        rate_limit="5/s",
        timeout=15,
        max_latency=2.0,
    ),
}


@dataclass(frozen=True)
class Settings:
    """Everything a run needs; built by the CLI or the pytest plugin."""

    base_url: str
    profile: ProfileName = "ci"
    spec: Path | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    rate_limit: str | None = None
    timeout: float | None = None
    seed: int = 0
    max_examples: int | None = None
    strict: bool = False
    known_id: int | None = None
    max_time: float | None = None
    max_body: int | None = None
    max_latency: float | None = None

    @property
    def budget(self) -> Budget:
        """The profile's budget with the explicit options applied."""
        budget = PROFILES[self.profile]
        return replace(
            budget,
            max_examples=self.max_examples or budget.max_examples,
            rate_limit=self.rate_limit or budget.rate_limit,
            timeout=self.timeout or budget.timeout,
            max_time=self.max_time or budget.max_time,
            max_body=self.max_body or budget.max_body,
            max_latency=self.max_latency or budget.max_latency,
        )

    @property
    def requests_per_second(self) -> float | None:
        """The pace as requests per second, or None for no pacing."""
        return parse_rate(self.budget.rate_limit)
