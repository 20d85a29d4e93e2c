"""The mock server's exceptions: one base, one subclass per kind of trouble."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any


class MockServerError(Exception):
    """Base of every error the mock server raises."""


class ConfigError(MockServerError):
    """The mock was configured with something it cannot serve."""


class RecordError(MockServerError):
    """A recording cannot go on: the target refused it or stopped answering (what was fetched is kept)."""


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


class StateUnavailable(ControlError):
    """The shared state (Redis) cannot be reached: a control call answers 503; API answers use the last state seen."""

    def __init__(self, message: str) -> None:
        super().__init__(message, 503)


class ScenarioError(MockServerError):
    """A scenario that cannot be loaded: names the file, the line and the field, and what was expected.

    `more` holds the further problems found in the same file, so that a validator can list them all.
    """

    def __init__(
        self,
        message: str,
        *,
        path: Path | None = None,
        line: int | None = None,
        field: str | None = None,
        more: Sequence[ScenarioError] = (),
    ) -> None:
        self.message = message
        self.path = path
        self.line = line
        self.field = field
        self.more = tuple(more)
        super().__init__(self.headline())

    def headline(self) -> str:
        """Return `file:line: field: message`, leaving out the parts that are not known."""
        where = ""
        if self.path is not None:
            where = display_path(self.path) + (f":{self.line}" if self.line is not None else "") + ": "
        field = f"{self.field}: " if self.field else ""
        return f"{where}{field}{self.message}"

    @staticmethod
    def first_of(problems: Sequence[ScenarioError]) -> ScenarioError:
        """Return the first of several problems by line, carrying the others in `more`."""
        ordered = sorted(problems, key=lambda e: (e.line or 0, e.field or ""))
        first = ordered[0]
        return ScenarioError(first.message, path=first.path, line=first.line, field=first.field, more=ordered[1:])

    def problems(self) -> tuple[ScenarioError, ...]:
        """Return this problem and the further ones found in the same file."""
        return (self, *self.more)

    def __str__(self) -> str:
        extra = len(self.more)
        return self.headline() + (f" (and {extra} more problem{'s' if extra > 1 else ''})" if extra else "")


class UnknownScenario(ScenarioError):
    """No scenario has that name, or no scenario file is at that path."""


def display_path(path: Path) -> str:
    """Return a path as a user would type it: relative to the working directory when it lies inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)
