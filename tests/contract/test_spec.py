"""Tests of the contract document (openapi.yaml) and its loader (contract/spec.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

from contract import Contract, DocumentError
from contract.spec import default_document_path, read_document

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "docs" / "seed" / "sendstatistics-api.ru.txt"
VIEW = "/mailer/sendstatistics/{id}"
INDEX = "/mailer/sendstatistics"


@pytest.fixture(scope="module")
def contract() -> Contract:
    """The shipped contract."""
    return Contract.load()


def seed_text() -> str:
    """The original Russian document, as shipped in docs/seed/."""
    return SEED.read_text(encoding="utf-8")


def seed_json_examples() -> list[Any]:
    """Every JSON example block of the seed, parsed."""
    blocks = re.findall(r"^\{.*?^\}", seed_text(), flags=re.MULTILINE | re.DOTALL)
    parsed = []
    for block in blocks:
        if "..." in block:  # the index example elides its tail with "{ ... }"
            block = re.sub(r",\s*\{\s*\.\.\.\s*\}", "", block)
        parsed.append(json.loads(block))
    return parsed


def seed_error_codes() -> dict[int, str]:
    """The delivery error codes of the seed with their Russian texts."""
    section = seed_text().split("Возможные коды ошибок параметра errors", 1)[1].split("Ошибки\n", 1)[0]
    return {int(m[1]): m[2].strip() for m in re.finditer(r"^(\d+) (.+)$", section, flags=re.MULTILINE)}


def examples_of(node: Any, tokens: tuple[str, ...] = ()) -> list[tuple[str, str, Any]]:
    """Every (name, JSON pointer of the schema, example value) of media types and parameters in a document."""
    found: list[tuple[str, str, Any]] = []
    if isinstance(node, dict):
        if "schema" in node and isinstance(node.get("examples"), dict):
            pointer = "".join("/" + t.replace("~", "~0").replace("/", "~1") for t in (*tokens, "schema"))
            found += [(name, pointer, example["value"]) for name, example in node["examples"].items()]
        for key, value in node.items():
            found += examples_of(value, (*tokens, str(key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += examples_of(value, (*tokens, str(index)))
    return found


def test_document_is_valid_openapi_31() -> None:
    """openapi.yaml is a valid OpenAPI 3.1.0 document."""
    document = read_document()
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_default_path_finds_the_document() -> None:
    """The loader finds openapi.yaml from a checkout (the wheel carries it beside the package)."""
    assert default_document_path().samefile(ROOT / "openapi.yaml")


def test_operations_are_documented(contract: Contract) -> None:
    """Both GET operations have an operationId, a tag, a summary and a description."""
    for path in (INDEX, VIEW):
        operation = contract.document["paths"][path]["get"]
        assert operation["operationId"]
        assert operation["tags"]
        assert operation["summary"]
        assert operation["description"]


def test_server_is_the_real_service(contract: Contract) -> None:
    """The document names the real service's URL."""
    assert contract.document["servers"][0]["url"] == "https://v1.estismail.com"


@pytest.mark.parametrize(
    ("name", "pointer", "value"),
    [pytest.param(*example, id=f"{example[1]}:{example[0]}") for example in examples_of(read_document())],
)
def test_every_example_validates(contract: Contract, name: str, pointer: str, value: Any) -> None:
    """Every named example of the document validates against the schema beside it."""
    errors = [error.message for error in contract.validator(pointer).iter_errors(value)]
    assert not errors, f"{pointer} example {name}: {errors}"


def test_examples_are_found() -> None:
    """The example walk finds the seed's, the quirks', the 400's and the 404's examples."""
    names = {name for name, _, _ in examples_of(read_document())}
    assert {"seed", "emptyMaps", "errorsAsList", "everyErrorCode", "invalidFields", "notFound"} <= names


def test_seed_examples_validate(contract: Contract) -> None:
    """The seed's own index and view examples validate against the document."""
    index_example, view_example = seed_json_examples()
    assert not list(contract.response_validator(INDEX, 200).iter_errors(index_example))
    assert not list(contract.response_validator(VIEW, 200).iter_errors(view_example))


def test_seed_view_example_is_verbatim(contract: Contract) -> None:
    """The document's `seed` view example is the seed's example, unchanged."""
    media = contract.document["paths"][VIEW]["get"]["responses"]["200"]["content"]["application/json"]
    assert media["examples"]["seed"]["value"] == seed_json_examples()[1]


def test_catalogue_matches_the_seed(contract: Contract) -> None:
    """The catalogue holds the seed's 27 codes with the seed's Russian texts."""
    seed_codes = seed_error_codes()
    assert len(seed_codes) == 27
    assert {entry.code: entry.ru for entry in contract.error_catalogue} == seed_codes


def test_catalogue_entries_are_complete(contract: Contract) -> None:
    """Each code has an English title and one of the documented classes."""
    classes = set(contract.schema("DeliveryErrorCode")["x-classes"])
    for entry in contract.error_catalogue:
        assert entry.title
        assert entry.error_class in classes


def test_every_error_code_example_covers_the_catalogue(contract: Contract) -> None:
    """The everyErrorCode example names each code of the catalogue."""
    media = contract.document["paths"][VIEW]["get"]["responses"]["200"]["content"]["application/json"]
    assert {int(code) for code in media["examples"]["everyErrorCode"]["value"]["errors"]} == contract.error_codes


def test_field_names_match_the_seed(contract: Contract) -> None:
    """The six field names are the seed's, and the view schema lists them in the same order."""
    seed_names = re.search(r"Список доступных полей: (.+)\.", seed_text())
    assert seed_names is not None
    assert contract.field_names == tuple(name.strip() for name in seed_names[1].split(","))
    assert tuple(contract.schema("MailingStatistics")["properties"]) == contract.field_names


def test_defaults_and_errors(contract: Contract) -> None:
    """The loader reads the default fields, the sortable fields and both error answers of the seed."""
    assert contract.default_fields == ("id",)
    assert contract.sortable_fields == ("id",)
    assert (contract.invalid_fields.status, contract.invalid_fields.code) == (400, 20620)
    assert contract.invalid_fields.message == "Invalid fields. Wrong parameters of string fields"
    assert (contract.not_found.status, contract.not_found.code, contract.not_found.message) == (404, None, "Not found")


def test_rules_are_marked_with_their_source(contract: Contract) -> None:
    """Every documented rule has a unique id, a source (seed or inferred) and a reason."""
    ids = [rule.id for rule in contract.rules]
    assert len(ids) == len(set(ids))
    assert all(rule.source in ("seed", "inferred") and rule.why for rule in contract.rules)


def test_inferred_marks_carry_a_reason(contract: Contract) -> None:
    """Every x-inferred mark in the document is a non-empty reason."""
    marks: list[Any] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            marks.extend(value for key, value in node.items() if key == "x-inferred")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(contract.document)
    assert len(marks) >= 8
    assert all(isinstance(mark, str) and len(mark) > 20 for mark in marks)


def test_no_parameter_promises_a_4xx_for_ignored_values(contract: Contract) -> None:
    """sort_field is a plain string and fields an array that must contain a valid name (no enums)."""
    sort_field = contract.parameter("SortField")["schema"]
    assert "enum" not in sort_field
    assert sort_field["type"] == "string"
    fields = contract.validator("/components/parameters/Fields/content/application~1json/schema")
    assert fields.is_valid(["common", "bogus"])
    assert fields.is_valid([])
    assert not fields.is_valid(["bogus"])
    assert fields.is_valid({"a": "id"})  # json_decode($f, true): an object's values are the names
    assert fields.is_valid({})  # PHP-empty: the default
    assert not fields.is_valid({"a": "bogus"})


COMMON = {"count": 10, "delivered": 9, "bounce": 1, "opened": 3, "clicked": 1, "spam": 0, "unsubs": 0}

INVALID_VIEW_BODIES = {
    "count as a string": {"common": {**COMMON, "count": "10"}},
    "negative count": {"common": {**COMMON, "bounce": -1}},
    "missing common key": {"common": {k: v for k, v in COMMON.items() if k != "opened"}},
    "extra common key": {"common": {**COMMON, "complaints": 0}},
    "undocumented section": {"id": 1, "recipients": []},
    "id as a string": {"id": "1"},
    "unknown error code": {"errors": {"99": 1}},
    "errors list longer than codes 0-18": {"errors": [1] * 20},
    "non-empty list for open_time": {"open_time": [1]},
    "open_time key not a number": {"open_time": {"yesterday": 1}},
    "domain counts missing bounce": {"domain_statistic": {"mail.ru": {"delivered": 1}}},
    "common as []": {"common": []},
    "click count as a float": {"click_statistic": {"https://shop.example/": 1.5}},
    "nothing at all": {},
}

VALID_VIEW_BODIES = {
    "seed-like": {"id": 1, "common": COMMON, "click_statistic": [], "errors": []},
    "errors as a list": {"errors": [7, 2]},
    "errors out of order": {"errors": {"1": 2, "0": 3}},
    "errors with a gap": {"errors": {"0": 3, "2": 1}},
    "every empty map": {"open_time": [], "click_statistic": [], "domain_statistic": [], "errors": []},
    # The seed types these sections as objects: a reimplementation's {} keeps it (php-list-quirk warns).
    "every empty map as {}": {"open_time": {}, "click_statistic": {}, "domain_statistic": {}, "errors": {}},
    "code 0 alone as an object": {"errors": {"0": 7}},
}


@pytest.mark.parametrize("body", INVALID_VIEW_BODIES.values(), ids=INVALID_VIEW_BODIES.keys())
def test_invalid_view_bodies_are_rejected(contract: Contract, body: Any) -> None:
    """A view body that the backend cannot send fails the schema."""
    assert not contract.response_validator(VIEW, 200).is_valid(body)


@pytest.mark.parametrize("body", VALID_VIEW_BODIES.values(), ids=VALID_VIEW_BODIES.keys())
def test_quirky_view_bodies_are_accepted(contract: Contract, body: Any) -> None:
    """PHP's encodings of maps (lists, [], out-of-order keys) and the seed's object forms pass the schema."""
    errors = [error.message for error in contract.response_validator(VIEW, 200).iter_errors(body)]
    assert not errors


@pytest.mark.parametrize(
    "body",
    [{"statistics": [{"id": 1}]}, {"statistics": [{"id": 1, "letter_title": "x", "sent": 1}]}, {"items": []}, []],
    ids=["missing title", "extra key", "wrong wrapper", "bare list"],
)
def test_invalid_index_bodies_are_rejected(contract: Contract, body: Any) -> None:
    """An index body that is not the seed's shape fails the schema."""
    assert not contract.response_validator(INDEX, 200).is_valid(body)


@pytest.mark.parametrize(
    ("status", "body", "valid"),
    [
        (400, {"code": 20620, "message": "Invalid fields. Wrong parameters of string fields"}, True),
        (400, {"code": 20520, "message": "Invalid fields. Wrong parameters of string fields"}, False),
        (400, {"message": "Invalid fields. Wrong parameters of string fields"}, False),
        (404, {"message": "Not found"}, True),
        (404, {"message": "Not found", "code": 404}, True),
        (404, {"error": "Not found"}, False),
    ],
)
def test_error_bodies(contract: Contract, status: int, body: Any, valid: bool) -> None:
    """The 400 needs code 20620 and the seed's text; the 404 needs the text and tolerates a code."""
    assert contract.response_validator(VIEW, status).is_valid(body) is valid


def test_undocumented_status_is_a_key_error(contract: Contract) -> None:
    """Asking for a status the document does not give says so."""
    with pytest.raises(KeyError, match="documents no 500"):
        contract.response(VIEW, 500)


def test_missing_document_is_a_document_error(tmp_path: Path) -> None:
    """A missing contract file is a DocumentError naming the path."""
    with pytest.raises(DocumentError, match=r"missing\.yaml"):
        Contract.load(tmp_path / "missing.yaml")


def test_bad_yaml_is_a_document_error(tmp_path: Path) -> None:
    """A contract that is not YAML is a DocumentError naming the path."""
    path = tmp_path / "bad.yaml"
    path.write_text("openapi: [3.1.0\n", encoding="utf-8")
    with pytest.raises(DocumentError, match=r"bad\.yaml: not valid YAML"):
        Contract.load(path)


def test_invalid_openapi_is_a_document_error(tmp_path: Path) -> None:
    """A YAML document that is not valid OpenAPI 3.1 is refused with the place of the fault."""
    document = read_document()
    document["components"]["parameters"]["MailingId"]["in"] = "body"
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    with pytest.raises(DocumentError, match=r"broken\.yaml: invalid OpenAPI 3\.1"):
        Contract.load(path)


def test_document_lacking_kit_parts_is_a_document_error(tmp_path: Path) -> None:
    """A valid OpenAPI document without the kit's components is refused, not half-read."""
    path = tmp_path / "bare.yaml"
    path.write_text("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n", encoding="utf-8")
    with pytest.raises(DocumentError, match="lacks what the kit reads"):
        Contract.load(path)
