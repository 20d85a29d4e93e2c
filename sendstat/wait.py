"""`sendstat wait URL`: poll a URL until it answers, so that a pipeline waits for a server without a curl loop.

Ready means an answer with a status from 200 to 399, redirects not followed: what Kubernetes' HTTP probes
count as success. Any server will do (the mock's /health, a staging deployment's index); a URL's query
and a header's value are never printed, since either may hold a key.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests

from contract.errors import UsageError
from contract.options import parse_header
from contract.text import printable

EPILOG = """exit status: 0 the URL answered with a status from 200 to 399; 1 it did not within --timeout
(the line on stderr gives the last reason); 2 a usage error."""
# The longest one request may take; a slow first answer is retried rather than waited for past this.
REQUEST_TIMEOUT = 5.0
MAX_SECONDS = 86_400


@dataclass(frozen=True)
class Outcome:
    """How waiting ended: ready or not, after how many tries and seconds, and the last answer or problem."""

    ready: bool
    tries: int
    elapsed: float
    last: str


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `wait` subcommand."""
    parser = subparsers.add_parser(
        "wait",
        help="wait until a URL answers (a server started in the background, a fresh deployment)",
        description="Poll URL until it answers with a status from 200 to 399 (redirects not followed), "
        "e.g. sendstat wait http://127.0.0.1:8000/health --timeout 60",
        epilog=EPILOG,
    )
    parser.add_argument("url", metavar="URL", help="an http:// or https:// URL, e.g. the mock's /health")
    parser.add_argument(
        "--timeout", type=float, default=60.0, metavar="SECONDS", help="give up after this long (default: 60)"
    )
    parser.add_argument(
        "--interval", type=float, default=0.5, metavar="SECONDS", help="pause between two tries (default: 0.5)"
    )
    parser.add_argument(
        "--header",
        action="append",
        default=[],
        metavar="'NAME: VALUE'",
        help="a header for every try, e.g. 'X-Estis-Auth: KEY' (repeatable; values never printed)",
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Wait for the URL; print one line saying how it went and return the exit status."""
    url = parse_url(args.url)
    timeout = _seconds(args.timeout, "--timeout")
    interval = _seconds(args.interval, "--interval")
    headers = dict(parse_header(value) for value in args.header)
    outcome = wait_until_ready(url, headers=headers, timeout=timeout, interval=interval)
    tries = f"{outcome.tries} tr{'y' if outcome.tries == 1 else 'ies'}"
    if outcome.ready:
        print(f"sendstat wait: {shown(url)} answered {outcome.last} after {outcome.elapsed:.1f} s ({tries})")
        return 0
    print(
        f"sendstat wait: error: {shown(url)} not ready after {timeout:g} s ({tries}; last: {outcome.last})",
        file=sys.stderr,
    )
    return 1


def wait_until_ready(
    url: str,
    *,
    headers: Mapping[str, str],
    timeout: float,
    interval: float,
    clock: Callable[[], float] = time.monotonic,
    pause: Callable[[float], None] = time.sleep,
) -> Outcome:
    """Try the URL until it answers 2xx or 3xx or `timeout` seconds have passed; one try at least."""
    started = clock()
    deadline = started + timeout
    tries = 0
    with requests.Session() as session:
        while True:
            tries += 1
            remaining = deadline - clock()
            status, last = _try(session, url, headers, max(0.1, min(remaining, REQUEST_TIMEOUT)))
            if status is not None and 200 <= status < 400:
                return Outcome(True, tries, clock() - started, last)
            remaining = deadline - clock()
            if remaining <= 0:
                return Outcome(False, tries, clock() - started, last)
            pause(min(interval, remaining))  # the poll's own pace, not a guess at when the server is up


def parse_url(value: str) -> str:
    """Read the URL to wait for: http(s), a host, a valid port, no user:password (it would be printed)."""
    shown_value = shown(value)
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as exc:
        raise UsageError(f"{shown_value!r}: not a URL ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{shown_value!r}: expected an http:// or https:// URL with a host")
    if port == 0:
        raise UsageError(f"{shown_value!r}: port 0 is not a port a server listens on")
    if parts.username is not None or parts.password is not None:
        raise UsageError("URL: credentials in the URL would be printed; pass them with --header 'Authorization: ...'")
    return value


def shown(url: str) -> str:
    """The URL as printed: without its query or fragment, which may hold a key; control characters escaped."""
    cut = min((index for index in (url.find("?"), url.find("#")) if index >= 0), default=len(url))
    return printable(url[:cut], 300) + ("?..." if cut < len(url) else "")


def _try(session: requests.Session, url: str, headers: Mapping[str, str], timeout: float) -> tuple[int | None, str]:
    """One GET: the status and how it reads (`200`), or None and the problem (`connection refused`)."""
    try:
        with session.get(url, headers=dict(headers), timeout=timeout, allow_redirects=False, stream=True) as answer:
            return answer.status_code, str(answer.status_code)
    except requests.Timeout:
        return None, f"no answer within {timeout:.1f} s"
    except requests.RequestException as exc:
        return None, _reason(exc)


def _reason(exc: BaseException) -> str:
    """The operating system's reason under requests' and urllib3's wrapping (`connection refused`)."""
    seen: set[int] = set()
    error: BaseException | None = exc
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, OSError) and error.strerror:
            return printable(error.strerror.lower(), 200)
        error = error.__cause__ or error.__context__
    return f"no answer ({type(exc).__name__})"


def _seconds(value: float, option: str) -> float:
    """Check a number of seconds: more than 0 and at most a day."""
    if not (math.isfinite(value) and 0 < value <= MAX_SECONDS):
        raise UsageError(f"{option}: expected a number of seconds > 0 and <= {MAX_SECONDS}")
    return value
