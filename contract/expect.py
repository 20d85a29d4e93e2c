"""Which statuses the document allows, and which it expects, for one request to this API."""

from __future__ import annotations

import re
from dataclasses import dataclass

from contract.exchange import Exchange
from contract.fields import FieldsReading

AUTH = frozenset({401, 403})
CANONICAL_ID = re.compile(r"[1-9][0-9]{0,17}")
# PHP's `$id *= 1` reads a leading number (whitespace, sign, digits, fraction, exponent) and ignores the rest.
PHP_NUMBER = re.compile(r"\s*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
PAGING_GUESS = (
    "openapi.yaml says the index has no paging, a guess (docs/spec-decisions.md #15): "
    "an id the index does not list may still have statistics on a service that pages"
)
FIELDS_INFERRED = (
    "how the backend reads values other than a list of names comes from the sibling /mailer/sends controller"
)


@dataclass(frozen=True)
class Account:
    """What the suite learnt about the account: the ids the index lists and the ids known to exist."""

    listed: tuple[int, ...] = ()
    known_id: int | None = None

    @property
    def known(self) -> frozenset[int]:
        """Ids that must have statistics: listed ones and --known-id."""
        extra = {self.known_id} if self.known_id is not None else set()
        return frozenset(self.listed) | extra

    @property
    def lists_anything(self) -> bool:
        """Whether the index listed a mailing (only then is an unlisted id expected to be unknown)."""
        return bool(self.listed)


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
    if reading.kind == "list" and reading.names and reading.unknown:
        # Whether unknown names beside a valid one are dropped is the rule `unknown-fields-dropped` (inferred).
        bad = frozenset({400})
    fields_note = " and `fields` names no valid section (400 / 20620)" if reading.invalid else ""
    inferred = None if reading.documented_by_seed else FIELDS_INFERRED
    if CANONICAL_ID.fullmatch(segment):
        mailing_id = int(segment)
        if mailing_id in account.known:
            if bad and not reading.invalid:
                both = frozenset({200}) | bad
                return Expectation(both, both, _known(mailing_id, account), inferred)
            if reading.invalid:
                return Expectation(
                    bad, bad, f"`fields` names no valid section: 400 / 20620 (id {mailing_id})", inferred
                )
            return Expectation(frozenset({200}), frozenset({200}), _known(mailing_id, account), inferred)
        allowed = frozenset({200, 404}) | bad
        if account.lists_anything:
            reason = f"the index does not list id {mailing_id}: 404{fields_note}"
            return Expectation(allowed, frozenset({404}) | bad, reason, PAGING_GUESS)
        return Expectation(allowed, allowed, f"id {mailing_id} is neither listed nor --known-id")
    number = PHP_NUMBER.match(segment)
    if number is None or float(number.group()) <= 0:
        reason = f"the path id {segment!r} is not a positive number (PHP reads it as 0): 404{fields_note}"
        return Expectation(frozenset({404}) | bad, frozenset({404}) | bad, reason)
    # A segment PHP reads as a positive number (`12abc`, ` 12`, `1e1`) may name a mailing on the real service.
    allowed = frozenset({200, 404}) | bad
    return Expectation(allowed, allowed, f"PHP reads the path id {segment!r} as {number.group().strip()}")


def _known(mailing_id: int, account: Account) -> str:
    if mailing_id in account.listed:
        return f"the index lists id {mailing_id}"
    return f"id {mailing_id} is --known-id"


def _with_auth(exchange: Exchange, expectation: Expectation) -> Expectation:
    """Requests without the user's credentials may also get 401 or 403."""
    if exchange.authenticated:
        return expectation
    return Expectation(
        expectation.allowed | AUTH, expectation.expected | AUTH, expectation.reason, expectation.inferred
    )
