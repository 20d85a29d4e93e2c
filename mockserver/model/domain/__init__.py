"""The domain model of mailings: audience, bounces, error codes, opens, clicks and titles (no HTTP)."""

from __future__ import annotations

from mockserver.model.domain.data import ModelData, load_model_data

__all__ = ["ModelData", "load_model_data"]
