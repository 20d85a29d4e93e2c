"""Bodies against the document's schemas: the native engine and Python's jsonschema give one verdict."""

from __future__ import annotations

from typing import Any

import pytest

from contract.spec import Contract
from contract.validation import BodyValidator
from tests.contract.test_spec import INDEX, INVALID_VIEW_BODIES, VALID_VIEW_BODIES, VIEW

BODIES = {
    **{f"valid: {k}": v for k, v in VALID_VIEW_BODIES.items()},
    **{f"invalid: {k}": v for k, v in INVALID_VIEW_BODIES.items()},
}


@pytest.mark.parametrize("body", BODIES.values(), ids=BODIES.keys())
def test_both_engines_agree_on_view_bodies(contract: Contract, body: Any) -> None:
    """jsonschema_rs and jsonschema accept and refuse the same view bodies."""
    fast = BodyValidator(contract, contract.response_pointer(VIEW, 200))
    assert fast.is_valid(body) is contract.response_validator(VIEW, 200).is_valid(body)


@pytest.mark.parametrize(("status", "body"), [(400, {"code": 20520, "message": "x"}), (404, {"error": "Not found"})])
def test_invalid_error_bodies_are_explained_by_jsonschema(contract: Contract, status: int, body: Any) -> None:
    """An invalid body gets jsonschema's errors (paths and keywords), the same as validating with it alone."""
    fast = BodyValidator(contract, contract.response_pointer(VIEW, status))
    slow = contract.response_validator(VIEW, status)
    assert [error.message for error in fast.errors(body)] == [error.message for error in slow.iter_errors(body)]
    assert fast.errors(body)


def test_a_large_valid_index_needs_no_second_pass(contract: Contract) -> None:
    """A valid index of 100,000 entries is valid at once; an entry broken near the end is found and named."""
    fast = BodyValidator(contract, contract.response_pointer(INDEX, 200))
    body: dict[str, Any] = {"statistics": [{"id": i, "letter_title": f"t{i}"} for i in range(1, 100_001)]}
    assert fast.errors(body) == []
    body["statistics"][99_998]["id"] = "99999"
    (error,) = fast.errors(body)
    assert list(error.absolute_path) == ["statistics", 99_998, "id"]
