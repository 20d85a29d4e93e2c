"""The schemathesis configuration of a run (contract/engine_config.py)."""

from __future__ import annotations

from schemathesis.config import SchemathesisConfig

from contract.engine_config import CHECKS_OFF, CHECKS_ON, engine_config
from contract.settings import Settings

SETTINGS = Settings(base_url="http://api.test", headers={"X-Estis-Auth": "k"}, seed=5, rate_limit="7/s")


def test_schemathesis_accepts_the_configuration() -> None:
    """The configuration validates against schemathesis' own config schema and keeps the seed."""
    config = SchemathesisConfig.from_dict(engine_config(SETTINGS))
    assert config.seed == 5


def test_only_get_and_no_generated_credentials() -> None:
    """Coverage sends no unexpected methods, and only the user's headers carry credentials."""
    config = engine_config(SETTINGS)
    assert config["phases"]["coverage"]["unexpected-methods"] == []
    assert config["generation"]["with-security-parameters"] is False
    assert config["headers"] == {"X-Estis-Auth": "k"}


def test_checks_fit_the_api() -> None:
    """Response checks stay on; checks replaced by the tightened expectations or not applicable are off."""
    checks = engine_config(SETTINGS)["checks"]
    assert all(checks[name]["enabled"] for name in CHECKS_ON)
    assert not any(checks[name]["enabled"] for name in CHECKS_OFF)


def test_budget_and_pace_come_from_the_profile() -> None:
    """Phases, examples, timeout and the rate limit follow the settings; the disk cache is off."""
    config = engine_config(Settings(base_url="http://api.test", profile="production"))
    assert config["phases"]["coverage"]["enabled"] is False
    assert config["generation"]["max-examples"] == 5
    assert config["rate-limit"] == "5/s"
    assert config["cache"] == {"enabled": False}
