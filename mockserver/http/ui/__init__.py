"""The browser UI at /__mock/ui: one page and its assets, which drive only the control API and the API itself."""

from __future__ import annotations

from mockserver.http.ui.blueprint import PREFIX, ui_blueprint
from mockserver.http.ui.facts import page_facts

__all__ = ["PREFIX", "page_facts", "ui_blueprint"]
