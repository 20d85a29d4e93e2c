"""GitHub Actions workflow commands read back as the runner reads them (actions/runner, ActionCommand*.cs)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    """A workflow command as the runner reads it: name, properties and message, unescaped."""

    name: str
    properties: dict[str, str]
    message: str


def unescape_data(text: str) -> str:
    """The runner's unescaping of a message (ActionCommand._escapeDataMappings, in its order)."""
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def unescape_property(text: str) -> str:
    """The runner's unescaping of a property (ActionCommand._escapePropertyMappings, in its order)."""
    for token, escaped in (("\r", "%0D"), ("\n", "%0A"), (":", "%3A"), (",", "%2C"), ("%", "%25")):
        text = text.replace(escaped, token)
    return text


def runner_commands(stdout: str) -> list[Command]:
    """The commands a GitHub runner would obey in this output (actions/runner's ActionCommandManager).

    A line is a command if it starts with `::` after leading spaces (TryParseV2), or holds `##[` anywhere
    (TryParse); after `::stop-commands::TOKEN` nothing is obeyed until `::TOKEN::`.
    """
    obeyed: list[Command] = []
    stop_token: str | None = None
    for line in stdout.splitlines():
        parsed = _parse_v2(line) or _parse_v1(line)
        if parsed is None:
            continue
        if stop_token is not None:
            if parsed.name == stop_token:
                stop_token = None
            continue
        if parsed.name == "stop-commands":
            stop_token = parsed.message
            continue
        obeyed.append(parsed)
    return obeyed


def _parse_v2(line: str) -> Command | None:
    text = line.lstrip()
    if not text.startswith("::") or "::" not in text[2:]:
        return None
    info, message = text[2:].split("::", 1)
    name, _, rest = info.partition(" ")
    properties = {}
    for pair in filter(None, rest.strip().split(",")):
        key, sep, value = pair.partition("=")
        if sep:
            properties[key] = unescape_property(value)
    return Command(name, properties, unescape_data(message))


def _parse_v1(line: str) -> Command | None:
    start = line.find("##[")
    end = line.find("]", start)
    if start < 0 or end < 0:
        return None
    return Command(line[start + 3 : end].split(" ", 1)[0], {}, line[end + 1 :])
