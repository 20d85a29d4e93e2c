"""The schemathesis configuration of a run: phases, GET only, the checks that fit this API, budgets."""

from __future__ import annotations

from typing import Any

from contract.settings import Settings

# schemathesis checks that judge what this API documents; the rest either do not apply to a read-only API
# (methods, resources, auth bootstrap) or are replaced by the suite's tightened status expectations.
CHECKS_ON = ("not_a_server_error", "status_code_conformance", "content_type_conformance", "response_schema_conformance")
CHECKS_OFF = (
    "positive_data_acceptance",
    "negative_data_rejection",
    "ignored_auth",
    "missing_required_header",
    "unsupported_method",
    "use_after_free",
    "ensure_resource_availability",
    "object_level_authorization",
    "allow_header_conformance",
)


def engine_config(settings: Settings) -> dict[str, Any]:
    """The schemathesis configuration (its TOML schema, as a dict) for a run of the suite."""
    budget = settings.budget
    config: dict[str, Any] = {
        "seed": settings.seed,
        "base-url": settings.base_url,
        "headers": dict(settings.headers),
        "workers": 1,
        "request-timeout": budget.timeout,
        "cache": {"enabled": False},
        "output": {"truncation": {"max-recorded-payload-size": 0}},
        # The suite reports on its own terms; schemathesis' own warnings (missing auth, ...) are not its concern.
        "warnings": False,
        "generation": {
            "max-examples": budget.max_examples,
            "database": "none",
            # Only the user's --header values travel: a generated API key would be refused and prove nothing.
            "with-security-parameters": False,
        },
        "phases": {
            "examples": {"enabled": "examples" in budget.phases},
            "coverage": {"enabled": "coverage" in budget.phases, "unexpected-methods": []},
            "fuzzing": {"enabled": "fuzzing" in budget.phases},
            "stateful": {"enabled": "stateful" in budget.phases, "max-steps": 6},
        },
        "checks": {name: {"enabled": name in CHECKS_ON} for name in (*CHECKS_ON, *CHECKS_OFF)},
    }
    if budget.rate_limit:
        config["rate-limit"] = budget.rate_limit
    return config
