"""The contract package's exceptions: one base, one subclass per kind of trouble."""

from __future__ import annotations


class ContractError(Exception):
    """Base of every error the contract package raises."""


class DocumentError(ContractError):
    """openapi.yaml is missing, unreadable or not a valid OpenAPI 3.1 document."""


class UsageError(ContractError):
    """The suite was asked for something it cannot do (a bad option, a malformed header)."""


class NetworkError(ContractError):
    """The server under test cannot be reached, or refuses the credentials the suite was given."""


class RuleViolation(ContractError, AssertionError):
    """A response breaks a documented rule; carries the rule id, a title and a received/documented text.

    `inferred` holds the document's reason when the expectation that was broken rests on an inference
    (an `x-inferred` part of the document) rather than on the seed: such a violation is a warning.
    """

    def __init__(self, rule_id: str, title: str, message: str, *, inferred: str | None = None) -> None:
        super().__init__(f"{title}: {message}")
        self.rule_id = rule_id
        self.title = title
        self.message = message
        self.inferred = inferred
