"""sendstat: a mock server and a contract suite for the Estismail SendStatistics API."""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
