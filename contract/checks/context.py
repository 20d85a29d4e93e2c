"""What every check reads besides the exchange: the contract and what the suite learnt about the account."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from contract.exchange import Exchange
from contract.expect import Account
from contract.php import FieldsReading, read_fields
from contract.spec import Contract
from contract.validation import BodyValidator


@dataclass(frozen=True)
class CheckContext:
    """The contract, the account's known ids, and helpers to read a request the way the backend does."""

    contract: Contract
    account: Account
    _validators: dict[tuple[str, int], BodyValidator] = field(default_factory=dict, compare=False, repr=False)

    def response_validator(self, path: str, status: int) -> BodyValidator:
        """The contract's validator of a documented response body, compiled once."""
        key = (path, status)
        if key not in self._validators:
            self._validators[key] = BodyValidator(self.contract, self.contract.response_pointer(path, status))
        return self._validators[key]

    def reading(self, exchange: Exchange) -> FieldsReading | None:
        """How the backend reads the exchange's `fields` (None for a request that is not a view)."""
        if exchange.operation != "view":
            return None
        return read_fields(exchange.query.value("fields"), self.contract.field_names, self.contract.default_fields)


# A check of one exchange: returns None, or raises RuleViolation with a received/documented message.
Check = Callable[[CheckContext, Exchange], None]
