"""Tests of mockserver.scenario.build: what a valid document becomes, defaults, times, and what it cannot say."""

from __future__ import annotations

from pathlib import Path

import pytest

from contract.spec import Contract
from mockserver.errors import ScenarioError
from mockserver.model.account import DEFAULT_SENDS_UNTIL, Account
from mockserver.scenario.build import PINNED_AGE
from mockserver.scenario.library import LoadContext, load_scenario_file
from mockserver.scenario.scenario import Scenario
from mockserver.scenario.schema import load_schema
from mockserver.scenario.spec import Fault, ForcedResponse, Latency
from tests.mockserver.scenario.test_yamlfile import write

HEAD = "name: t\ndescription: d\n"
CLOCK = 1733400000  # 2024-12-05 12:00 UTC


@pytest.fixture(scope="module")
def context() -> LoadContext:
    """The shipped contract, data files and schema."""
    return LoadContext.create(Contract.load(validate=False))


def load(tmp_path: Path, context: LoadContext, text: str) -> Scenario:
    """Load a scenario file t.yaml holding text."""
    return load_scenario_file(write(tmp_path, text), context)


def failure(tmp_path: Path, context: LoadContext, text: str) -> list[str]:
    """Every problem of a scenario that does not load, as `file:line: field: message`, the folder left out."""
    with pytest.raises(ScenarioError) as caught:
        load(tmp_path, context, text)
    return [p.headline().replace(f"{tmp_path}/", "") for p in caught.value.problems()]


def test_minimal_scenario_defaults(tmp_path: Path, context: LoadContext) -> None:
    """A name and a description make an empty account that behaves as the document's default server."""
    scenario = load(tmp_path, context, HEAD)
    assert (scenario.name, scenario.description, scenario.path) == ("t", "d", tmp_path / "t.yaml")
    assert (scenario.seed, scenario.clock, scenario.empty_index_status) == (1, None, 204)
    assert list(scenario.source(None).ids()) == []
    assert (scenario.auth_keys, scenario.json_flags) == (frozenset(), ())


def test_schema_defaults_are_the_built_defaults(tmp_path: Path, context: LoadContext) -> None:
    """Every `default` the schema documents is what the builder uses when the field is left out."""
    scenario = load(
        tmp_path,
        context,
        HEAD + "mailings: {generate: {count: 1}}\nlatency: {view: {fixed_ms: 1}}\n"
        "faults: {view: [{kind: timeout, rate: 0.1}]}\nforced: {999: {status: 404}}\n",
    )
    schema = load_schema()
    defs, top = schema["$defs"], schema["properties"]
    config = scenario.mailings.config
    assert scenario.seed == top["seed"]["default"]
    assert scenario.empty_index_status == top["empty_index_status"]["default"]
    assert config.first_id == defs["generate"]["properties"]["first_id"]["default"]
    assert config.id_spacing == defs["generate"]["properties"]["id_spacing"]["default"]
    assert config.span_days == defs["generate"]["properties"]["span_days"]["default"]
    assert scenario.latency["view"].jitter_ms == defs["latency"]["properties"]["jitter_ms"]["default"]
    assert scenario.faults["view"][0].hold_ms == defs["fault"]["properties"]["hold_ms"]["default"]
    assert scenario.forced[999].fault is defs["forced"]["properties"]["fault"]["default"]


@pytest.mark.parametrize(
    ("written", "seconds"),
    [
        ("1733400000", CLOCK),
        ("'1733400000'", CLOCK),
        ("2024-12-05T12:00:00Z", CLOCK),
        ("2024-12-05T12:00:00", CLOCK),
        ("2024-12-05T15:00:00+03:00", CLOCK),
        ("2024-12-05", CLOCK - 12 * 3600),
        ("2024-12-05 12:00", CLOCK),
        ("null", None),
    ],
)
def test_times_read_unix_or_iso_8601(tmp_path: Path, context: LoadContext, written: str, seconds: int | None) -> None:
    """The clock is unix seconds or ISO 8601, UTC unless an offset is given; null is no clock."""
    assert load(tmp_path, context, HEAD + f"now: {written}\n").clock == seconds


def test_everything_a_scenario_says_is_kept(tmp_path: Path, context: LoadContext) -> None:
    """Auth keys, latency, faults, forced answers, flags and the empty-index answer come through typed."""
    text = HEAD + (
        "empty_index_status: 200\nauth_keys: [k1, k2]\njson_flags: [json_unescaped_unicode]\n"
        "latency: {index: {fixed_ms: 10, jitter_ms: 5}}\n"
        "faults: {view: [{kind: 503, rate: 0.25}, {kind: timeout, rate: 0.1, hold_ms: 500}]}\n"
        "forced: {7: {status: 500, body: {message: boom}, fault: true}}\n"
    )
    scenario = load(tmp_path, context, text)
    assert scenario.empty_index_status == 200
    assert scenario.auth_keys == {"k1", "k2"}
    assert scenario.json_flags == ("JSON_UNESCAPED_UNICODE",)
    assert dict(scenario.latency) == {"index": Latency(10, 5)}
    assert dict(scenario.faults) == {"view": (Fault("503", 0.25), Fault("timeout", 0.1, 500))}
    assert dict(scenario.forced) == {7: ForcedResponse(500, {"message": "boom"}, fault=True)}


def test_generated_mailings_end_at_the_clock_by_default(tmp_path: Path, context: LoadContext) -> None:
    """Without sends_until the sending period ends at the clock; without a clock at the default end."""
    with_clock = load(tmp_path, context, HEAD + f"now: {CLOCK}\nmailings: {{generate: {{count: 3}}}}\n")
    without = load(tmp_path, context, HEAD + "mailings: {generate: {count: 3}}\n")
    assert with_clock.mailings.config.sends_until == CLOCK
    assert without.mailings.config.sends_until == DEFAULT_SENDS_UNTIL


def test_a_pinned_generated_id_keeps_its_profile_and_send_time(tmp_path: Path, context: LoadContext) -> None:
    """Pinning an id the account generates changes only what the entry says."""
    text = HEAD + "seed: 4\nmailings:\n  generate: {count: 5}\n  pinned:\n    - {id: 3, recipients: 77}\n"
    scenario = load(tmp_path, context, text)
    generated = load(tmp_path, context, HEAD + "seed: 4\nmailings: {generate: {count: 5}}\n")
    before = generated.source(None).mailing(3)
    after = scenario.source(None).mailing(3)
    assert before is not None
    assert after is not None
    assert after.common.count == 77
    assert (after.sent_at, after.letter_title) == (before.sent_at, before.letter_title)
    plan = Account(generated.mailings.config, context.data).plan(3)
    assert plan is not None
    assert scenario.mailings.pinned[3].plan.profile == plan.profile


def test_a_pinned_extra_id_is_sent_before_the_clock(tmp_path: Path, context: LoadContext) -> None:
    """A pinned id outside the generated ones is sent PINNED_AGE before the clock by default: finished."""
    scenario = load(tmp_path, context, HEAD + f"now: {CLOCK}\nmailings: {{pinned: [{{id: 50, profile: poor}}]}}\n")
    plan = scenario.mailings.pinned[50].plan
    assert (plan.sent_at, plan.profile) == (CLOCK - PINNED_AGE, "poor")
    assert list(scenario.source(CLOCK).ids()) == [50]


def test_literal_sections_are_read_in_model_form(tmp_path: Path, context: LoadContext) -> None:
    """Hours and codes become int keys in ascending order; the list form of errors is codes 0, 1, ...; [] is {}."""
    text = HEAD + (
        "mailings:\n  pinned:\n    - id: 9\n      profile: good\n      recipients: 1000\n"
        "      errors: [4, 2]\n      open_time: []\n      click_statistic: []\n"
    )
    sections = load(tmp_path, context, text).mailings.pinned[9].sections
    assert dict(sections) == {"errors": {0: 4, 1: 2}, "open_time": {}, "click_statistic": {}}


SEMANTIC = {
    "name-is-not-the-file": (
        "name: other\ndescription: d\n",
        ["t.yaml:1: name: expected the file's name without .yaml ('t'), got 'other'"],
    ),
    "now-not-iso": (
        HEAD + "now: next tuesday\n",
        [
            "t.yaml:3: now: expected a unix time in seconds or an ISO 8601 date-time such as 2024-12-05T12:00:00Z, "
            "got 'next tuesday'"
        ],
    ),
    "unknown-profile": (
        HEAD + "mailings:\n  generate:\n    count: 3\n    profiles: {good: 1, gold: 2}\n",
        [
            "t.yaml:6: mailings.generate.profiles.gold: unknown profile (did you mean 'good'?); expected one of: "
            "good, average, poor, high_engagement, empty (mockserver/data/profiles.yaml)"
        ],
    ),
    "weights-add-to-zero": (
        HEAD + "mailings:\n  generate:\n    count: 3\n    profiles: {good: 0}\n",
        ["t.yaml:6: mailings.generate.profiles: the weights add up to zero: give some profile a weight above 0"],
    ),
    "pinned-twice": (
        HEAD + "mailings:\n  pinned:\n    - {id: 5}\n    - {id: 5}\n",
        ["t.yaml:6: mailings.pinned[1].id: id 5 is pinned twice (first in mailings.pinned[0])"],
    ),
    "pinned-and-not-found": (
        HEAD + "mailings:\n  pinned:\n    - {id: 5}\n  not_found: [5]\n",
        ["t.yaml:5: mailings.pinned[0].id: id 5 is also listed in mailings.not_found: pin it or hide it"],
    ),
    "unknown-common-key": (
        HEAD + "mailings:\n  pinned:\n    - id: 5\n      common: {delivred: 3}\n",
        [
            "t.yaml:6: mailings.pinned[0].common.delivred: unknown field (did you mean 'delivered'?); expected one "
            "of: count, delivered, bounce, opened, clicked, spam, unsubs"
        ],
    ),
    "hold-for-a-drop": (
        HEAD + "faults:\n  view:\n    - {kind: drop, rate: 0.1, hold_ms: 10}\n",
        ["t.yaml:5: faults.view[0].hold_ms: hold_ms applies to kind timeout only, not drop"],
    ),
    "rates-above-one": (
        HEAD + "faults:\n  index:\n    - {kind: 500, rate: 0.7}\n    - {kind: drop, rate: 0.6}\n",
        ["t.yaml:4: faults.index: the rates add up to 1.3: expected at most 1 (a request meets one fault)"],
    ),
    "unknown-json-flag": (
        HEAD + "json_flags: [JSON_PRETTY_PRINT]\n",
        [
            "t.yaml:3: json_flags[0]: unknown json_encode flag 'JSON_PRETTY_PRINT' (known: JSON_UNESCAPED_SLASHES, "
            "JSON_UNESCAPED_UNICODE, JSON_UNESCAPED_LINE_TERMINATORS)"
        ],
    ),
    "forced-id-beyond-php": (
        HEAD + "forced:\n  9999999999999999999: {status: 404}\n",
        [
            "t.yaml:4: forced.9999999999999999999: expected a mailing id up to 9,223,372,036,854,775,807 "
            "(PHP's largest integer)"
        ],
    ),
    "sending-before-1970": (
        HEAD + "now: 86400\nmailings: {generate: {count: 3}}\n",
        ["t.yaml:4: mailings.generate.span_days: the sending period would start before 1970: shorten span_days"],
    ),
    "every-problem-in-line-order": (
        "name: x\ndescription: d\nnow: later\njson_flags: [NOPE]\n",
        [
            "t.yaml:1: name: expected the file's name without .yaml ('t'), got 'x'",
            "t.yaml:3: now: expected a unix time in seconds or an ISO 8601 date-time such as 2024-12-05T12:00:00Z, "
            "got 'later'",
            "t.yaml:4: json_flags[0]: unknown json_encode flag 'NOPE' (known: JSON_UNESCAPED_SLASHES, "
            "JSON_UNESCAPED_UNICODE, JSON_UNESCAPED_LINE_TERMINATORS)",
        ],
    ),
}


@pytest.mark.parametrize(("text", "expected"), SEMANTIC.values(), ids=SEMANTIC.keys())
def test_what_a_scenario_cannot_say(tmp_path: Path, context: LoadContext, text: str, expected: list[str]) -> None:
    """Problems beyond the schema name the file, the line, the field and what was expected."""
    assert failure(tmp_path, context, text) == expected
