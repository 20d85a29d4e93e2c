"""Building the runtime from the config: directories, token, limits."""

from __future__ import annotations

from pathlib import Path

import pytest

from contract.spec import Contract
from mockserver.control.setup import build_runtime, control_token, scenario_dirs
from mockserver.errors import ConfigError
from mockserver.http.app import DEFAULTS
from mockserver.scenario.library import default_scenario_dirs


def test_extra_directories_come_before_the_shipped_ones(tmp_path: Path) -> None:
    """SENDSTAT_SCENARIO_DIRS are searched first, so a team's scenario may replace a shipped one by name."""
    assert scenario_dirs({**DEFAULTS, "SENDSTAT_SCENARIO_DIRS": [str(tmp_path)]}) == [
        tmp_path,
        *default_scenario_dirs(),
    ]
    assert scenario_dirs(DEFAULTS) == default_scenario_dirs()


@pytest.mark.parametrize(("token", "expected"), [(None, None), ("s3cret", "s3cret")])
def test_the_control_token(token: str | None, expected: str | None) -> None:
    """No token: loopback only; a token is kept as given."""
    assert control_token({**DEFAULTS, "SENDSTAT_CONTROL_TOKEN": token}) == expected


@pytest.mark.parametrize("token", ["", "  ", 5])
def test_a_blank_token_is_refused(token: object) -> None:
    """An empty or non-text token would open nothing or everything: ConfigError."""
    with pytest.raises(ConfigError, match="SENDSTAT_CONTROL_TOKEN"):
        control_token({**DEFAULTS, "SENDSTAT_CONTROL_TOKEN": token})


def test_the_runtime_loads_only_the_start_scenario_until_asked(contract: Contract) -> None:
    """build_runtime lists every scenario file but loads one; listing the errors loads them all."""
    runtime = build_runtime({**DEFAULTS, "SENDSTAT_SCENARIO": "single"}, contract)
    library = runtime.library
    assert "large" in runtime.names()
    assert len(library._loaded) == 1
    assert runtime.errors() == ()
    assert len(library._loaded) == len(runtime.names())
    runtime.close()
