"""The scenario a recording becomes: each listed mailing pinned with its sections, the rest as declared faults.

A view that keeps the contract is pinned with every section literal (counts and maps exact, so every rule
that held on the target holds on the mock). A view that breaks it (a seed rule, a status, a schema) can only
be served as a forced answer declared a fault, and a mailing the scenario format cannot hold (over a limit
of docs/scenarios.md) likewise; the mailing stays pinned for the index with its title.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from contract.php import PhpJsonError, encode
from mockserver.record.anonymise import Anonymiser
from mockserver.record.shapes import MAP_SECTIONS, Encoding, decode
from mockserver.record.walk import Walked

__all__ = ["Recording", "build_document", "titles_of"]

# Keys of open_time and errors are numbers: written as YAML integers, as the shipped scenarios write them.
_NUMBER_KEYS = ("open_time", "errors")


@dataclass
class Recording:
    """What goes into the file: the pinned mailings, the forced answers, the encoding, and what to say about it."""

    pinned: list[dict[str, Any]] = field(default_factory=list)
    forced: dict[str, dict[str, Any]] = field(default_factory=dict)
    empty_index_status: int = 204
    encoding: Encoding = field(default_factory=Encoding)
    id_map: dict[int, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def titles_of(walked: Walked) -> dict[int, str]:
    """The letter title the index gives each listed id (its first entry)."""
    titles: dict[int, str] = {}
    try:
        body = decode(walked.index.body)
    except ValueError:
        return titles
    for item in body.get("statistics", []) if isinstance(body, dict) else []:
        if isinstance(item, dict) and isinstance(item.get("id"), int) and isinstance(item.get("letter_title"), str):
            titles.setdefault(item["id"], item["letter_title"])
    return titles


def build_document(
    walked: Walked,
    encoding: Encoding,
    *,
    anonymiser: Anonymiser | None,
    remap: bool,
    breaks_contract: Callable[[int], bool],
    forced_ids: frozenset[int] = frozenset(),
) -> Recording:
    """Lay out the recording: pinned mailings by id, forced answers for those that break the contract or are forced."""
    recording = Recording(encoding=encoding)
    if walked.index.status == 200 and not walked.listed:
        recording.empty_index_status = 200
    ordered = sorted(walked.chosen)
    recording.id_map = {old: (index + 1 if remap else old) for index, old in enumerate(ordered)}
    titles = titles_of(walked)
    for old in ordered:
        new = recording.id_map[old]
        title = titles.get(old, "")
        answer = walked.views[old]
        entry: dict[str, Any] = {
            "id": new,
            "letter_title": anonymiser.title(new, title) if anonymiser else title,
        }
        body = _json(answer.body)
        sections = _sections(body, anonymiser) if answer.status == 200 and isinstance(body, dict) else None
        if sections is not None and old not in forced_ids and not breaks_contract(old):
            entry.update(sections)
        else:
            recording.forced[str(new)] = _forced(answer.status, body, anonymiser, old, new)
        recording.pinned.append(entry)
    return recording


def _json(body: bytes) -> Any:
    try:
        return decode(body)
    except ValueError:
        return None


def _sections(body: Mapping[str, Any], anonymiser: Anonymiser | None) -> dict[str, Any] | None:
    """The sections of a view as the scenario writes them (None when one cannot be written)."""
    sections: dict[str, Any] = {}
    if isinstance(body.get("common"), dict):
        sections["common"] = dict(body["common"])
    for name in MAP_SECTIONS:
        value = body.get(name)
        if value is None:
            continue
        if isinstance(value, list):
            if value and name != "errors":  # only errors has a list form with entries
                return None
            sections[name] = list(value)
            continue
        if not isinstance(value, dict):
            return None
        if anonymiser is not None and name == "click_statistic":
            value = anonymiser.clicks(value)
        elif anonymiser is not None and name == "domain_statistic":
            value = anonymiser.domain_map(value)
        if name in _NUMBER_KEYS:
            if not all(key.isdigit() and key.isascii() for key in value):
                return None
            value = {int(key): count for key, count in value.items()}
        sections[name] = value
    return sections


def _forced(status: int, body: Any, anonymiser: Anonymiser | None, old: int, new: int) -> dict[str, Any]:
    """A forced answer declared a fault: the target's status and its body (anonymised, ids renamed) when JSON."""
    forced: dict[str, Any] = {"status": status, "fault": True}
    if isinstance(body, dict):
        body = dict(body)
        if anonymiser is not None and isinstance(body.get("click_statistic"), dict):
            body["click_statistic"] = anonymiser.clicks(body["click_statistic"])
        if anonymiser is not None and isinstance(body.get("domain_statistic"), dict):
            body["domain_statistic"] = anonymiser.domain_map(body["domain_statistic"])
        if body.get("id") == old:
            body["id"] = new
    if body is not None:
        try:
            encode(body)
        except PhpJsonError:
            return forced  # the mock could not send it (a float, a lone surrogate): the status's own body then
        forced["body"] = body
    return forced
