"""The values of `sendstat check`'s options read and checked: base URL, header, rate, size; a bad one is a UsageError.

Every message names the option and says what was expected, in one line; a header's value is never repeated
(it is usually a secret).
"""

from __future__ import annotations

import math
import re
from urllib.parse import urlsplit

import requests

from contract.errors import UsageError
from contract.text import printable

RATE = re.compile(r"(?P<count>[0-9]+)/(?P<unit>s|m|h)")
SECONDS = {"s": 1, "m": 60, "h": 3600}
SIZE = re.compile(r"(?P<count>[0-9]+)\s*(?P<unit>B|KiB|MiB|GiB)?", re.IGNORECASE)
UNITS = {"b": 1, "kib": 1024, "mib": 1024**2, "gib": 1024**3}
# RFC 9110 token characters: what a header name may be made of.
TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
# Characters that would end the header line or the request head (header injection).
LINE_BREAKERS = frozenset("\r\n\x00")
# The longest timeout, budget or latency threshold an option accepts (a day).
MAX_SECONDS = 86_400


def parse_base_url(value: str) -> str:
    """Read --base-url: http(s), a host, a valid port, an optional path prefix; no query, fragment or password."""
    # A query may hold a key (`?api_key=...`): never repeated, like a header's value.
    cut = min((index for index in (value.find("?"), value.find("#")) if index >= 0), default=len(value))
    shown = printable(value[:cut], 200) + ("?..." if cut < len(value) else "")
    if not value.isprintable():
        raise UsageError(f"--base-url {shown!r}: not a URL (it contains a control character)")
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as exc:
        raise UsageError(f"--base-url {shown!r}: not a URL ({exc})") from None
    if parts.scheme not in ("http", "https"):
        raise UsageError(f"--base-url {shown!r}: expected an http:// or https:// URL")
    if not parts.hostname:
        raise UsageError(f"--base-url {shown!r}: no host")
    if port == 0:
        raise UsageError(f"--base-url {shown!r}: port 0 is not a port a server listens on")
    if parts.query or parts.fragment or value.rstrip().endswith(("?", "#")):
        raise UsageError(
            f"--base-url {shown!r}: a query or fragment cannot prefix the API's paths; "
            "pass the base URL alone (a path prefix such as https://host/api/v1 is fine)"
        )
    if parts.username is not None or parts.password is not None:
        raise UsageError(
            "--base-url: credentials in the URL would be printed in every report; "
            "pass them with --header 'Authorization: ...'"
        )
    base_url = value.strip().rstrip("/")
    try:
        requests.Request("GET", base_url + "/x").prepare()
    except (requests.RequestException, ValueError) as exc:
        raise UsageError(f"--base-url {shown!r}: not a URL requests can send to ({exc})") from None
    return base_url


def parse_rate(value: str | None) -> float | None:
    """Read a rate such as `10/s`, `300/m` or `1000/h` (None: unlimited)."""
    if value is None:
        return None
    match = RATE.fullmatch(value.strip())
    if match is None or int(match["count"]) == 0:
        raise UsageError(f"--rate-limit {value!r}: expected N/s, N/m or N/h with N >= 1, e.g. 10/s")
    return int(match["count"]) / SECONDS[match["unit"]]


def parse_header(value: str) -> tuple[str, str]:
    """Read a `Name: value` header option; the value is never echoed, it may be a secret."""
    name, sep, content = value.partition(":")
    if LINE_BREAKERS & set(name):
        raise UsageError("--header: the name contains a line break or NUL, which would end the header")
    name = name.strip()
    if not sep or not TOKEN.fullmatch(name):
        raise UsageError(
            "--header: expected 'Name: value' with a name of letters, digits and '-' (e.g. 'X-Estis-Auth: KEY')"
        )
    if LINE_BREAKERS & set(content):
        raise UsageError(f"--header {name}: the value contains a line break or NUL, which would end the header")
    return name, content.strip()


def parse_size(value: str, option: str) -> int:
    """Read a byte size such as `65536`, `512KiB`, `64MiB` or `1GiB` (at least 1 KiB)."""
    match = SIZE.fullmatch(value.strip())
    if match is None:
        raise UsageError(f"{option} {value!r}: expected a size in bytes, KiB, MiB or GiB, e.g. 64MiB")
    size = int(match["count"]) * UNITS[(match["unit"] or "b").lower()]
    if size < 1024:
        raise UsageError(f"{option} {value!r}: expected at least 1KiB")
    return size


def parse_seconds(value: float | None, option: str) -> float | None:
    """Check a number of seconds given to an option: None (the profile's), or more than 0 and at most a day."""
    if value is not None and not (math.isfinite(value) and 0 < value <= MAX_SECONDS):
        raise UsageError(f"{option}: expected a number of seconds > 0 and <= {MAX_SECONDS}")
    return value
