"""The UI's page and assets: served without the token, locked to this server, small, and shipped whole."""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path

import pytest

from mockserver.http.ui.blueprint import CONTENT_SECURITY_POLICY
from tests.conftest import MakeApp

STATIC = Path(str(files("mockserver.http.ui").joinpath("static")))
ASSETS = sorted(path for path in STATIC.rglob("*") if path.is_file())
DOCS = Path(__file__).resolve().parents[4] / "docs" / "ui.md"


@pytest.mark.parametrize("path", ["/__mock/ui", "/__mock/ui/", "/__mock/ui/static/js/main.js", "/__mock/ui/facts.json"])
def test_the_page_loads_without_the_token(make_app: MakeApp, path: str) -> None:
    """With a control token set, the page, its assets and its facts still load without one (they hold no data)."""
    client = make_app(SENDSTAT_CONTROL_TOKEN="t0ken").test_client()
    response = client.get(path, buffered=True)
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert client.get("/__mock/").status_code == 401


def test_the_page_is_html_and_its_modules_javascript(make_app: MakeApp) -> None:
    """The page is HTML and each script is served as JavaScript (a module refuses any other type)."""
    client = make_app().test_client()
    assert client.get("/__mock/ui", buffered=True).content_type.startswith("text/html")
    for path in ASSETS:
        if path.suffix == ".js":
            response = client.get(f"/__mock/ui/static/{path.relative_to(STATIC)}", buffered=True)
            assert response.content_type.startswith("text/javascript"), path


def test_an_unknown_asset_is_a_json_404(make_app: MakeApp) -> None:
    """A path under /__mock/ui that is no asset answers the control API's JSON 404."""
    response = make_app().test_client().get("/__mock/ui/static/nope.js")
    assert response.status_code == 404
    assert response.json is not None


@pytest.mark.parametrize("path", ASSETS, ids=lambda path: str(path.relative_to(STATIC)))
def test_no_asset_loads_anything_from_elsewhere(path: Path) -> None:
    """No asset names another host: no CDN, no fonts, nothing fetched when offline (the CSP says so too)."""
    text = path.read_text(encoding="utf-8")
    assert re.findall(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", text.replace("http://www.w3.org/2000/svg", "")) == []


def test_every_module_imported_exists() -> None:
    """Each relative import of a script names a script that is shipped (no build step resolves them)."""
    for path in ASSETS:
        if path.suffix == ".js":
            for name in re.findall(r'from "\./([^"]+)"', path.read_text(encoding="utf-8")):
                assert (path.parent / name).is_file(), f"{path.name} imports {name}"


def test_the_assets_are_small_and_the_docs_say_how_small() -> None:
    """The assets weigh under 80 KB in all, and docs/ui.md states their size to the kilobyte."""
    total = sum(path.stat().st_size for path in ASSETS)
    assert total < 80_000
    stated = re.search(r"(\d+) KB of HTML, CSS and JavaScript", DOCS.read_text(encoding="utf-8"))
    assert stated, "docs/ui.md states the assets' size"
    assert abs(int(stated.group(1)) - total / 1000) <= 1
