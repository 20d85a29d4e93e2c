"""The run's wall-clock budget (contract/budget.py): what is left, a sender's share, and no request past the end."""

from __future__ import annotations

import time

import pytest

from contract.budget import BudgetExhausted, Clock


def test_a_fresh_budget_bounds_requests_by_their_timeout() -> None:
    """With plenty of budget left, a request may take its whole timeout."""
    assert Clock(60).window(10) == (10, False)


def test_the_end_of_the_budget_bounds_the_last_request() -> None:
    """A request sent near the end of the budget may only take what is left, and says so."""
    clock = Clock(60, started=time.monotonic() - 58)
    seconds, by_budget = clock.window(10)
    assert by_budget
    assert 0 < seconds <= 2


def test_nothing_is_sent_past_the_budget() -> None:
    """Once the budget is spent, a request is refused before it is sent."""
    clock = Clock(5, started=time.monotonic() - 6)
    assert clock.exhausted
    assert clock.remaining() == 0
    with pytest.raises(BudgetExhausted, match="5 s"):
        clock.window(10)


def test_a_share_ends_before_the_whole_budget() -> None:
    """A sender's share of half the budget is spent when half the time has passed; the whole is not."""
    clock = Clock(60, started=time.monotonic() - 31)
    assert clock.share(0.5).exhausted
    assert not clock.exhausted
    assert clock.share(0.5).seconds == 60
