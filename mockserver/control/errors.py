"""The control plane's one exception: a bad control request, with the HTTP status and details it answers."""

from __future__ import annotations

from typing import Any

from mockserver.errors import MockServerError

__all__ = ["ControlError"]


class ControlError(MockServerError):
    """A control request the mock refuses: status (4xx), a one-line message, and extra JSON details."""

    def __init__(self, message: str, status: int = 400, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.details = details

    def body(self) -> dict[str, Any]:
        """Return the JSON body of the answer: the message first, then the details."""
        return {"message": self.message, **self.details}
