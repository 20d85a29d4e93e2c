"""A scenario made ready to serve: config overrides applied, flags and keys parsed once, seen at a clock."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from contract.php import PhpJsonError, PhpJsonFlag, parse_flags
from mockserver.errors import ConfigError
from mockserver.model.mailing import MailingSource
from mockserver.scenario.scenario import Scenario

__all__ = ["Behaviour", "Overrides", "Scene"]


@dataclass(frozen=True)
class Overrides:
    """Deployment settings from the config that win over every scenario's own (None: the scenario decides)."""

    source: MailingSource | None = None
    seed: int | None = None
    auth_keys: frozenset[str] | None = None
    empty_index_status: int | None = None
    json_flags: PhpJsonFlag | None = None

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Overrides:
        """Read and check SENDSTAT_SOURCE, _SEED, _AUTH_KEYS, _EMPTY_INDEX_STATUS and _PHP_JSON_FLAGS."""
        source = config["SENDSTAT_SOURCE"]
        if source is not None and not all(callable(getattr(source, n, None)) for n in ("ids", "title", "mailing")):
            raise ConfigError(f"SENDSTAT_SOURCE must be a MailingSource (ids, title, mailing), not {source!r}")
        seed = config["SENDSTAT_SEED"]
        if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
            raise ConfigError(f"SENDSTAT_SEED must be an integer, not {seed!r}")
        keys = config["SENDSTAT_AUTH_KEYS"]
        if keys is not None and (isinstance(keys, str) or not all(isinstance(k, str) and k for k in keys)):
            raise ConfigError("SENDSTAT_AUTH_KEYS must be a collection of non-empty strings")
        status = config["SENDSTAT_EMPTY_INDEX_STATUS"]
        if status not in (None, 200, 204):
            raise ConfigError(f"SENDSTAT_EMPTY_INDEX_STATUS must be 204 or 200, not {status!r}")
        flags = config["SENDSTAT_PHP_JSON_FLAGS"]
        try:
            parsed = None if flags is None else parse_flags(flags)
        except PhpJsonError as exc:
            raise ConfigError(f"SENDSTAT_PHP_JSON_FLAGS: {exc}") from exc
        return cls(source, seed, None if keys is None else frozenset(keys), status, parsed)


@dataclass(frozen=True)
class Behaviour:
    """How the mock answers under one scenario, overrides applied; built once per scenario and worker."""

    scenario: Scenario
    source_override: MailingSource | None
    json_flags: PhpJsonFlag
    auth_keys: tuple[bytes, ...]
    empty_index_status: int

    @property
    def name(self) -> str:
        """The scenario's name."""
        return self.scenario.name

    @classmethod
    def build(cls, scenario: Scenario, overrides: Overrides) -> Behaviour:
        """Apply the overrides to a scenario and parse what every request would otherwise parse again."""
        if overrides.seed is not None and overrides.seed != scenario.seed:
            scenario = _reseeded(scenario, overrides.seed)
        keys = scenario.auth_keys if overrides.auth_keys is None else overrides.auth_keys
        flags = overrides.json_flags if overrides.json_flags is not None else parse_flags(scenario.json_flags)
        status = overrides.empty_index_status or scenario.empty_index_status
        return cls(scenario, overrides.source, flags, tuple(sorted(k.encode() for k in keys)), status)

    def at(self, now: int | None) -> Scene:
        """Return the scenario as seen at a clock."""
        source = self.source_override or self.scenario.source(now)
        return Scene(self, now, source)


@dataclass(frozen=True)
class Scene:
    """What one request is answered from: a behaviour, the clock, and the account's mailings at that clock."""

    behaviour: Behaviour
    now: int | None
    source: MailingSource


def _reseeded(scenario: Scenario, seed: int) -> Scenario:
    """Return the scenario with another seed for its generated mailings (pinned ones keep theirs)."""
    mailings = scenario.mailings
    config = dataclasses.replace(mailings.config, seed=seed)
    return dataclasses.replace(scenario, seed=seed, mailings=dataclasses.replace(mailings, config=config))
