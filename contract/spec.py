"""Loads openapi.yaml and exposes what the kit reads from it: fields, error catalogue, rules, schemas."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import yaml

from contract.errors import DocumentError

if TYPE_CHECKING:
    # Imported where a validator is first built: the mock starts without jsonschema (about 35 ms).
    from jsonschema import Draft202012Validator
    from referencing import Registry

DOCUMENT_URI = "urn:sendstat:openapi"

ErrorClass = Literal["hard", "block", "soft", "final", "unknown"]
RuleSource = Literal["seed", "inferred"]


@dataclass(frozen=True)
class DeliveryErrorCode:
    """One code of the delivery error catalogue."""

    code: int
    title: str
    ru: str
    error_class: ErrorClass


@dataclass(frozen=True)
class Rule:
    """A documented domain rule (`x-sendstat-rules`)."""

    id: str
    source: RuleSource
    statement: str
    why: str


@dataclass(frozen=True)
class ApiError:
    """A documented error answer: HTTP status, optional error code, message text."""

    status: int
    code: int | None
    message: str


def default_document_path() -> Path:
    """Return the path of openapi.yaml: inside the installed package, else at the checkout's root."""
    packaged = Path(__file__).with_name("openapi.yaml")
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parent.parent / "openapi.yaml"


def safe_load_fast(text: str) -> Any:
    """Parse YAML safely with libyaml's parser where PyYAML has it (the same documents, ~10x faster)."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader


def read_document(path: Path | None = None) -> dict[str, Any]:
    """Read an OpenAPI document from YAML, raising DocumentError with the path when it cannot."""
    path = path or default_document_path()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DocumentError(f"{path}: cannot read the contract: {exc.strerror}") from exc
    try:
        document = safe_load_fast(text)
    except yaml.YAMLError as exc:
        raise DocumentError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(document, dict):
        raise DocumentError(f"{path}: the contract must be a YAML mapping")
    return document


def validate_document(document: Mapping[str, Any], path: Path | None = None) -> None:
    """Raise DocumentError unless the document is valid OpenAPI 3.1."""
    from openapi_spec_validator import validate
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

    try:
        validate(dict(document))
    except OpenAPIValidationError as exc:
        where = "/".join(str(part) for part in exc.path) if getattr(exc, "path", None) else "document"
        # The validator's message continues with the failing schema; its first line says what is wrong.
        reason = str(exc.message).strip().splitlines()[0]
        raise DocumentError(f"{path or 'openapi.yaml'}: invalid OpenAPI 3.1 at {where}: {reason}") from exc


class Contract:
    """The parsed contract: everything the mock and the suite read from openapi.yaml."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        self._registry: Registry[Any] | None = None
        self.field_names: tuple[str, ...] = tuple(self.schema("FieldName")["enum"])
        self.error_catalogue: tuple[DeliveryErrorCode, ...] = tuple(
            DeliveryErrorCode(
                code=int(entry["const"]),
                title=entry["title"],
                ru=entry["x-ru"],
                error_class=entry["x-class"],
            )
            for entry in self.schema("DeliveryErrorCode")["oneOf"]
        )
        self.rules: tuple[Rule, ...] = tuple(
            Rule(id=r["id"], source=r["source"], statement=r["statement"], why=r["why"])
            for r in document.get("x-sendstat-rules", ())
        )
        fields_schema = self.parameter("Fields")["content"]["application/json"]["schema"]
        self.default_fields: tuple[str, ...] = tuple(fields_schema["default"])
        self.sortable_fields: tuple[str, ...] = tuple(self.parameter("SortField")["x-sendstat-sortable"])
        self.invalid_fields = self._error("InvalidFields", 400)
        self.not_found = self._error("NotFound", 404)

    @classmethod
    def load(cls, path: Path | None = None, *, validate: bool = True) -> Contract:
        """Read, optionally validate, and parse the contract at path (default: the shipped one)."""
        document = read_document(path)
        if validate:
            validate_document(document, path)
        try:
            return cls(document)
        except (KeyError, TypeError, ValueError) as exc:
            raise DocumentError(f"{path or 'openapi.yaml'}: lacks what the kit reads from it: {exc!r}") from exc

    @property
    def error_codes(self) -> frozenset[int]:
        """Every code of the delivery error catalogue."""
        return frozenset(entry.code for entry in self.error_catalogue)

    def error_class(self, code: int) -> ErrorClass:
        """Return the class (hard, block, soft, final, unknown) of a delivery error code."""
        for entry in self.error_catalogue:
            if entry.code == code:
                return entry.error_class
        raise KeyError(code)

    def rule(self, rule_id: str) -> Rule:
        """Return the documented rule with that id."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def schema(self, name: str) -> dict[str, Any]:
        """Return the raw component schema of that name."""
        schema: dict[str, Any] = self.document["components"]["schemas"][name]
        return schema

    def parameter(self, name: str) -> dict[str, Any]:
        """Return the raw component parameter of that name."""
        parameter: dict[str, Any] = self.document["components"]["parameters"][name]
        return parameter

    def validator(self, pointer: str) -> Draft202012Validator:
        """Return a JSON Schema validator for the schema at a JSON pointer into the document."""
        from jsonschema import Draft202012Validator

        return Draft202012Validator({"$ref": f"{DOCUMENT_URI}#{pointer}"}, registry=self.registry())

    def registry(self) -> Registry[Any]:
        """Return the referencing registry holding the document (built on first use)."""
        if self._registry is None:
            from referencing import Registry, Resource
            from referencing.jsonschema import DRAFT202012

            resource = Resource.from_contents(dict(self.document), default_specification=DRAFT202012)
            self._registry = Registry().with_resource(DOCUMENT_URI, resource)
        return self._registry

    def component_validator(self, name: str) -> Draft202012Validator:
        """Return a validator for a component schema."""
        return self.validator(f"/components/schemas/{name}")

    def response_validator(self, path: str, status: int, media_type: str = "application/json") -> Draft202012Validator:
        """Return a validator for the body of a documented response of GET path."""
        return self.validator(self.response_pointer(path, status, media_type))

    def response_pointer(self, path: str, status: int, media_type: str = "application/json") -> str:
        """Return the JSON pointer of the schema of a documented response body of GET path."""
        response = self.response(path, status)
        if "$ref" in response:
            ref = response["$ref"].removeprefix("#")
            return f"{ref}/content/{_escape(media_type)}/schema"
        return f"/paths/{_escape(path)}/get/responses/{status}/content/{_escape(media_type)}/schema"

    def response(self, path: str, status: int) -> dict[str, Any]:
        """Return the documented response object (possibly a $ref) of GET path with that status."""
        responses: dict[str, Any] = self.document["paths"][path]["get"]["responses"]
        try:
            response: dict[str, Any] = responses[str(status)]
        except KeyError:
            raise KeyError(f"GET {path} documents no {status} answer") from None
        return response

    def documented_statuses(self, path: str) -> tuple[int, ...]:
        """Return the documented statuses of GET path."""
        return tuple(int(code) for code in self.document["paths"][path]["get"]["responses"])

    def _error(self, response_name: str, status: int) -> ApiError:
        media = self.document["components"]["responses"][response_name]["content"]["application/json"]
        example = next(iter(media["examples"].values()))["value"]
        return ApiError(status=status, code=example.get("code"), message=example["message"])


def _escape(part: str) -> str:
    """Escape a string for use as one JSON pointer token."""
    return part.replace("~", "~0").replace("/", "~1")
