"""Every SENDSTAT_* name in the code is listed in settings.yaml, shown by `sendstat mock --help`, and documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mockserver.errors import ConfigError
from mockserver.serving.settings import KINDS, Setting, environment_value, help_text, settings
from sendstat.cli import main

ROOT = Path(__file__).resolve().parents[3]
NAME = re.compile(r"\bSENDSTAT_[A-Z0-9_]*[A-Z0-9]\b")
# Where names are used: the packages, the tests, the benchmarks and CI's script.
SCANNED = ("mockserver", "contract", "sendstat", "bench", "tests", ".ci")
DOCS = ROOT / "docs" / "mock.md"
# The list itself, and this file's examples.
EXCLUDED = (ROOT / "mockserver" / "data" / "settings.yaml", Path(__file__))


def used_names() -> set[str]:
    """Every SENDSTAT_* name written in the project's code, data and CI script (this file's examples aside)."""
    found: set[str] = set()
    for top in SCANNED:
        for path in (ROOT / top).rglob("*"):
            if path.is_file() and path.suffix in (".py", ".yaml", ".json", "") and path not in EXCLUDED:
                found |= set(NAME.findall(path.read_text(encoding="utf-8", errors="replace")))
    return found


def test_every_name_in_the_code_is_a_listed_setting() -> None:
    """A SENDSTAT_* name used anywhere in the code but missing from settings.yaml fails here."""
    listed = {setting.name for setting in settings()}
    assert used_names() - listed == set()


def test_every_listed_setting_is_used() -> None:
    """settings.yaml lists no name the code has stopped using."""
    assert {setting.name for setting in settings()} - used_names() == set()


def test_every_setting_is_in_the_help_and_the_docs(capsys: pytest.CaptureFixture[str]) -> None:
    """`sendstat mock --help` and docs/mock.md name every setting, with its option where it has one."""
    with pytest.raises(SystemExit):
        main(["mock", "--help"])
    shown = capsys.readouterr().out
    docs = DOCS.read_text(encoding="utf-8")
    for setting in settings():
        assert setting.name in shown, setting.name
        assert f"`{setting.name}`" in docs, setting.name
        if setting.option:
            assert f"{setting.name} ({setting.option})" in shown
            assert f"`{setting.option}`" in docs, setting.option


def test_settings_are_well_formed() -> None:
    """Each setting has a known kind, a description, and (for environment variables) a known type."""
    for setting in settings():
        assert setting.kind in KINDS
        assert setting.text
        assert setting.kind != "env" or setting.type in {
            "text",
            "int",
            "number",
            "bool",
            "list",
            "dirs",
            "number-or-off",
        }
    assert "Environment variables" in help_text()


@pytest.mark.parametrize(
    ("kind", "raw", "value"),
    [
        ("int", " 12 ", 12),
        ("number", "0.5", 0.5),
        ("number-or-off", "OFF", None),
        ("bool", "on", True),
        ("bool", "0", False),
        ("list", "a, b,,c", ["a", "b", "c"]),
        ("dirs", "/a:/b", ["/a", "/b"]),
        ("text", " x ", " x "),
    ],
)
def test_environment_values_are_read_by_type(kind: str, raw: str, value: object) -> None:
    """Each type reads its text as documented in settings.yaml."""
    assert environment_value(Setting("SENDSTAT_X", "env", "t", kind), {"SENDSTAT_X": raw}) == value


def test_an_unreadable_value_names_the_variable() -> None:
    """A value that is not of its type is a ConfigError naming the variable and the value."""
    with pytest.raises(ConfigError, match=r"^SENDSTAT_X: expected a number, got 'many'$"):
        environment_value(Setting("SENDSTAT_X", "env", "t", "number"), {"SENDSTAT_X": "many"})
