"""Tests that the built wheel carries the contract and the scenarios and works outside the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from the checkout (hatchling from the dev extras, no download)."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("sendstat-*.whl")
    return built


@pytest.mark.slow
def test_wheel_contains_data_files(wheel: Path) -> None:
    """The wheel holds openapi.yaml, the scenarios, the UI's assets, the Redis state's scripts and the typed markers."""
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "contract/openapi.yaml" in names
    assert any(name.startswith("mockserver/scenarios/") for name in names)
    assert {"contract/py.typed", "mockserver/py.typed", "sendstat/py.typed"} <= names
    assert {
        "mockserver/http/ui/static/index.html",
        "mockserver/http/ui/static/ui.css",
        "mockserver/http/ui/static/js/main.js",
    } <= names
    scripts = {path.name for path in (Path(__file__).parent.parent / "mockserver/state/redis/scripts").glob("*.lua")}
    assert {f"mockserver/state/redis/scripts/{name}" for name in scripts} <= names
    assert len(scripts) == 4


@pytest.mark.slow
def test_installed_wheel_finds_its_contract(wheel: Path, tmp_path: Path) -> None:
    """Installed into a folder outside the checkout, the package loads its own copy of the contract."""
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    probe = (
        "import contract.spec as s; c = s.Contract.load(); "
        "print(s.default_document_path()); print(len(c.error_catalogue))"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, env=env, check=True, capture_output=True, text=True
    )
    path, codes = result.stdout.split()
    assert Path(path).is_relative_to(target)
    assert codes == "27"
