"""Tests of mockserver.scenario.schema: the scenario schema itself, and messages that say what was expected."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from jsonschema.protocols import Validator

from mockserver.scenario.library import default_scenario_dirs
from mockserver.scenario.schema import ScenarioValidator, check_document, describe, load_schema, strict_validator
from mockserver.scenario.yamlfile import read_yaml
from tests._imports import imported
from tests.mockserver.scenario.test_yamlfile import write

HEAD = "name: t\ndescription: d\n"


AnyValidator = ScenarioValidator | Validator


@pytest.fixture(scope="module", params=["native-first", "strict"])
def validator(request: pytest.FixtureRequest) -> AnyValidator:
    """The loader's validator of the shipped scenario schema, and the strict one alone: every message is both's."""
    if request.param == "strict":
        return strict_validator(load_schema())
    return ScenarioValidator(load_schema())


def messages(tmp_path: Path, validator: AnyValidator, text: str) -> list[str]:
    """The schema problems of a file as `file:line: field: message`, the folder left out."""
    document = read_yaml(write(tmp_path, text))
    return [error.headline().replace(f"{tmp_path}/", "") for error in check_document(document, validator)]


def test_schema_is_valid_draft_2020_12() -> None:
    """The scenario schema is itself a valid Draft 2020-12 schema."""
    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def _properties(schema: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every named property of the schema, with its path, at any depth."""
    if isinstance(schema, dict):
        for name, sub in schema.get("properties", {}).items():
            yield f"{where}.{name}", sub
        for key, sub in schema.items():
            yield from _properties(sub, f"{where}/{key}")
    elif isinstance(schema, list):
        for index, sub in enumerate(schema):
            yield from _properties(sub, f"{where}[{index}]")


@pytest.mark.parametrize(("where", "schema"), list(_properties(load_schema())), ids=lambda v: str(v)[:60])
def test_every_property_is_described(where: str, schema: dict[str, Any]) -> None:
    """Every property of the format carries a description (its own or its $ref's), for the guide and for editors."""
    if "$ref" in schema and "description" not in schema:
        schema = load_schema()["$defs"][schema["$ref"].removeprefix("#/$defs/")]
    assert schema.get("description"), where


def test_a_minimal_scenario_is_valid(tmp_path: Path, validator: AnyValidator) -> None:
    """A name and a description are all a scenario needs."""
    assert messages(tmp_path, validator, HEAD) == []


BROKEN = {
    "missing-description": ("name: t\n", ["t.yaml:1: description: missing: this field is required"]),
    "missing-both": ("seed: 1\n", ["t.yaml:1: missing required fields: name, description"]),
    "misspelt-field": (
        HEAD + "sead: 2\n",
        [
            "t.yaml:3: sead: unknown field (did you mean 'seed'?); expected one of: name, description, seed, now, "
            "mailings, empty_index_status, auth_keys, latency, faults, forced, json_flags, json_objects"
        ],
    ),
    "bad-name": (
        "name: Flaky Net\ndescription: d\n",
        [
            "t.yaml:1: name: expected a name of lowercase letters, digits and dashes (at most 64 characters), "
            "the file's name without .yaml, got 'Flaky Net'"
        ],
    ),
    "rate-above-one": (
        HEAD + "faults:\n  view:\n    - kind: drop\n      rate: 1.5\n",
        ["t.yaml:6: faults.view[0].rate: expected a number between 0 and 1, got 1.5"],
    ),
    "unknown-fault-kind": (
        HEAD + "faults: {index: [{kind: 502, rate: 0.1}]}\n",
        ["t.yaml:3: faults.index[0].kind: expected one of 500, 503, timeout, drop, truncate, malformed, got 502"],
    ),
    "fault-without-rate": (
        HEAD + "faults:\n  index:\n    - kind: drop\n",
        ["t.yaml:5: faults.index[0].rate: missing: this field is required"],
    ),
    "unknown-endpoint": (
        HEAD + "latency:\n  views: {fixed_ms: 5}\n",
        ["t.yaml:4: latency.views: unknown field (did you mean 'view'?); expected one of: index, view"],
    ),
    "float-milliseconds": (
        HEAD + "latency: {view: {fixed_ms: 5.0}}\n",
        ["t.yaml:3: latency.view.fixed_ms: expected a whole number, got 5.0"],
    ),
    "negative-jitter": (
        HEAD + "latency: {view: {fixed_ms: 5, jitter_ms: -1}}\n",
        ["t.yaml:3: latency.view.jitter_ms: expected a whole number between 0 and 120,000, got -1"],
    ),
    "billion-mailings": (
        HEAD + "mailings:\n  generate:\n    count: 1000000000\n",
        ["t.yaml:5: mailings.generate.count: expected a whole number between 0 and 1,000,000, got 1000000000"],
    ),
    "count-as-text": (
        HEAD + "mailings: {generate: {count: ten}}\n",
        ["t.yaml:3: mailings.generate.count: expected a whole number, got 'ten'"],
    ),
    "id-zero": (
        HEAD + "mailings:\n  pinned:\n    - id: 0\n",
        ["t.yaml:5: mailings.pinned[0].id: expected a whole number between 1 and 9,223,372,036,854,775,807, got 0"],
    ),
    "pinned-without-id": (
        HEAD + "mailings:\n  pinned:\n    - profile: good\n",
        ["t.yaml:5: mailings.pinned[0].id: missing: this field is required"],
    ),
    "huge-title": (
        HEAD + f"mailings:\n  pinned:\n    - id: 1\n      letter_title: {'x' * 10_001}\n",
        ["t.yaml:6: mailings.pinned[0].letter_title: expected at most 10,000 characters, got 10,001"],
    ),
    "recipients-absurd": (
        HEAD + "mailings:\n  pinned:\n    - {id: 1, recipients: 1000000000}\n",
        ["t.yaml:5: mailings.pinned[0].recipients: expected a whole number between 0 and 100,000,000, got 1000000000"],
    ),
    "errors-not-a-map": (
        HEAD + "mailings:\n  pinned:\n    - id: 1\n      errors: lots\n",
        [
            "t.yaml:6: mailings.pinned[0].errors: expected a map of error code to letters, or a list of counts of "
            "codes 0, 1, ..., got 'lots'"
        ],
    ),
    "open-time-as-list": (
        HEAD + "mailings:\n  pinned:\n    - id: 1\n      open_time: [3]\n",
        [
            "t.yaml:6: mailings.pinned[0].open_time: expected a map of hour (unix time) to opens, or [] for none, "
            "got a list of 1"
        ],
    ),
    "domain-without-bounce": (
        HEAD + "mailings:\n  pinned:\n    - id: 1\n      domain_statistic:\n        mail.ru: {delivered: 3}\n",
        [
            "t.yaml:6: mailings.pinned[0].domain_statistic: expected a map of domain to {delivered, bounce}, or [] "
            "for none, got a mapping"
        ],
    ),
    "now-not-a-time": (
        HEAD + "now: [2024]\n",
        [
            "t.yaml:3: now: expected a unix time in seconds or an ISO 8601 date-time such as 2024-12-05T12:00:00Z "
            "(or null), got a list of 1"
        ],
    ),
    "empty-index-418": (
        HEAD + "empty_index_status: 418\n",
        ["t.yaml:3: empty_index_status: expected one of 204, 200, got 418"],
    ),
    "auth-key-with-space": (
        HEAD + "auth_keys:\n  - ok-key\n  - bad key\n",
        ["t.yaml:5: auth_keys[1]: expected a key of 1 to 256 visible ASCII characters without spaces, got 'bad key'"],
    ),
    "auth-keys-twice": (
        HEAD + "auth_keys: [k, k]\n",
        ["t.yaml:3: auth_keys: the list holds the same value twice"],
    ),
    "forced-key-not-an-id": (
        HEAD + "forced:\n  latest: {status: 500}\n",
        ["t.yaml:4: forced.latest: expected a mailing id (a whole number from 1), got 'latest'"],
    ),
    "forced-without-status": (
        HEAD + "forced:\n  5: {body: {}}\n",
        ["t.yaml:4: forced.5.status: missing: this field is required"],
    ),
    "two-problems-in-line-order": (
        HEAD + "seed: -1\nnow: soon\nempty_index_status: 201\n",
        [
            "t.yaml:3: seed: expected a whole number between 0 and 9,223,372,036,854,775,807, got -1",
            "t.yaml:5: empty_index_status: expected one of 204, 200, got 201",
        ],
    ),
}


@pytest.mark.parametrize(("text", "expected"), BROKEN.values(), ids=BROKEN.keys())
def test_broken_scenarios_explain_themselves(
    tmp_path: Path, validator: AnyValidator, text: str, expected: list[str]
) -> None:
    """Each schema problem names the file, the line, the field, what was expected and what was given."""
    assert messages(tmp_path, validator, text) == expected


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, "null"),
        (True, "true"),
        (1.5, "1.5"),
        ("abc", "'abc'"),
        ("x" * 61, "text of 61 characters"),
        ({"a": 1}, "a mapping"),
        ([], "an empty list"),
        ([1, 2], "a list of 2"),
    ],
)
def test_received_values_are_described_briefly(value: object, shown: str) -> None:
    """A received value is shown short: long text by its length, containers by their kind."""
    assert describe(value) == shown


@pytest.mark.parametrize(
    "data",
    [
        {"name": "t", "description": "d", "latency": {"view": {"fixed_ms": 5.0}}},  # a whole float: JSON Schema's 5
        {"name": "t", "description": "d", "seed": 10**30},  # beyond what the native engine reads
        {"name": "t", "description": "d", "seed": float("nan")},
    ],
    ids=["whole-float", "huge-int", "nan"],
)
def test_what_the_native_engine_reads_otherwise_goes_to_the_strict_validator(data: dict[str, Any]) -> None:
    """A whole float, an int past 64 bits, a NaN: the native engine does not pass them; the strict verdict is kept."""
    checked = ScenarioValidator(load_schema())
    assert not checked.passes(data)
    assert [e.message for e in checked.iter_errors(data)] == [
        e.message for e in strict_validator(load_schema()).iter_errors(data)
    ]
    assert list(checked.iter_errors(data))


def test_every_shipped_scenario_passes_natively() -> None:
    """The shipped scenarios are valid, and valid at native speed (no jsonschema pass at the mock's start)."""
    checked = ScenarioValidator(load_schema())
    shipped = sorted(p for d in default_scenario_dirs() for p in d.glob("*.yaml"))
    assert shipped
    for path in shipped:
        assert checked.passes(read_yaml(path).data), path


def test_the_mock_starts_without_jsonschema() -> None:
    """Building the app on the default scenario imports neither jsonschema nor referencing (start-up time)."""
    code = (
        "import tempfile; from mockserver.http.app import create_app;"
        "create_app({'SENDSTAT_STATE_DIR': tempfile.mkdtemp()}).test_client().get('/mailer/sendstatistics/1')"
    )
    assert imported(code, ["jsonschema", "referencing"]) == []
