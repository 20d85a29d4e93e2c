"""What the UI reads rather than restates: the contract's paths, fields and catalogue, the mock's names."""

from __future__ import annotations

from contract.spec import Contract
from mockserver.http.ui.facts import page_facts
from mockserver.names import SCENARIO_HEADER, SESSION_COOKIE
from tests.conftest import MakeApp


def test_the_catalogue_is_the_contracts(contract: Contract) -> None:
    """Every delivery error code comes with its class and both texts, as openapi.yaml gives them."""
    facts = page_facts(contract)
    codes = facts["catalogue"]["codes"]
    assert [entry["code"] for entry in codes] == [entry.code for entry in contract.error_catalogue]
    assert codes[0] == {"code": 0, "class": "soft", "en": "retrying the send", "ru": "Повторная попытка отправки"}
    assert set(facts["catalogue"]["classes"]) == {entry.error_class for entry in contract.error_catalogue}


def test_paths_fields_and_selectors_come_from_their_homes(contract: Contract) -> None:
    """The index and view paths and the fields are the document's; the selectors the mock's own names."""
    facts = page_facts(contract)
    assert (facts["api"]["index"], facts["api"]["view"]) == ("/mailer/sendstatistics", "/mailer/sendstatistics/{id}")
    assert facts["api"]["fields"] == list(contract.field_names)
    assert facts["select"]["scenario"]["header"] == SCENARIO_HEADER
    assert facts["select"]["session"]["cookie"] == SESSION_COOKIE


def test_facts_are_served_as_json(make_app: MakeApp, contract: Contract) -> None:
    """/__mock/ui/facts.json serves the facts."""
    assert make_app().test_client().get("/__mock/ui/facts.json").json == page_facts(contract)
