"""Reports of a run: the Report model, and its human, JUnit XML and JSON renderings."""

from __future__ import annotations

from contract.report.model import Report

__all__ = ["Report"]
