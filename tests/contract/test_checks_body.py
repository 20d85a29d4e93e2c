"""Body rules applied to 200 answers of the right operation (contract/checks/body.py)."""

from __future__ import annotations

import pytest

from contract.checks.body import BODY_CHECKS
from contract.errors import RuleViolation
from contract.spec import Contract
from tests.contract.exchanges import context, make

DUPLICATES = {"statistics": [{"id": 1, "letter_title": "a"}, {"id": 1, "letter_title": "a"}]}


def test_index_rules_judge_index_answers(contract: Contract) -> None:
    """An index answer with a duplicate id breaks index-unique-ids."""
    with pytest.raises(RuleViolation):
        BODY_CHECKS["index-unique-ids"](context(contract), make("/mailer/sendstatistics", 200, DUPLICATES))


@pytest.mark.parametrize(("path", "status"), [("/mailer/sendstatistics/1", 200), ("/mailer/sendstatistics", 500)])
def test_other_answers_are_not_judged(contract: Contract, path: str, status: int) -> None:
    """An index rule ignores view answers and non-200 answers."""
    BODY_CHECKS["index-unique-ids"](context(contract), make(path, status, DUPLICATES))
