"""Every SENDSTAT_* setting (mockserver/data/settings.yaml): reading them from the environment, and their help."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from contract.spec import safe_load_fast
from mockserver.errors import ConfigError

__all__ = ["KINDS", "Setting", "environment_config", "environment_value", "help_text", "settings"]

KINDS = {
    "env": "Environment variables (an option, where there is one, wins)",
    "config": "Keys of create_app(config) only (Python objects, or set by `sendstat mock` itself)",
    "internal": "Set by `sendstat mock` for its workers (never set them yourself)",
    "test": "Read by the project's tests and CI",
}
_TRUE, _FALSE = frozenset({"1", "true", "yes", "on"}), frozenset({"0", "false", "no", "off", ""})


@dataclass(frozen=True)
class Setting:
    """One SENDSTAT_* name: what kind it is, how its text is read, the option that sets it, what it does."""

    name: str
    kind: str
    text: str
    type: str = "text"
    option: str | None = None


@cache
def settings() -> tuple[Setting, ...]:
    """Return every setting of the data file, in its order."""
    document = safe_load_fast(files("mockserver").joinpath("data/settings.yaml").read_text(encoding="utf-8"))
    return tuple(Setting(**entry) for entry in document["settings"])


def environment_value(setting: Setting, environ: Mapping[str, str]) -> Any:
    """Read one environment variable by its type (None when unset); a bad value is a ConfigError naming it."""
    raw = environ.get(setting.name)
    if raw is None:
        return None
    text = raw.strip()
    kind = setting.type
    try:
        if kind in ("int", "number", "number-or-off"):
            if kind == "number-or-off" and text.lower() == "off":
                return None
            return int(text) if kind == "int" else float(text)
        if kind == "bool":
            if text.lower() in _TRUE | _FALSE:
                return text.lower() in _TRUE
            raise ValueError(text)
        if kind == "list":
            return [item.strip() for item in text.split(",") if item.strip()]
        if kind == "dirs":
            return [item for item in text.split(os.pathsep) if item]
    except ValueError:
        expected = {"int": "a whole number", "bool": "1 or 0 (true/false, yes/no, on/off)"}.get(kind, "a number")
        raise ConfigError(f"{setting.name}: expected {expected}, got {raw[:40]!r}") from None
    return raw


def environment_config(environ: Mapping[str, str]) -> dict[str, Any]:
    """Return the app config of the environment variables that no option of `sendstat mock` reads."""
    config = {}
    for setting in settings():
        if setting.kind == "env" and setting.option is None and setting.name in environ:
            config[setting.name] = environment_value(setting, environ)
    return config


def help_text() -> str:
    """Return the settings as `sendstat mock --help` lists them, grouped by kind."""
    blocks = []
    for kind, title in KINDS.items():
        lines = [f"{title}:"]
        for setting in settings():
            if setting.kind == kind:
                option = f" ({setting.option})" if setting.option else ""
                lines.append(f"  {setting.name}{option}\n      {setting.text}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
