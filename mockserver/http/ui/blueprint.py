"""The UI's blueprint: the page at /__mock/ui, its static assets, and the facts it reads from the contract.

None of it holds data of the mock's state, so it loads without the control token (a browser's navigation
cannot send a Bearer header); every data call the page makes goes to the guarded control API.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify
from werkzeug.wrappers import Response as BaseResponse

from contract.spec import Contract
from mockserver.http.ui.facts import page_facts

__all__ = ["CONTENT_SECURITY_POLICY", "PREFIX", "ui_blueprint"]

PREFIX = "/__mock/ui"
# The page loads nothing from elsewhere (no CDN, no fonts) and talks to this server only: a browser
# enforces that, whatever an asset or a scenario's data (a link, a title) holds.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def ui_blueprint(contract: Contract) -> Blueprint:
    """Build the UI's blueprint: the page, /static/ assets, and facts.json (catalogue, paths, selectors)."""
    bp = Blueprint("ui", __name__, url_prefix=PREFIX, static_folder="static", static_url_path="/static")
    facts = page_facts(contract)

    def page() -> BaseResponse:
        """Send the page (the same for everyone: it holds no data)."""
        return bp.send_static_file("index.html")

    def facts_json() -> Response:
        """Send what the page reads from the contract and the mock's own names."""
        return jsonify(facts)

    bp.add_url_rule("", "page", page)
    bp.add_url_rule("/", "page_slash", page)
    bp.add_url_rule("/facts.json", "facts", facts_json)
    bp.after_request(_headers)
    return bp


def _headers(response: Response) -> Response:
    """Lock the page to this server and revalidate it on each load (a new version of the mock shows at once)."""
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-cache"
    return response
