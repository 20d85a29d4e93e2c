"""Writing a recording as a scenario file: a header comment saying what, when and how, then the YAML."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

from mockserver.record.document import Recording

__all__ = ["render"]


def render(name: str, description: str, recording: Recording, header: Sequence[str]) -> str:
    """The file's text: `# ` header lines, then name, description, encoding, mailings and forced answers."""
    document: dict[str, Any] = {"name": name, "description": description}
    if recording.encoding.flag_names:
        document["json_flags"] = recording.encoding.flag_names
    if recording.encoding.objects:
        document["json_objects"] = dict(sorted(recording.encoding.objects.items()))
    if recording.empty_index_status != 204:
        document["empty_index_status"] = recording.empty_index_status
    if recording.pinned:
        document["mailings"] = {"pinned": recording.pinned}
    if recording.forced:
        document["forced"] = recording.forced
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, default_flow_style=None, width=2**16)
    comment = "".join(f"# {line}\n" if line else "#\n" for line in header)
    return comment + text
