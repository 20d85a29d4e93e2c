"""Rules of one view answer that need its request (contract/checks/view.py)."""

from __future__ import annotations

from typing import Any

import pytest

from contract.checks.view import (
    unknown_fields_dropped,
    view_id_is_path_id,
    view_id_only_when_requested,
    view_no_unrequested_sections,
    view_requested_sections_present,
)
from contract.errors import RuleViolation
from contract.spec import Contract
from tests.contract.exchanges import context, make

VIEW = "/mailer/sendstatistics/1"


@pytest.mark.parametrize(
    ("query", "body"),
    [
        ("", {"id": 1}),
        ('?fields=["common"]', {"common": {}}),
        ('?fields=["errors","id"]', {"id": 1, "errors": []}),
        ('?fields=["common","bogus"]', {"common": {}}),
        ("?fields=id,common", {"id": 1}),
    ],
)
def test_requested_keys_pass(contract: Contract, query: str, body: dict[str, Any]) -> None:
    """Exactly the valid requested sections pass, in any order; the default is id; non-JSON reads as default."""
    for rule in (view_no_unrequested_sections, view_id_only_when_requested, view_requested_sections_present):
        rule(context(contract), make(VIEW + query, 200, body))


@pytest.mark.parametrize(
    ("query", "body", "fragment"),
    [
        ("", {"id": 1, "common": {}}, "unrequested common"),
        ('?fields=["id"]', {"id": 1, "errors": []}, "unrequested errors"),
        ('?fields=["open_time"]', {"id": 1, "open_time": [], "common": {}}, "unrequested common"),
    ],
)
def test_unrequested_sections_break_the_seed_rule(
    contract: Contract, query: str, body: dict[str, Any], fragment: str
) -> None:
    """A section beyond those requested (the default adding common) breaks the seed rule, and is named."""
    with pytest.raises(RuleViolation) as error:
        view_no_unrequested_sections(context(contract), make(VIEW + query, 200, body))
    assert fragment in error.value.message
    assert error.value.rule_id == "view-no-unrequested-sections"


def test_an_unrequested_id_breaks_only_the_inferred_rule(contract: Contract) -> None:
    """id beside the requested sections is allowed by the seed; the inferred rule says it comes only when asked."""
    exchange = make(VIEW + '?fields=["common"]', 200, {"id": 1, "common": {}})
    view_no_unrequested_sections(context(contract), exchange)
    with pytest.raises(RuleViolation) as error:
        view_id_only_when_requested(context(contract), exchange)
    assert "id although it was not requested" in str(error.value)


@pytest.mark.parametrize(
    ("query", "body", "fragment"),
    [
        ('?fields=["common","errors"]', {"common": {}}, "missing errors"),
        ("", {"common": {}}, "missing id"),
    ],
)
def test_missing_keys_break_the_seed_rule(contract: Contract, query: str, body: dict[str, Any], fragment: str) -> None:
    """A requested section left out (the default id included) breaks the seed rule, and is named."""
    with pytest.raises(RuleViolation) as error:
        view_requested_sections_present(context(contract), make(VIEW + query, 200, body))
    assert fragment in error.value.message
    assert error.value.rule_id == "view-requested-sections-present"


def test_view_id_must_be_the_path_id(contract: Contract) -> None:
    """A view answering for another id breaks view-id-is-path-id."""
    with pytest.raises(RuleViolation, match="another mailing"):
        view_id_is_path_id(context(contract), make(VIEW, 200, {"id": 2}))
    view_id_is_path_id(context(contract), make(VIEW, 200, {"id": 1}))


def test_unknown_names_beside_a_valid_one_are_dropped(contract: Contract) -> None:
    """A 400 for a valid name beside an unknown one breaks unknown-fields-dropped; with no valid name it does not."""
    with pytest.raises(RuleViolation) as error:
        unknown_fields_dropped(context(contract), make(VIEW + '?fields=["common","bogus"]', 400, {}))
    assert 'unknown: "bogus"' in error.value.message
    unknown_fields_dropped(context(contract), make(VIEW + '?fields=["bogus"]', 400, {}))
    unknown_fields_dropped(context(contract), make(VIEW + '?fields=["common","bogus"]', 200, {"common": {}}))
