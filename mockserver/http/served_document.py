"""The contract as the mock serves it at /openapi.yaml: the file, with the mock's own server and security.

The file describes the real service (its production host, an API key on every call). A tool pointed at
the mock's document (schemathesis, Prism, Postman, a "try it" button) must send its requests to the mock,
and expect a key only where the scenario answering takes one. So two top-level blocks are rewritten as
text, keeping every other byte (comments included): `servers` becomes the base URL the request reached,
and `security` becomes `[]` when the active scenario accepts any request without a key.
"""

from __future__ import annotations

import json
import re

__all__ = ["served_document"]

_TOP_KEY = re.compile(rb"^[A-Za-z_][\w-]*:", re.MULTILINE)
_PRODUCTION = "the real service is the one in openapi.yaml's servers"


def served_document(text: bytes, base_url: str, *, key_required: bool) -> bytes:
    """Return the document with `servers` set to base_url and `security` to [] unless a key is required."""
    servers = (
        "servers:\n"
        f"  - url: {json.dumps(base_url)}\n"
        f"    description: This mock (sendstat mock), as this request reached it; {_PRODUCTION} file.\n"
    )
    text = _replaced(text, b"servers", servers.encode())
    if not key_required:
        security = "security: []  # the scenario answering now takes no API key (sendstat mock)\n"
        text = _replaced(text, b"security", security.encode())
    return text


def _replaced(text: bytes, key: bytes, block: bytes) -> bytes:
    """Replace a top-level key's block (its line and the indented, blank or comment lines under it), or add it."""
    match = re.search(rb"^" + re.escape(key) + rb":.*$", text, re.MULTILINE)
    if match is None:
        return text + (b"" if text.endswith(b"\n") or not text else b"\n") + block
    following = _TOP_KEY.search(text, match.end())
    end = following.start() if following is not None else len(text)
    return text[: match.start()] + block + text[end:]
