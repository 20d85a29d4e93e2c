"""The second schema validation with jsonschema (contract/checks/schema.py)."""

from __future__ import annotations

from typing import Any

import pytest

from contract.checks.schema import response_schema
from contract.errors import RuleViolation
from contract.spec import Contract
from tests.contract.exchanges import SEED_BODY, context, make


def violation(contract: Contract, path: str, status: int, body: Any = None, raw: bytes | None = None) -> RuleViolation:
    """The response-schema violation of an exchange (the test fails if there is none)."""
    with pytest.raises(RuleViolation) as error:
        response_schema(context(contract), make(path, status, body, raw=raw))
    assert error.value.rule_id == "response-schema"
    return error.value


def test_undocumented_keys_are_named(contract: Contract) -> None:
    """An extra key is reported by name in the title."""
    found = violation(contract, "/mailer/sendstatistics/1", 200, {**SEED_BODY, "status": "sent"})
    assert "undocumented keys: status" in found.title


def test_type_drift_names_the_location(contract: Contract) -> None:
    """A count sent as a string is reported at its JSON location."""
    body = {"common": {**SEED_BODY["common"], "count": "1"}}
    assert (
        "at /common/count: '1' is not of type 'integer'"
        in violation(contract, "/mailer/sendstatistics/1", 200, body).message
    )


@pytest.mark.parametrize(
    ("body", "fragment"),
    [({"code": 20520, "message": "Invalid fields. Wrong parameters of string fields"}, "20620"),
     ({"code": 20620, "message": "Invalid fields"}, "Wrong parameters")],
)  # fmt: skip
def test_wrong_error_code_or_text(contract: Contract, body: dict[str, Any], fragment: str) -> None:
    """The 400's code and text are the seed's own."""
    assert fragment in violation(contract, "/mailer/sendstatistics/1", 400, body).message


def test_empty_body_where_json_is_documented(contract: Contract) -> None:
    """A 200 without a body is not JSON."""
    assert "an empty body" in violation(contract, "/mailer/sendstatistics/1", 200, raw=b"").message


@pytest.mark.parametrize(
    "body",
    [SEED_BODY, {"id": 7, "open_time": [], "errors": [7]}, {"errors": {"6": 2, "0": 1}}],
)
def test_php_quirks_are_valid(contract: Contract, body: dict[str, Any]) -> None:
    """Empty maps as [], errors as a list, and a non-list errors map pass the schema."""
    response_schema(context(contract), make("/mailer/sendstatistics/1", 200, body))


def test_undocumented_status_is_left_to_the_status_check(contract: Contract) -> None:
    """A status the document does not list has no schema to validate against."""
    response_schema(context(contract), make("/mailer/sendstatistics/1", 500, raw=b"<html>"))
