"""The contract package's exceptions: one base, one subclass per kind of trouble."""

from __future__ import annotations


class ContractError(Exception):
    """Base of every error the contract package raises."""


class DocumentError(ContractError):
    """openapi.yaml is missing, unreadable or not a valid OpenAPI 3.1 document."""


class RuleViolation(ContractError, AssertionError):
    """A response breaks a documented rule; carries the rule id, a title and a received/documented text."""

    def __init__(self, rule_id: str, title: str, message: str) -> None:
        super().__init__(f"{title}: {message}")
        self.rule_id = rule_id
        self.title = title
        self.message = message
