"""Which statuses the document allows, and which it expects, for one request to this API."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from contract.exchange import Exchange
from contract.php import FieldsReading, PathId, read_path_id

AUTH = frozenset({401, 403})
# Index parameters that would make the index a page rather than the whole account.
PAGING_PARAMETERS = frozenset({"page", "limit", "offset", "per_page", "cursor"})
FIELDS_INFERRED = (
    "how the backend reads values other than a list of names comes from the sibling /mailer/sends controller"
)


@dataclass(frozen=True)
class Account:
    """What the suite learnt about the account: the ids the index lists and the ids known to exist."""

    listed: tuple[int, ...] = ()
    known_id: int | None = None
    # The document defines no paging: the index lists every mailing of the account.
    index_complete: bool = True

    @property
    def known(self) -> frozenset[int]:
        """Ids that must have statistics: listed ones and --known-id."""
        extra = {self.known_id} if self.known_id is not None else set()
        return frozenset(self.listed) | extra

    @property
    def judges_unlisted(self) -> bool:
        """Whether an id the index does not list must be unknown: the index is complete and lists something."""
        return self.index_complete and bool(self.listed)


@dataclass(frozen=True)
class Expectation:
    """Statuses for a request: `allowed` (anything else is an error) and `expected` (a subset).

    An allowed status outside `expected` breaks the expectation; it is a warning when `inferred` names
    the inference the narrower expectation rests on, else an error.
    """

    allowed: frozenset[int]
    expected: frozenset[int]
    reason: str
    inferred: str | None = None


def expect(exchange: Exchange, reading: FieldsReading | None, account: Account) -> Expectation | None:
    """Return the expectation for an exchange, or None for a path the document does not describe."""
    if exchange.operation == "index":
        base = frozenset({200, 204})
        return _with_auth(exchange, Expectation(base, base, "the index answers 200, or 204 for an empty account"))
    if exchange.operation == "view" and reading is not None and exchange.segment is not None:
        return _with_auth(exchange, _expect_view(exchange.segment, reading, account))
    return None


def _expect_view(segment: str, reading: FieldsReading, account: Account) -> Expectation:
    bad = frozenset({400}) if reading.invalid else frozenset()
    if reading.kind == "names" and reading.dropped:
        # Whether unknown names beside a valid one are dropped is the rule `unknown-fields-dropped` (inferred).
        bad = frozenset({400})
    fields_note = " and `fields` names no valid section (400 / 20620)" if reading.invalid else ""
    path = read_path_id(segment)
    if names_a_mailing(path):
        assert path.lookup is not None
        mailing_id = path.lookup
        if mailing_id in account.known:
            return _expect_known(mailing_id, reading, account, bad)
        if account.judges_unlisted:
            unknown = frozenset({404}) | bad
            reason = f"the index, which has no paging, does not list id {mailing_id}{fields_note}"
            return Expectation(unknown, unknown, reason)
        allowed = frozenset({200, 404}) | bad
        return Expectation(allowed, allowed, f"id {mailing_id} is neither listed nor --known-id")
    if path.lookup is None:
        reason = f"PHP's `$id *= 1` reads the path id {segment!r} as {path.number!r}, no mailing's id: 404{fields_note}"
        return Expectation(frozenset({404}) | bad, frozenset({404}) | bad, reason)
    # A segment PHP reads as a positive integer (`12abc`, ` 12`, `1e1`) may name a mailing on the real service,
    # if its routes let such a segment through (CakePHP's resource routes take digits only): undecided.
    allowed = frozenset({200, 404}) | bad
    return Expectation(allowed, allowed, f"PHP reads the path id {segment!r} as {path.lookup}")


def names_a_mailing(path: PathId) -> bool:
    """Whether a path id names a mailing for certain: digits (what the backend's routes take), a positive id."""
    return path.digits and path.lookup is not None


def documented_by_seed(reading: FieldsReading) -> bool:
    """Whether the seed itself says what a `fields` value gets: absent (the default), or a JSON list of names."""
    return reading.kind == "absent" or (reading.kind in ("names", "no-valid-name") and not reading.was_object)


def index_is_complete(document: Mapping[str, Any], path: str) -> bool:
    """Whether the document's index has no paging parameter (then it lists the whole account)."""
    parameters = document.get("paths", {}).get(path, {}).get("get", {}).get("parameters", [])
    names = set()
    for parameter in parameters:
        if "$ref" in parameter:
            parameter = document["components"]["parameters"].get(parameter["$ref"].rsplit("/", 1)[-1], {})
        names.add(str(parameter.get("name", "")).lower())
    return not names & PAGING_PARAMETERS


def _expect_known(mailing_id: int, reading: FieldsReading, account: Account, bad: frozenset[int]) -> Expectation:
    """A mailing that exists: 200, or 400 for `fields` without a valid name.

    Where the document only infers how `fields` is read (PHP-empty values, JSON that is not a list), the
    other answer is allowed and only warns.
    """
    known = f"the index lists id {mailing_id}" if mailing_id in account.listed else f"id {mailing_id} is --known-id"
    inferred = None if documented_by_seed(reading) else FIELDS_INFERRED
    expected = bad if reading.invalid else frozenset({200}) | bad
    reason = f"{known}, but `fields` names no valid section: 400 / 20620" if reading.invalid else known
    allowed = expected | frozenset({200, 400}) if inferred else expected
    return Expectation(allowed, expected, reason, inferred)


def _with_auth(exchange: Exchange, expectation: Expectation) -> Expectation:
    """Requests without the user's credentials may also get 401 or 403."""
    if exchange.authenticated:
        return expectation
    return Expectation(
        expectation.allowed | AUTH, expectation.expected | AUTH, expectation.reason, expectation.inferred
    )
