"""The pages for people beside the API: /docs (rendered from openapi.yaml), /, and /openapi.yaml as the mock serves it.

Everything is rendered on the server from the document; the page loads nothing from elsewhere (no CDN,
no fonts, no scripts), so it works offline and leaks no request.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, Response, redirect, render_template, request, url_for
from markupsafe import Markup, escape
from werkzeug.wrappers import Response as BaseResponse

from contract.php import PhpJsonError, encode
from mockserver.http.context import MockState, mock_state
from mockserver.http.served_document import served_document
from mockserver.names import WARNING_HEADER

__all__ = ["bp", "markdown", "page_model"]

bp = Blueprint("docs", __name__, template_folder="templates")
_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


@bp.get("/")
def home() -> BaseResponse:
    """Send a person to the docs."""
    return redirect(url_for("docs.docs"))


@bp.get("/docs")
def docs() -> str:
    """Render the API's documentation page."""
    return render_template("docs.html", page=page_model(mock_state()))


@bp.get("/openapi.yaml")
def openapi() -> Response:
    """Serve the contract as the file holds it, but for the mock's own server and the active scenario's security."""
    state = mock_state()
    required = bool(state.control.active().auth_keys)
    text = served_document(state.contract_text, request.host_url.rstrip("/"), key_required=required)
    return Response(text, content_type="application/yaml; charset=utf-8")


def page_model(state: MockState) -> dict[str, Any]:
    """Collect what the page shows from the document: operations, parameters, responses, catalogue, rules."""
    document = state.contract.document
    info = document["info"]
    schemes = document.get("components", {}).get("securitySchemes", {})
    return {
        "title": info["title"],
        "version": info["version"],
        "summary": info.get("summary", ""),
        "description": markdown(info.get("description", "")),
        "servers": document.get("servers", []),
        "schemes": [
            {**scheme, "id": name, "description": markdown(scheme.get("description", ""))}
            for name, scheme in schemes.items()
        ],
        "auth_required": bool(state.control.active().auth_keys),  # the active scenario's, overrides applied
        "operations": [
            _operation(document, path, method, operation, state)
            for path, item in document["paths"].items()
            for method, operation in item.items()
            if method in _METHODS
        ],
        "catalogue": state.contract.error_catalogue,
        "classes": state.contract.schema("DeliveryErrorCode").get("x-classes", {}),
        "rules": state.contract.rules,
        "warning_header": WARNING_HEADER,
    }


def _operation(document: Mapping[str, Any], path: str, method: str, op: Mapping[str, Any], state: MockState) -> Any:
    return {
        "method": method.upper(),
        "path": path,
        "id": op.get("operationId", ""),
        "summary": op.get("summary", ""),
        "description": markdown(op.get("description", "")),
        "parameters": [_parameter(_resolve(document, p), state) for p in op.get("parameters", ())],
        "responses": [
            _response(status, _resolve(document, response), state) for status, response in op["responses"].items()
        ],
    }


def _parameter(param: Mapping[str, Any], state: MockState) -> dict[str, Any]:
    schema = param.get("schema")
    media = param.get("content", {}).get("application/json", {})
    if media:
        schema = media.get("schema", {})
    schema = schema or {}
    return {
        "name": param["name"],
        "in": param["in"],
        "required": param.get("required", False),
        "type": "JSON text" if media else schema.get("type", ""),
        "default": json.dumps(schema["default"], ensure_ascii=False) if "default" in schema else "",
        "description": markdown(param.get("description", "")),
        "inferred": param.get("x-inferred", ""),
        "examples": _examples(media.get("examples", {}), state),
    }


def _response(status: str, response: Mapping[str, Any], state: MockState) -> dict[str, Any]:
    media = response.get("content", {}).get("application/json", {})
    return {
        "status": status,
        "description": markdown(response.get("description", "")),
        "inferred": response.get("x-inferred", ""),
        "examples": _examples(media.get("examples", {}), state),
    }


def _examples(examples: Mapping[str, Any], state: MockState) -> list[dict[str, str]]:
    """Render each example readable (indented) and as the backend sends it (PHP json_encode)."""
    rendered = []
    for name, example in examples.items():
        value = example.get("value")
        try:
            wire = encode(value, state.json_flags).decode("utf-8")
        except PhpJsonError:
            wire = ""
        rendered.append(
            {
                "name": name,
                "summary": example.get("summary", ""),
                "pretty": json.dumps(value, ensure_ascii=False, indent=2),
                "wire": wire,
            }
        )
    return rendered


def _resolve(document: Mapping[str, Any], node: Mapping[str, Any]) -> Mapping[str, Any]:
    """Follow a local `$ref` (`#/components/...`) to the node it names."""
    while "$ref" in node:
        target: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


_INLINE = [
    (re.compile(r"`([^`]+)`"), r"<code>\1</code>"),
    (re.compile(r"\*\*(.+?)\*\*"), r"<strong>\1</strong>"),
]


def _inline(text: str) -> str:
    html = str(escape(text))
    for pattern, replacement in _INLINE:
        html = pattern.sub(replacement, html)
    return html


def markdown(text: str) -> Markup:
    """Render the document's Markdown subset (headings, bullets, paragraphs, `code`, **bold**), escaped."""
    out: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if paragraph:
            out.append(f"<p>{_inline(' '.join(paragraph))}</p>")
            paragraph.clear()
        if items:
            out.append("<ul>" + "".join(f"<li>{_inline(item)}</li>" for item in items) + "</ul>")
            items.clear()

    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            flush()
        elif stripped.startswith("#"):
            flush()
            level = min(len(stripped) - len(stripped.lstrip("#")) + 1, 6)
            out.append(f"<h{level}>{_inline(stripped.lstrip('#').strip())}</h{level}>")
        elif stripped.startswith(("* ", "- ")):
            if paragraph:
                flush()
            items.append(stripped[2:])
        elif items and line.startswith(" "):
            items[-1] += " " + stripped
        else:
            if items:
                flush()
            paragraph.append(stripped)
    flush()
    return Markup("".join(out))  # noqa: S704 - every piece of text went through escape() in _inline
