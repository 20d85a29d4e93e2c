"""Behaviours: a scenario with the config's overrides applied, parsed once, seen at a clock."""

from __future__ import annotations

from typing import Any

import pytest

from contract.php import PhpJsonFlag
from mockserver.control.scene import Behaviour, Overrides
from mockserver.errors import ConfigError
from mockserver.http.app import DEFAULTS
from mockserver.scenario.library import ScenarioLibrary
from tests.conftest import MAILINGS, FakeSource


def overrides(**config: Any) -> Overrides:
    """Read overrides from DEFAULTS with some keys set."""
    return Overrides.from_config({**DEFAULTS, **config})


def test_without_overrides_the_scenario_decides(library: ScenarioLibrary) -> None:
    """Keys, flags, the empty status and the mailings are the scenario's."""
    behaviour = Behaviour.build(library.get("auth-required"), overrides())
    assert behaviour.auth_keys == (b"qa-key-1", b"qa-key-2")
    assert (behaviour.json_flags, behaviour.empty_index_status) == (PhpJsonFlag.NONE, 204)
    raw = Behaviour.build(library.get("unescaped-json"), overrides())
    assert raw.json_flags == PhpJsonFlag.JSON_UNESCAPED_UNICODE | PhpJsonFlag.JSON_UNESCAPED_SLASHES
    assert Behaviour.build(library.get("empty-200"), overrides()).empty_index_status == 200


def test_overrides_win_over_every_scenario(library: ScenarioLibrary) -> None:
    """Config keys replace the scenario's keys, flags, empty status and mailings."""
    source = FakeSource(MAILINGS)
    given = overrides(
        SENDSTAT_AUTH_KEYS=["k"],
        SENDSTAT_PHP_JSON_FLAGS="JSON_UNESCAPED_UNICODE",
        SENDSTAT_EMPTY_INDEX_STATUS=200,
        SENDSTAT_SOURCE=source,
    )
    behaviour = Behaviour.build(library.get("auth-required"), given)
    assert (behaviour.auth_keys, behaviour.empty_index_status) == ((b"k",), 200)
    assert behaviour.json_flags == PhpJsonFlag.JSON_UNESCAPED_UNICODE
    assert behaviour.at(None).source is source


def test_a_seed_override_reseeds_the_generated_mailings(library: ScenarioLibrary) -> None:
    """SENDSTAT_SEED changes generated titles but keeps the ids, the clock and the name."""
    original = Behaviour.build(library.get("single"), overrides())
    reseeded = Behaviour.build(library.get("single"), overrides(SENDSTAT_SEED=99))
    now = original.scenario.clock
    assert (reseeded.name, reseeded.scenario.seed, reseeded.scenario.clock) == ("single", 99, now)
    ids = original.at(now).source.ids()
    assert list(reseeded.at(now).source.ids()) == list(ids)


def test_a_scene_is_the_source_at_a_clock(library: ScenarioLibrary) -> None:
    """at(now) gives the scenario's mailings as seen at that time: earlier, fewer."""
    behaviour = Behaviour.build(library.get("default"), overrides())
    now = behaviour.scenario.clock
    assert now is not None
    assert len(behaviour.at(now - 365 * 86400).source.ids()) < len(behaviour.at(now).source.ids())


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("SENDSTAT_SOURCE", object()),
        ("SENDSTAT_SEED", "1"),
        ("SENDSTAT_SEED", True),
        ("SENDSTAT_AUTH_KEYS", "k"),
        ("SENDSTAT_AUTH_KEYS", [""]),
        ("SENDSTAT_EMPTY_INDEX_STATUS", 404),
        ("SENDSTAT_PHP_JSON_FLAGS", "JSON_NOPE"),
    ],
)
def test_bad_overrides_name_their_key(key: str, value: object) -> None:
    """A value the mock cannot serve raises ConfigError naming the key."""
    with pytest.raises(ConfigError, match=key):
        overrides(**{key: value})
