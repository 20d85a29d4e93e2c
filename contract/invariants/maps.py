"""Rules on the keys and values of one map section: hours, counts, links, domains, PHP's list form."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from contract.errors import RuleViolation
from contract.invariants.reading import HOUR, MAP_SECTIONS, TWO_DAYS, Body, BodyRule, as_map, count, named

__all__ = [
    "click_counts_positive",
    "click_keys_are_urls",
    "domain_keys_are_domains",
    "error_counts_positive",
    "open_time_values_positive",
    "open_time_whole_hours",
    "open_time_within_two_days",
    "php_list_quirk",
]

# A domain name as recipients typed it (typos such as bk.r included): dot-separated labels of letters (any
# script: IDNs), digits and hyphens, each starting with a letter or digit; no address, scheme or path.
_DOMAIN = re.compile(r"(?:[^\W_][\w-]*\.)+[^\W_][\w-]*")


def _open_hours(body: Body) -> dict[int, Any] | None:
    if "open_time" not in body:
        return None
    return {int(key): value for key, value in as_map(body["open_time"]).items() if key.isdigit()}


def open_time_within_two_days(body: Body) -> None:
    """Every open_time key lies within 48 hours of the earliest key."""
    hours = _open_hours(body)
    if not hours:
        return
    first, last = min(hours), max(hours)
    if last - first > TWO_DAYS:
        raise RuleViolation(
            "open-time-within-two-days",
            "open_time spans more than the 2 days after sending",
            f"Received: keys from {first} to {last} ({(last - first) / 3600:.0f} h apart). "
            "Documented: opens during the 2 days (48 h) after sending.",
        )


def open_time_whole_hours(body: Body) -> None:
    """Every open_time key is a whole hour (a multiple of 3600)."""
    for key in _open_hours(body) or {}:
        if key % HOUR:
            raise RuleViolation(
                "open-time-whole-hours",
                "An open_time key is not on a whole hour",
                f"Received: {key} ({key % HOUR} s past the hour). Documented (inferred): hourly buckets.",
            )


def _positive(rule_id: str, section: str, title: str, meaning: str) -> BodyRule:
    def check(body: Body) -> None:
        if section not in body:
            return
        for key, value in as_map(body[section]).items():
            if (count(value) or 0) < 1:
                raise RuleViolation(rule_id, title, f"Received: {section}[{key}] = {value!r}. Documented: {meaning}.")

    return named(check, rule_id, f"Every {section} value is an integer >= 1.")


open_time_values_positive = _positive(
    "open-time-values-positive", "open_time", "An open_time hour without opens", "an hour is listed only with >= 1 open"
)
error_counts_positive = _positive(
    "error-counts-positive",
    "errors",
    "An error code listed without failures",
    "(inferred) a listed code has >= 1 failure",
)
click_counts_positive = _positive(
    "click-counts-positive",
    "click_statistic",
    "A link listed without clicks",
    "(inferred) a listed link has >= 1 click",
)


def click_keys_are_urls(body: Body) -> None:
    """Every click_statistic key is an absolute http(s) URL (the link clicked)."""
    for key in as_map(body.get("click_statistic")):
        parts = urlsplit(key)
        if parts.scheme not in ("http", "https") or not parts.netloc or any(ch.isspace() for ch in key):
            raise RuleViolation(
                "click-keys-are-urls",
                "A click_statistic key is not a link",
                f"Received: key {key[:80]!r}. Documented (inferred): click_statistic maps a link's URL to its clicks.",
            )


def domain_keys_are_domains(body: Body) -> None:
    """Every domain_statistic key is a domain name (no address, scheme or path)."""
    for key in as_map(body.get("domain_statistic")):
        if not _DOMAIN.fullmatch(key):
            raise RuleViolation(
                "domain-keys-are-domains",
                "A domain_statistic key is not a domain name",
                f"Received: key {key[:80]!r}. Documented (inferred): statistics per recipient domain, by its name.",
            )


def php_list_quirk(body: Body) -> None:
    """A map with keys exactly 0..n-1 in order (the empty map included) arrives as a JSON list."""
    for section in MAP_SECTIONS:
        value = body.get(section)
        if not isinstance(value, dict):
            continue
        keys = list(value)
        if keys == [str(i) for i in range(len(keys))]:
            shown = "{}" if not keys else "{" + ", ".join(f'"{k}": ...' for k in keys[:3]) + "}"
            raise RuleViolation(
                "php-list-quirk",
                f"{section} is an object where PHP sends a list",
                f"Received: {section} = {shown}. Documented: PHP's json_encode prints a map with keys "
                f"0..n-1 in order as a list ({'[]' if not keys else '[...]'}).",
            )
