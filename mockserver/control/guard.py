"""Who may use the control API: loopback clients on a loopback Host, or anyone with the configured token.

Without a token a browser page could still reach 127.0.0.1 (it runs on the developer's machine), so a
request must also name a loopback Host (no DNS rebinding) and, when it carries an Origin, a loopback
one (no cross-site requests); CORS grants only those origins. With a token, every request needs
`Authorization: Bearer <token>` and any origin may send it.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Mapping
from urllib.parse import urlsplit

from werkzeug.datastructures import Headers

from mockserver.errors import ControlError

__all__ = ["allowed_origin", "check", "is_loopback", "is_loopback_host"]

_HINT = "start the mock with --control-token TOKEN (or SENDSTAT_CONTROL_TOKEN) and send Authorization: Bearer TOKEN"


def is_loopback(address: str | None) -> bool:
    """Tell whether an IP address is loopback: 127.0.0.0/8, ::1, or 127.x mapped into IPv6."""
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


def is_loopback_host(host: str | None) -> bool:
    """Tell whether a Host header (or an origin's host) names this machine: localhost or a loopback IP."""
    if not host:
        return False
    name = urlsplit(f"//{host}").hostname
    if name is None:
        return False
    return name == "localhost" or name.endswith(".localhost") or is_loopback(name)


def allowed_origin(origin: str | None, token: str | None) -> bool:
    """Tell whether CORS may grant the control API to a page of this origin."""
    if not origin or origin == "null":
        return False
    return token is not None or is_loopback_host(urlsplit(origin).netloc)


def check(remote_addr: str | None, headers: Headers | Mapping[str, str], token: str | None) -> None:
    """Raise ControlError (401 or 403) unless the request may use the control API."""
    if token is not None:
        scheme, _, given = headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
            raise ControlError("the control API needs Authorization: Bearer <the control token>", 401)
        return
    if not is_loopback(remote_addr):
        raise ControlError(f"the control API answers only loopback clients; {_HINT}", 403)
    if not is_loopback_host(headers.get("Host")):
        raise ControlError(f"the control API answers only requests to a loopback Host; {_HINT}", 403)
    origin = headers.get("Origin")
    if origin is not None and not allowed_origin(origin, None):
        raise ControlError(f"the control API answers no cross-site page; {_HINT}", 403)
