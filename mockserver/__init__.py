"""The SendStatistics mock server: a domain model of mailings behind a thin Flask layer."""

from __future__ import annotations

from mockserver.errors import ConfigError, MockServerError
from mockserver.model.mailing import Common, DomainCounts, Mailing, MailingSource

__all__ = ["Common", "ConfigError", "DomainCounts", "Mailing", "MailingSource", "MockServerError"]
