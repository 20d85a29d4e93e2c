"""Fixtures of the control plane's tests: apps on the real scenarios, a client that validates every control answer."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from werkzeug.test import TestResponse

from contract.spec import Contract
from mockserver.control.runtime import Runtime
from mockserver.http.context import EXTENSION
from mockserver.scenario.library import LoadContext
from tests.conftest import MakeApp

INDEX = "/mailer/sendstatistics"
DOCUMENT_URI = "urn:sendstat:control-openapi"


@dataclass(frozen=True)
class ControlDocument:
    """The control API's OpenAPI document: finds the documented schema of any answer."""

    document: dict[str, Any]
    registry: Registry[Any]

    @classmethod
    def load(cls) -> ControlDocument:
        """Read the shipped document."""
        document = yaml.safe_load(files("mockserver").joinpath("data/control-openapi.yaml").read_text())
        resource = Resource.from_contents(document, default_specification=DRAFT202012)
        return cls(document, Registry().with_resource(DOCUMENT_URI, resource))

    def operation(self, method: str, path: str) -> tuple[str, dict[str, Any]]:
        """Return the path template and operation documented for a concrete request."""
        for template, item in self.document["paths"].items():
            pattern = "^" + re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(template)) + "$"
            if re.match(pattern, path) and method.lower() in item:
                return template, item[method.lower()]
        raise AssertionError(f"{method} {path} is not documented in control-openapi.yaml")

    def check(self, method: str, path: str, response: TestResponse) -> None:
        """Assert that the status is documented for the operation and the JSON body matches its schema."""
        template, operation = self.operation(method, path)
        documented = operation["responses"].get(str(response.status_code))
        assert documented is not None, f"{method} {template} does not document {response.status_code}"
        if "$ref" in documented:
            documented = self.document["components"]["responses"][documented["$ref"].rsplit("/", 1)[1]]
        content = documented.get("content", {})
        if "application/json" not in content:
            assert response.content_type != "application/json", f"{method} {template}: JSON where none is documented"
            return
        assert response.content_type == "application/json", response.data
        validator = Draft202012Validator(_with_base(content["application/json"]["schema"]), registry=self.registry)
        errors = sorted(validator.iter_errors(json.loads(response.data)), key=str)
        assert not errors, f"{method} {template} {response.status_code}: {errors[0].message}"


def _with_base(schema: dict[str, Any]) -> dict[str, Any]:
    """Rewrite the document's local $refs to absolute ones, so a schema can be validated on its own."""
    text = json.dumps(schema).replace('"$ref": "#/', f'"$ref": "{DOCUMENT_URI}#/')
    result: dict[str, Any] = json.loads(text)
    return result


@dataclass
class ControlClient:
    """A test client whose every /__mock/ answer is checked against the control API's document."""

    client: FlaskClient
    document: ControlDocument
    seen: list[tuple[str, str, int]] = field(default_factory=list)

    def open(self, method: str, path: str, **kwargs: Any) -> TestResponse:
        """Send a request; validate the answer when it is the control API's."""
        response = self.client.open(path, method=method, **kwargs)
        bare = path.split("?", 1)[0]
        if bare.startswith("/__mock/") and method != "OPTIONS":
            self.document.check(method, bare, response)
            self.seen.append((method, bare, response.status_code))
        return response

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        """GET."""
        return self.open("GET", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> TestResponse:
        """PUT."""
        return self.open("PUT", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> TestResponse:
        """POST."""
        return self.open("POST", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> TestResponse:
        """DELETE."""
        return self.open("DELETE", path, **kwargs)


@pytest.fixture(scope="session")
def load_context(contract: Contract) -> LoadContext:
    """What loading scenario files reads (contract, model data, schema), loaded once."""
    return LoadContext.create(contract)


@pytest.fixture(scope="session")
def control_document() -> ControlDocument:
    """The control API's document, loaded once."""
    return ControlDocument.load()


@pytest.fixture
def sleeps() -> list[float]:
    """The seconds the app under test slept for (latency and timeouts are recorded, not waited)."""
    return []


@pytest.fixture
def make_control_app(make_app: MakeApp, sleeps: list[float]) -> MakeApp:
    """Build an app serving the real scenarios (no hand-made source) that records its sleeps."""

    def make(**config: Any) -> Flask:
        return make_app(**{"SENDSTAT_SOURCE": None, "SENDSTAT_SLEEP": sleeps.append, **config})

    return make


@pytest.fixture
def control_app(make_control_app: MakeApp) -> Flask:
    """An app on the default scenario."""
    return make_control_app()


@pytest.fixture
def mock(control_app: Flask, control_document: ControlDocument) -> ControlClient:
    """A validating client of control_app."""
    return ControlClient(control_app.test_client(), control_document)


def runtime_of(app: Flask) -> Runtime:
    """Return an app's control runtime."""
    control: Runtime = app.extensions[EXTENSION].control
    return control


WriteScenario = Callable[..., Path]


@pytest.fixture
def write_scenario(tmp_path: Path) -> WriteScenario:
    """Write a scenario file into a temporary scenario directory and return its path."""
    directory = tmp_path / "scenarios"
    directory.mkdir()

    def write(name: str, text: str | None = None, **fields: Any) -> Path:
        body = text if text is not None else yaml.safe_dump({"name": name, "description": f"{name}.", **fields})
        path = directory / f"{name}.yaml"
        path.write_text(body)
        return path

    return write
