"""Building a worker's control runtime from the app config (SENDSTAT_* keys), with one-line config errors."""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from contract.spec import Contract
from mockserver.control.runtime import Limits, Runtime
from mockserver.control.scene import Overrides
from mockserver.errors import ConfigError
from mockserver.scenario.library import LoadContext, ScenarioLibrary, default_scenario_dirs
from mockserver.state.backend import open_state
from mockserver.state.config import DEFAULT_POLL, StateSettings

__all__ = ["CONTROL_DEFAULTS", "build_runtime", "control_token", "scenario_dirs", "state_settings"]

CONTROL_DEFAULTS: dict[str, Any] = {
    # The start scenario: a name, or a path to a file inside a scenario directory.
    "SENDSTAT_SCENARIO": "default",
    # Directories searched before the shipped scenarios (the first directory wins a name).
    "SENDSTAT_SCENARIO_DIRS": (),
    # A loaded ScenarioLibrary (tests share one); None: load SENDSTAT_SCENARIO_DIRS and the shipped ones.
    "SENDSTAT_SCENARIO_LIBRARY": None,
    # Where the shared state lives: "local" (SQLite in SENDSTAT_STATE_DIR) or a redis:// URL (every instance).
    "SENDSTAT_STATE": "local",
    # The directory of the local state all workers of one server share (SQLite); None: in memory, one process.
    "SENDSTAT_STATE_DIR": None,
    # Seconds between a worker's looks at Redis for changes made through other workers and instances.
    "SENDSTAT_STATE_POLL": DEFAULT_POLL,
    # Seconds a session lives after its last change through the control API; None: until deleted.
    "SENDSTAT_SESSION_TTL": None,
    # A token the control API requires from everyone (Authorization: Bearer); None: loopback clients only.
    "SENDSTAT_CONTROL_TOKEN": None,
    "SENDSTAT_JOURNAL_LIMIT": 10_000,
    # A timeout fault holds a request at most this long, and at most this many at once per worker.
    "SENDSTAT_MAX_HOLD_MS": 30_000,
    "SENDSTAT_HOLD_SLOTS": 4,
    # Seconds between polls of the scenario files for changes; None: no hot reload.
    "SENDSTAT_RELOAD_INTERVAL": 1.0,
    # The function latency and timeouts sleep with (tests record instead of waiting); None: time.sleep.
    "SENDSTAT_SLEEP": None,
}


def scenario_dirs(config: Mapping[str, Any]) -> list[Path]:
    """Return the scenario directories: the configured extra ones first, then the shipped ones."""
    extra = config["SENDSTAT_SCENARIO_DIRS"]
    if isinstance(extra, str | Path) or not all(isinstance(d, str | Path) for d in extra):
        raise ConfigError(f"SENDSTAT_SCENARIO_DIRS must be a list of directories, not {extra!r}")
    missing = [str(d) for d in extra if not Path(d).is_dir()]
    if missing:
        raise ConfigError(f"SENDSTAT_SCENARIO_DIRS: not a directory: {missing[0]}")
    return [*(Path(d) for d in extra), *default_scenario_dirs()]


def control_token(config: Mapping[str, Any]) -> str | None:
    """Return the configured control token (None: loopback only); an empty one is refused."""
    token = config["SENDSTAT_CONTROL_TOKEN"]
    if token is not None and (not isinstance(token, str) or not token.strip()):
        raise ConfigError("SENDSTAT_CONTROL_TOKEN must be a non-empty string")
    return token


def build_runtime(config: Mapping[str, Any], contract: Contract) -> Runtime:
    """Load the scenarios, open the shared state and check the start scenario; ConfigError names the key."""
    overrides = Overrides.from_config(config)
    dirs = scenario_dirs(config)
    library = config["SENDSTAT_SCENARIO_LIBRARY"]
    if library is None:
        # Lazy: a server starts on one scenario; the others load when first asked for (start-up time).
        library = ScenarioLibrary(dirs, LoadContext.create(contract), lazy=True)
    elif not isinstance(library, ScenarioLibrary):
        raise ConfigError(f"SENDSTAT_SCENARIO_LIBRARY must be a ScenarioLibrary, not {library!r}")
    settings = state_settings(config)
    limits = Limits(
        max_hold_ms=_whole(config, "SENDSTAT_MAX_HOLD_MS"),
        hold_slots=_whole(config, "SENDSTAT_HOLD_SLOTS", low=1),
        reload_interval=_interval(config["SENDSTAT_RELOAD_INTERVAL"]),
    )
    sleep = config["SENDSTAT_SLEEP"] or time.sleep
    if not callable(sleep):
        raise ConfigError(f"SENDSTAT_SLEEP must be a function of seconds, not {sleep!r}")
    start = config["SENDSTAT_SCENARIO"]
    if not isinstance(start, str) or not start:
        raise ConfigError(f"SENDSTAT_SCENARIO must be a scenario name or path, not {start!r}")
    state = open_state(settings)  # a Redis that cannot serve: ConfigError, in one line
    try:
        return Runtime(library, state, start, overrides, limits, sleep)
    except BaseException:
        state.close()
        raise


def state_settings(config: Mapping[str, Any]) -> StateSettings:
    """Read where the shared state lives (SENDSTAT_STATE, _STATE_DIR) and its bounds; ConfigError names the key."""
    where = config["SENDSTAT_STATE"]
    if not isinstance(where, str) or not where.strip():
        raise ConfigError(f"SENDSTAT_STATE must be `local` or a redis:// URL, not {where!r}")
    url = None if where.strip() == "local" else where.strip()
    state_dir = config["SENDSTAT_STATE_DIR"]
    if state_dir is not None and not Path(state_dir).is_dir():
        raise ConfigError(f"SENDSTAT_STATE_DIR: not a directory: {state_dir}")
    poll = config["SENDSTAT_STATE_POLL"]
    if not isinstance(poll, int | float) or isinstance(poll, bool) or not 0.001 <= poll <= 10:
        raise ConfigError(f"SENDSTAT_STATE_POLL must be seconds from 0.001 to 10, not {poll!r}")
    ttl = config["SENDSTAT_SESSION_TTL"]
    if ttl is not None and (not isinstance(ttl, int | float) or isinstance(ttl, bool) or not ttl > 0):
        raise ConfigError(f"SENDSTAT_SESSION_TTL must be seconds > 0 or None, not {ttl!r}")
    return StateSettings(
        url=url,
        directory=None if state_dir is None else Path(state_dir),
        journal_limit=_whole(config, "SENDSTAT_JOURNAL_LIMIT", low=1),
        session_ttl=None if ttl is None else float(ttl),
        poll=float(poll),
    )


def _whole(config: Mapping[str, Any], key: str, low: int = 0) -> int:
    value = config[key]
    if not isinstance(value, int) or isinstance(value, bool) or value < low:
        raise ConfigError(f"{key} must be a whole number >= {low}, not {value!r}")
    return value


def _interval(value: Any) -> float | None:
    if value is None:
        return None
    if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
        raise ConfigError(f"SENDSTAT_RELOAD_INTERVAL must be seconds >= 0 or None, not {value!r}")
    return float(value)
