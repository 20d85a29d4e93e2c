"""The SendStatistics contract: the document, its domain rules, and the suite that judges a server."""

from __future__ import annotations

from contract.errors import ContractError, DocumentError, RuleViolation
from contract.spec import ApiError, Contract, DeliveryErrorCode, Rule

__all__ = [
    "ApiError",
    "Contract",
    "ContractError",
    "DeliveryErrorCode",
    "DocumentError",
    "Rule",
    "RuleViolation",
]
