"""Run settings (contract/settings.py): profiles, rates and headers."""

from __future__ import annotations

import pytest

from contract.errors import UsageError
from contract.settings import PROFILES, Settings, parse_header, parse_rate


@pytest.mark.parametrize(("value", "per_second"), [("10/s", 10.0), ("120/m", 2.0), ("3600/h", 1.0), (None, None)])
def test_parse_rate(value: str | None, per_second: float | None) -> None:
    """Rates read as requests per second."""
    assert parse_rate(value) == per_second


@pytest.mark.parametrize("value", ["10", "0/s", "ten/s", "5/d"])
def test_bad_rates_are_usage_errors(value: str) -> None:
    """A malformed rate is a usage error naming the option."""
    with pytest.raises(UsageError, match="--rate-limit"):
        parse_rate(value)


def test_parse_header() -> None:
    """A header option reads as name and value, trimmed."""
    assert parse_header("X-Estis-Auth:  k:1 ") == ("X-Estis-Auth", "k:1")


@pytest.mark.parametrize("value", ["X-Estis-Auth=secret", ": v", "Bad Name: v"])
def test_bad_headers_never_echo_the_value(value: str) -> None:
    """A malformed header is a usage error that does not repeat what may be a secret."""
    with pytest.raises(UsageError) as error:
        parse_header(value)
    assert "secret" not in str(error.value)


def test_production_is_gentle_by_default() -> None:
    """The production profile is paced, skips coverage and stateful phases, and bounds its time."""
    budget = Settings(base_url="https://x", profile="production").budget
    assert budget.rate_limit == "5/s"
    assert "coverage" not in budget.phases
    assert budget.max_time <= 60


def test_explicit_options_override_the_profile() -> None:
    """--max-examples, --rate-limit and --timeout override the profile's budget."""
    settings = Settings(base_url="https://x", max_examples=2, rate_limit="1/s", timeout=3.0)
    assert (settings.budget.max_examples, settings.budget.rate_limit, settings.budget.timeout) == (2, "1/s", 3.0)
    assert settings.requests_per_second == 1.0
    assert PROFILES["ci"].rate_limit is None
