"""The mock's logs on stderr, as text or JSON lines: the access log, granian's worker events, the mock's warnings.

One logging config (a dictConfig) serves the main process and every worker: granian applies it in each
process it starts. Access-log lines are rendered by the access log itself (mockserver.serving.access_log)
and written as they are; every other record gets a time, a level and its source.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["FORMATS", "LineFormatter", "LogSettings", "WorkerEvents", "dict_config", "iso_time"]

LogFormat = Literal["text", "json"]
FORMATS: tuple[LogFormat, ...] = ("text", "json")
ACCESS_LOGGER = "sendstat.mock"
EVENTS_LOGGER = "sendstat.serve"
# granian's own logger (its Rust side logs under the same name).
GRANIAN_LOGGER = "_granian"
# Of granian's information lines, those that tell an operator something happened to a worker.
_WORKER_EVENTS = ("Respawning worker", "Stopping old worker", "Stopped old worker")


@dataclass(frozen=True)
class LogSettings:
    """How the mock logs: text or JSON lines; quiet leaves the access log out (warnings and errors stay)."""

    format: LogFormat = "text"
    quiet: bool = False


def iso_time(seconds: float) -> str:
    """Return a unix time as ISO 8601 UTC with milliseconds: 2024-12-05T10:00:00.123Z."""
    whole = int(seconds)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole)) + f".{int((seconds - whole) * 1000):03d}Z"


class LineFormatter(logging.Formatter):
    """One line per record: `TIME LEVEL SOURCE: message` as text, or a JSON object."""

    def __init__(self, format: LogFormat = "text") -> None:
        super().__init__()
        self.format_name = format

    def format(self, record: logging.LogRecord) -> str:
        """Render a record on one line (a traceback, if any, follows in text; inside the object in JSON)."""
        message = record.getMessage()
        source = "granian" if record.name == GRANIAN_LOGGER else record.name
        level = record.levelname.lower()
        detail = self.formatException(record.exc_info) if record.exc_info else None
        if self.format_name == "json":
            shown: dict[str, Any] = {"time": iso_time(record.created), "level": level, "source": source}
            shown["message"] = message
            if detail:
                shown["traceback"] = detail
            return json.dumps(shown, ensure_ascii=False)
        line = f"{iso_time(record.created)} {level} {source}: {' '.join(message.splitlines())}"
        return f"{line}\n{detail}" if detail else line


class WorkerEvents(logging.Filter):
    """Let through granian's warnings and errors, and of its information only what happens to workers."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Tell whether a granian record is worth an operator's line."""
        return record.levelno >= logging.WARNING or record.getMessage().startswith(_WORKER_EVENTS)


def dict_config(settings: LogSettings) -> dict[str, Any]:
    """Return the logging config of the main process and the workers (granian's log_dictconfig)."""
    line = {"()": f"{__name__}.LineFormatter", "format": settings.format}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"line": line, "raw": {"format": "%(message)s"}},
        "filters": {"worker_events": {"()": f"{__name__}.WorkerEvents"}},
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "line", "stream": "ext://sys.stderr"},
            "access": {"class": "logging.StreamHandler", "formatter": "raw", "stream": "ext://sys.stderr"},
            "granian": {
                "class": "logging.StreamHandler",
                "formatter": "line",
                "stream": "ext://sys.stderr",
                "filters": ["worker_events"],
            },
        },
        "loggers": {
            GRANIAN_LOGGER: {"handlers": ["granian"], "level": "INFO", "propagate": False},
            "granian.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
            ACCESS_LOGGER: {"handlers": ["access"], "level": "INFO", "propagate": False},
            EVENTS_LOGGER: {"handlers": ["stderr"], "level": "INFO", "propagate": False},
            "mockserver": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
            # The shared state's link to Redis: each loss and each recovery, once.
            "mockserver.state.redis": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
            "contract": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
        },
    }
