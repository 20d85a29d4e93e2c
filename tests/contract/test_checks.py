"""The check registry (contract/checks/__init__.py) keeps the document's rules and the code in sync."""

from __future__ import annotations

from pathlib import Path

import pytest

from contract.checks import CHECK_IDS, DOCUMENT_CHECKS, OTHER_CHECKS, RULE_IMPLEMENTATIONS, run_exchange
from contract.severity import DOCUMENT_WHY
from contract.spec import Contract
from tests.contract.exchanges import ALL_FIELDS, SEED_BODY, context, make

CONTRACT_DIR = Path(__file__).resolve().parents[2] / "contract"


def test_every_documented_rule_has_one_implementation_and_back(contract: Contract) -> None:
    """Each rule id of x-sendstat-rules is implemented, and each implementation has a documented id."""
    assert {rule.id for rule in contract.rules} == set(RULE_IMPLEMENTATIONS)


@pytest.mark.parametrize("rule_id", [rule.id for rule in Contract.load().rules])
def test_each_rule_id_appears_once_as_a_registration(rule_id: str) -> None:
    """No rule id is registered twice anywhere in contract/ (a quoted id followed by a colon is one entry)."""
    sources = "".join(path.read_text(encoding="utf-8") for path in CONTRACT_DIR.rglob("*.py"))
    assert sources.count(f'"{rule_id}": ') == 1


def test_other_check_ids_do_not_collide_with_rules(contract: Contract) -> None:
    """Document checks and other findings have ids of their own, each with a reason for the report."""
    others = set(DOCUMENT_CHECKS) | set(OTHER_CHECKS)
    assert not others & {rule.id for rule in contract.rules}
    assert others <= set(DOCUMENT_WHY)
    assert len(CHECK_IDS) == len(set(CHECK_IDS))


def test_a_correct_answer_passes_every_check(contract: Contract) -> None:
    """The seed's example, asked for with every field, passes every per-exchange check."""
    exchange = make(f"/mailer/sendstatistics/1?fields={ALL_FIELDS}", body=SEED_BODY)
    assert run_exchange(context(contract), exchange) == []
