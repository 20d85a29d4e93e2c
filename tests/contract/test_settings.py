"""Run settings (contract/settings.py): the profiles and the options that override them."""

from __future__ import annotations

from contract.settings import PROFILES, Settings


def test_production_is_gentle_by_default() -> None:
    """The production profile is paced, skips coverage and stateful phases, and bounds its time."""
    budget = Settings(base_url="https://x", profile="production").budget
    assert budget.rate_limit == "5/s"
    assert "coverage" not in budget.phases
    assert budget.max_time <= 60


def test_explicit_options_override_the_profile() -> None:
    """--max-examples, --rate-limit, --timeout, --budget, --max-body and --max-latency override the profile."""
    settings = Settings(
        base_url="https://x", max_examples=2, rate_limit="1/s", timeout=3.0, max_time=9, max_body=2048, max_latency=0.5
    )
    budget = settings.budget
    assert (budget.max_examples, budget.rate_limit, budget.timeout) == (2, "1/s", 3.0)
    assert (budget.max_time, budget.max_body, budget.max_latency) == (9, 2048, 0.5)
    assert settings.requests_per_second == 1.0
    assert PROFILES["ci"].rate_limit is None


def test_every_profile_has_a_hard_budget() -> None:
    """Both profiles bound the whole run in time (ci 60 s) and each answer in size (64 MiB)."""
    assert PROFILES["ci"].max_time == 60
    assert all(budget.max_body == 64 * 1024 * 1024 and budget.max_time > 0 for budget in PROFILES.values())
