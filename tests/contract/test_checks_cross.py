"""Rules across requests (contract/checks/cross.py): index vs detail, and repeated requests."""

from __future__ import annotations

import pytest

from contract.checks.cross import CrossViolation, deterministic_answers, index_detail_agree
from contract.exchange import Exchange
from contract.spec import Contract
from tests.contract.exchanges import ALL_FIELDS, context, make


def view(mailing_id: int, status: int = 200, body_id: object = None) -> Exchange:
    """A view of one id with every field, answered with status and an id."""
    return make(f"/mailer/sendstatistics/{mailing_id}?fields={ALL_FIELDS}", status, {"id": body_id or mailing_id})


def test_every_listed_id_with_a_detail_passes(contract: Contract) -> None:
    """Listed ids whose details answer 200 with their id agree with the index."""
    index_detail_agree(context(contract, listed=(1, 7)), [view(1), view(7)])


@pytest.mark.parametrize(
    ("status", "body_id", "fragment"), [(404, None, "id 7: 404"), (200, 8, "the detail says id 8")]
)
def test_a_listed_id_without_its_detail_breaks_the_rule(
    contract: Contract, status: int, body_id: object, fragment: str
) -> None:
    """A listed id whose detail is missing or names another id is reported, with the exchange to replay."""
    with pytest.raises(CrossViolation) as error:
        index_detail_agree(context(contract, listed=(1, 7)), [view(1), view(7, status, body_id)])
    assert fragment in error.value.message
    assert error.value.example is not None


def test_one_200_among_retries_is_enough(contract: Contract) -> None:
    """A detail that answered 200 once exists, even if another request for it failed."""
    index_detail_agree(context(contract, listed=(7,)), [view(7, 500), view(7)])


def test_different_answers_to_one_request_break_determinism(contract: Contract) -> None:
    """Two identical requests with different bodies break deterministic-answers, naming where they differ."""
    first = make("/mailer/sendstatistics/1?fields=%5B%22common%22%5D", 200, {"common": {"opened": 1}})
    second = make("/mailer/sendstatistics/1?fields=%5B%22common%22%5D", 200, {"common": {"opened": 2}})
    with pytest.raises(CrossViolation) as error:
        deterministic_answers(context(contract), [first, second])
    assert "/common/opened = 1 then 2" in error.value.message
    deterministic_answers(context(contract), [first, first])
