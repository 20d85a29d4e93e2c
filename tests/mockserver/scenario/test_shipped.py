"""Tests of the shipped scenarios: each loads, serves only contract-valid data, and shows what its name promises."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from contract.invariants import MAP_SECTIONS, as_map, check_index, check_mailing
from contract.php import encode, parse_flags
from contract.spec import Contract
from mockserver.model.account import default_account
from mockserver.model.mailing import Mailing
from mockserver.scenario.library import LoadContext, ScenarioLibrary, default_scenario_dirs, load_scenario_file
from mockserver.scenario.scenario import Scenario
from mockserver.scenario.spec import FAULT_KINDS

ROOT = Path(__file__).resolve().parents[3]
SHIPPED = sorted(path.stem for path in (ROOT / "scenarios").glob("*.yaml"))
INDEX, VIEW = "/mailer/sendstatistics", "/mailer/sendstatistics/{id}"
HOUR = 3600
SAMPLE = 30  # mailings judged per scenario: all of them below this, else the ends and a spread


@pytest.fixture(scope="module")
def contract() -> Contract:
    """The shipped contract (tests/contract/test_spec.py validates it)."""
    return Contract.load(validate=False)


@pytest.fixture(scope="module")
def context(contract: Contract) -> LoadContext:
    """The shipped contract, data files and schema."""
    return LoadContext.create(contract)


@pytest.fixture(scope="module")
def library(context: LoadContext) -> ScenarioLibrary:
    """The shipped scenarios, loaded once."""
    return ScenarioLibrary(default_scenario_dirs(), context)


def sample(ids: Sequence[int]) -> list[int]:
    """Every id of a small account; of a large one the first and last ten and an even spread between."""
    if len(ids) <= SAMPLE:
        return list(ids)
    step = len(ids) // (SAMPLE - 20)
    return sorted({*ids[:10], *ids[-10:], *(ids[i] for i in range(0, len(ids), step))})


def wire(value: Any, scenario: Scenario) -> Any:
    """A body as the mock sends it (PHP json_encode with the scenario's flags), decoded."""
    return json.loads(encode(value, parse_flags(list(scenario.json_flags))))


def mailings(scenario: Scenario, now: int | None = -1) -> list[Mailing]:
    """The scenario's listed mailings at now (default: its clock)."""
    source = scenario.source(scenario.clock if now == -1 else now)
    found = [source.mailing(i) for i in source.ids()]
    assert None not in found
    return [m for m in found if m is not None]


def view(mailing: Mailing, contract: Contract, scenario: Scenario) -> dict[str, Any]:
    """The view's answer with every field, as sent."""
    body: dict[str, Any] = wire({name: mailing.section(name) for name in contract.field_names}, scenario)
    return body


def test_every_file_is_a_scenario(library: ScenarioLibrary) -> None:
    """The library finds every shipped file, and none fails to load."""
    assert library.names() == SHIPPED
    assert library.errors == []


@pytest.mark.parametrize("name", SHIPPED)
def test_loads_without_warnings(library: ScenarioLibrary, name: str) -> None:
    """A shipped scenario breaks no rule of the contract, not even an inferred one."""
    assert library.get(name).warnings == ()


@pytest.mark.parametrize("name", SHIPPED)
def test_serves_only_contract_valid_data(library: ScenarioLibrary, contract: Contract, name: str) -> None:
    """Every listed mailing (a sample of large accounts) has a valid index entry and a valid, rule-keeping view."""
    scenario = library.get(name)
    source = scenario.source(scenario.clock)
    ids = sample(source.ids())
    assert all(a < b for a, b in pairwise(ids))
    index = wire({"statistics": [{"id": i, "letter_title": source.title(i)} for i in ids]}, scenario)
    assert list(contract.response_validator(INDEX, 200).iter_errors(index)) == []
    assert check_index(index) == []
    validator = contract.response_validator(VIEW, 200)
    for mailing_id in ids:
        mailing = source.mailing(mailing_id)
        assert mailing is not None
        assert (mailing.id, mailing.letter_title) == (mailing_id, source.title(mailing_id))
        body = view(mailing, contract, scenario)
        assert [e.message for e in validator.iter_errors(body)] == [], mailing_id
        assert check_mailing(body) == [], mailing_id


@pytest.mark.parametrize("name", [n for n in SHIPPED if n != "large"])
def test_forced_answers_keep_the_contract_or_are_faults(
    library: ScenarioLibrary, contract: Contract, name: str
) -> None:
    """A forced answer is a declared fault, or a documented status whose body validates."""
    scenario = library.get(name)
    for mailing_id, forced in scenario.forced.items():
        if forced.fault:
            continue
        assert forced.status in contract.documented_statuses(VIEW), mailing_id
        if forced.body is not None:
            validator = contract.response_validator(VIEW, forced.status)
            assert list(validator.iter_errors(wire(forced.body, scenario))) == []


# What each name promises; every shipped scenario has an entry (see test_every_scenario_has_a_promise).
Promise = Callable[[Scenario, Contract, LoadContext], None]


def default_is_the_built_in_account(scenario: Scenario, contract: Contract, context: LoadContext) -> None:
    """default serves exactly mockserver.model.account.default_account()."""
    account = default_account(context.data)
    source = scenario.source(scenario.clock)
    assert list(source.ids()) == list(account.ids())
    assert [source.title(i) for i in source.ids()] == [account.title(i) for i in account.ids()]
    assert [source.mailing(i) for i in source.ids()] == [account.mailing(i) for i in account.ids()]


def empty_has_no_mailings(scenario: Scenario, contract: Contract, context: LoadContext) -> None:
    """empty lists nothing at any clock and answers the index with 204."""
    assert len(scenario.source(scenario.clock).ids()) == len(scenario.source(None).ids()) == 0
    assert scenario.empty_index_status == 204


def empty_200_answers_200(scenario: Scenario, contract: Contract, context: LoadContext) -> None:
    """empty-200 lists nothing and answers the index with 200 {"statistics": []}."""
    assert len(scenario.source(None).ids()) == 0
    assert scenario.empty_index_status == 200


def single_has_one(scenario: Scenario, contract: Contract, context: LoadContext) -> None:
    """single lists exactly one mailing."""
    assert len(scenario.source(scenario.clock).ids()) == 1


def large_is_large_and_lazy(scenario: Scenario, contract: Contract, context: LoadContext) -> None:
    """large lists 100,000 ascending ids without holding them in a list."""
    ids = scenario.source(scenario.clock).ids()
    assert len(ids) == 100_000
    assert not isinstance(ids, list | tuple)
    assert all(a < b for a, b in pairwise(sample(ids)))


def every_error_code(scenario: Scenario, contract: Contract, context: LoadContext) -> None:
    """all-error-codes shows every code of the catalogue, each class alone in some mailing, and errors as [N]."""
    found = mailings(scenario)
    assert set().union(*(m.errors for m in found)) == contract.error_codes
    classes = {entry.error_class for entry in contract.error_catalogue}
    for error_class in classes:
        alone = [m for m in found if m.errors and {contract.error_class(c) for c in m.errors} == {error_class}]
        assert alone, f"no mailing with only {error_class} codes"
    bodies = [view(m, contract, scenario) for m in found]
    assert any(isinstance(b["errors"], list) and len(b["errors"]) == 1 for b in bodies)


def every_map_empty(scenario: Scenario, contract: Contract, context: LoadContext) -> None:
    """php-empty-maps has a mailing whose four maps all arrive as [], and each map empty beside data."""
    bodies = [view(m, contract, scenario) for m in mailings(scenario)]
    assert any(all(b[section] == [] for section in MAP_SECTIONS) for b in bodies)
    assert any(b["common"]["delivered"] > 0 and b["open_time"] == b["errors"] == [] for b in bodies)


def poor_list_bounces(scenario: Scenario, contract: Contract, context: LoadContext) -> None:
    """poor-list bounces at least the poor profile's lowest hard-bounce rate everywhere, and has a bounce storm."""
    lowest = context.data.profiles.get("poor").hard_bounce[0]
    found = [m for m in mailings(scenario) if m.common.count]
    assert all(m.common.bounce / m.common.count >= lowest for m in found)
    assert any(m.common.bounce > m.common.delivered for m in found)


def high_engagement_opens(scenario: Scenario, contract: Contract, context: LoadContext) -> None:
    """high-engagement opens near its profile's rate, well above the default account."""

    def open_rate(found: list[Mailing]) -> float:
        return sum(m.common.opened for m in found) / sum(m.common.delivered for m in found)

    rate = open_rate(mailings(scenario))
    assert rate >= 0.75 * context.data.profiles.get("high_engagement").open_rate
    default = load_scenario_file(ROOT / "scenarios" / "default.yaml", context)
    assert rate > 1.5 * open_rate(mailings(default))


def in_progress_grows(scenario: Scenario, contract: Contract, context: LoadContext) -> None:
    """in-progress has a mailing whose opens grow as the clock advances, and one that appears later."""
    clock = scenario.clock
    assert clock is not None
    moments = [clock, clock + 2 * HOUR, clock + 8 * HOUR, None]
    sources = [scenario.source(now) for now in moments]
    growing = []
    for mailing_id in sources[0].ids():
        seen = [source.mailing(mailing_id) for source in sources]
        assert all(m is not None for m in seen)
        opened = [m.common.opened for m in seen if m is not None]
        first = seen[0]
        if first is not None and opened[0] < opened[1] < opened[2] <= opened[3]:
            growing.append(mailing_id)
            hours = as_map(view(first, contract, scenario)["open_time"])
            assert max(map(int, hours)) <= clock
    assert growing
    assert set(sources[0].ids()) < set(sources[2].ids())


def unicode_and_extremes(scenario: Scenario, contract: Contract, context: LoadContext) -> None:
    """unicode-and-extremes: a 500-character title with emoji and RTL text, 10 million and 0 recipients, huge ids."""
    found = mailings(scenario)
    titles = [m.letter_title for m in found]
    assert any(
        len(t) == 500
        and any(ord(c) > 0xFFFF for c in t)
        and any(unicodedata.bidirectional(c) in ("R", "AL") for c in t)
        for t in titles
    )
    assert "" in titles
    counts = {m.common.count for m in found}
    assert {10_000_000, 0} <= counts
    ids = [m.id for m in found]
    assert any(i >= 2**31 for i in ids)
    assert any(i > 2**53 for i in ids)


def auth_required(scenario: Scenario, contract: Contract, context: LoadContext) -> None:
    """auth-required accepts some keys, so requests without one are refused."""
    assert scenario.auth_keys


def slow_waits(scenario: Scenario, contract: Contract, context: LoadContext) -> None:
    """slow delays both endpoints, the index by at least a second."""
    assert set(scenario.latency) == {"index", "view"}
    assert scenario.latency["index"].fixed_ms >= 1000
    assert scenario.latency["view"].fixed_ms > 0


def flaky_fails(scenario: Scenario, contract: Contract, context: LoadContext) -> None:
    """flaky declares faults on both endpoints, of every kind, and forced faults for listed ids."""
    assert set(scenario.faults) == {"index", "view"}
    assert {fault.kind for faults in scenario.faults.values() for fault in faults} == set(FAULT_KINDS)
    listed = scenario.source(scenario.clock).ids()
    assert any(forced.fault and mailing_id in listed for mailing_id, forced in scenario.forced.items())


def unescaped_json(scenario: Scenario, contract: Contract, context: LoadContext) -> None:
    """unescaped-json sends raw UTF-8: the encoded index holds non-ASCII bytes, no \\u escapes."""
    source = scenario.source(scenario.clock)
    body = {"statistics": [{"id": i, "letter_title": source.title(i)} for i in source.ids()]}
    raw = encode(body, parse_flags(list(scenario.json_flags)))
    assert "JSON_UNESCAPED_UNICODE" in scenario.json_flags
    assert b"\\u" not in raw
    assert max(raw) > 0x7F


PROMISES: dict[str, Promise] = {
    "default": default_is_the_built_in_account,
    "empty": empty_has_no_mailings,
    "empty-200": empty_200_answers_200,
    "single": single_has_one,
    "large": large_is_large_and_lazy,
    "all-error-codes": every_error_code,
    "php-empty-maps": every_map_empty,
    "poor-list": poor_list_bounces,
    "high-engagement": high_engagement_opens,
    "in-progress": in_progress_grows,
    "unicode-and-extremes": unicode_and_extremes,
    "auth-required": auth_required,
    "slow": slow_waits,
    "flaky": flaky_fails,
    "unescaped-json": unescaped_json,
}


def test_every_scenario_has_a_promise() -> None:
    """Each shipped scenario is tested for what its name promises, and each promise has its file."""
    assert sorted(PROMISES) == SHIPPED


@pytest.mark.parametrize("name", sorted(PROMISES))
def test_shows_what_its_name_promises(
    library: ScenarioLibrary, contract: Contract, context: LoadContext, name: str
) -> None:
    """The scenario does what its name says (see each promise's docstring)."""
    PROMISES[name](library.get(name), contract, context)


def test_large_loads_without_generating(context: LoadContext, monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading large and listing its titles generates no mailing: the account is lazy."""

    def forbidden(*args: object, **kwargs: object) -> Mailing:
        raise AssertionError("a mailing was generated")

    monkeypatch.setattr("mockserver.model.account.generate_mailing", forbidden)
    monkeypatch.setattr("mockserver.scenario.judge.generate_mailing", forbidden)
    scenario = load_scenario_file(ROOT / "scenarios" / "large.yaml", context)
    source = scenario.source(scenario.clock)
    assert source.title(source.ids()[-1])


GUIDE = ROOT / "docs" / "scenarios.md"
EXAMPLES = re.findall(r"```yaml\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.DOTALL)


def test_the_guide_names_every_scenario() -> None:
    """docs/scenarios.md lists every shipped scenario."""
    guide = GUIDE.read_text(encoding="utf-8")
    assert [name for name in SHIPPED if f"`{name}`" not in guide] == []


@pytest.mark.parametrize("text", EXAMPLES, ids=[re.findall(r"name: (\S+)", t)[0] for t in EXAMPLES])
def test_the_guide_examples_load(tmp_path: Path, context: LoadContext, text: str) -> None:
    """Every YAML example of docs/scenarios.md is a complete scenario that loads (a forced 200 may warn)."""
    name = re.findall(r"^name: (\S+)$", text, flags=re.MULTILINE)[0]
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    scenario = load_scenario_file(path, context)
    assert [w for w in scenario.warnings if "view-no-unrequested-sections" not in w] == []
