"""The mock server's exceptions: one base, one subclass per kind of trouble."""

from __future__ import annotations


class MockServerError(Exception):
    """Base of every error the mock server raises."""


class ConfigError(MockServerError):
    """The mock was configured with something it cannot serve."""
