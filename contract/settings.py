"""What one run of the suite does: the target, credentials, budgets, and the two profiles (ci, production)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from contract.errors import UsageError

ProfileName = Literal["ci", "production"]
PHASES = ("examples", "coverage", "fuzzing", "stateful")
RATE = re.compile(r"(?P<count>[0-9]+)/(?P<unit>s|m|h)")
SECONDS = {"s": 1, "m": 60, "h": 3600}


@dataclass(frozen=True)
class Budget:
    """How much a profile may send: generated examples, engine phases and time, ids viewed, pace."""

    max_examples: int
    phases: tuple[str, ...]
    max_time: int
    max_listed: int
    sample: int
    rate_limit: str | None
    timeout: float


PROFILES: Mapping[ProfileName, Budget] = {
    # A local mock or a staging server: every phase, no pacing, done in well under a minute.
    "ci": Budget(max_examples=15, phases=PHASES, max_time=40, max_listed=200, sample=3, rate_limit=None, timeout=10),
    # A live service: read-only, paced, a bounded number of requests (at most rate x max_time).
    "production": Budget(
        max_examples=5,
        phases=("examples", "fuzzing"),
        max_time=60,
        max_listed=20,
        sample=1,
        rate_limit="5/s",
        timeout=15,
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

    @property
    def budget(self) -> Budget:
        """The profile's budget with the explicit options applied."""
        budget = PROFILES[self.profile]
        return replace(
            budget,
            max_examples=self.max_examples or budget.max_examples,
            rate_limit=self.rate_limit or budget.rate_limit,
            timeout=self.timeout or budget.timeout,
        )

    @property
    def requests_per_second(self) -> float | None:
        """The pace as requests per second, or None for no pacing."""
        return parse_rate(self.budget.rate_limit)


def parse_rate(value: str | None) -> float | None:
    """Read a rate such as `10/s`, `300/m` or `1000/h` (None: unlimited)."""
    if value is None:
        return None
    match = RATE.fullmatch(value.strip())
    if match is None or int(match["count"]) == 0:
        raise UsageError(f"--rate-limit {value!r}: expected N/s, N/m or N/h with N >= 1, e.g. 10/s")
    return int(match["count"]) / SECONDS[match["unit"]]


def parse_header(value: str) -> tuple[str, str]:
    """Read a `Name: value` header option."""
    name, sep, content = value.partition(":")
    if not sep or not name.strip() or any(ch.isspace() for ch in name.strip()):
        # The value may be a secret: never echo it.
        raise UsageError("--header: expected 'Name: value' (e.g. 'X-Estis-Auth: KEY')")
    return name.strip(), content.strip()
