"""The wall-clock budget of a run: every request of the run, the suite's own and schemathesis', ends by its end."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import requests


class BudgetExhausted(requests.RequestException):
    """The run's time budget (or the share of it a sender may use) has run out: nothing more is sent.

    A RequestException, because the adapter raises it inside schemathesis, which handles those (its probing
    phase catches nothing else); the suite's own code catches it by name.
    """


@dataclass(frozen=True)
class Clock:
    """A budget of `seconds` from `started` (monotonic); `share` gives a sender a budget that ends earlier."""

    seconds: float
    started: float = field(default_factory=time.monotonic)
    # The end of this sender's share, when it ends before the whole budget (None: the whole budget).
    share_end: float | None = None

    @property
    def end(self) -> float:
        """When this budget (or share) ends, on the monotonic clock."""
        whole = self.started + self.seconds
        return whole if self.share_end is None else min(whole, self.share_end)

    def remaining(self) -> float:
        """Seconds left (0 when out)."""
        return max(0.0, self.end - time.monotonic())

    @property
    def exhausted(self) -> bool:
        """Whether the budget (or share) has run out."""
        return time.monotonic() >= self.end

    def elapsed(self) -> float:
        """Seconds since the run started."""
        return time.monotonic() - self.started

    def share(self, fraction: float) -> Clock:
        """The same budget, ending after `fraction` of it (a sender that must leave time for the next one)."""
        return Clock(self.seconds, self.started, self.started + self.seconds * fraction)

    def window(self, timeout: float) -> tuple[float, bool]:
        """Seconds a request may take now, and whether the budget (not the timeout) bounds it.

        Raises BudgetExhausted when nothing is left: the request must not be sent.
        """
        left = self.remaining()
        if left <= 0:
            raise BudgetExhausted(f"the time budget of {self.seconds:g} s ran out")
        return (left, True) if left < timeout else (timeout, False)
