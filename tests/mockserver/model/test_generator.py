"""Tests of mockserver.model.generator: every generated mailing keeps the contract's rules and the model's own."""

from __future__ import annotations

import hashlib
import statistics
import subprocess
import sys
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contract.invariants import MAILING_RULES, check_mailing
from contract.spec import Contract
from mockserver.model.domain.data import ModelData, load_model_data
from mockserver.model.generator import MailingPlan, generate_mailing, letter_title
from mockserver.model.mailing import Mailing

HOUR = 3600
SENT = 1_700_000_000 + 7 * 60  # 2023-11-14 22:20 UTC (01:20 in Moscow)
PROFILES = ("good", "average", "poor", "high_engagement", "empty")
FAST = settings(max_examples=60, deadline=None, database=None)


@pytest.fixture(scope="module")
def contract() -> Contract:
    """The shipped contract."""
    return Contract.load(validate=False)


@pytest.fixture(scope="module")
def data(contract: Contract) -> ModelData:
    """The shipped data files."""
    return load_model_data(contract)


def plan(seed: int, mailing_id: int, profile: str, sent_at: int = SENT, **overrides: Any) -> MailingPlan:
    """A plan with a fixed sender."""
    return MailingPlan(seed, mailing_id, profile, sent_at, "shop.example.ru", **overrides)


def json_body(mailing: Mailing, contract: Contract) -> dict[str, Any]:
    """Every section of a mailing as JSON would carry it: map keys as strings."""
    body: dict[str, Any] = {}
    for name in contract.field_names:
        value = mailing.section(name)
        body[name] = {str(key): item for key, item in value.items()} if isinstance(value, dict) else value
    return body


def php_body(body: Mapping[str, Any]) -> dict[str, Any]:
    """The body as PHP's json_encode prints it: an empty map or one keyed 0..n-1 becomes a list."""
    encoded: dict[str, Any] = {}
    for name, value in body.items():
        if isinstance(value, dict) and list(value) == [str(i) for i in range(len(value))]:
            value = list(value.values())
        encoded[name] = value
    return encoded


def rule_failures(body: Mapping[str, Any], *, skip: tuple[str, ...] = ()) -> list[str]:
    """Messages of the contract's mailing rules that the body breaks."""
    found = []
    for rule_id, rule in MAILING_RULES.items():
        if rule_id in skip:
            continue
        try:
            rule(body)
        except AssertionError as failure:
            found.append(str(failure))
    return found


plans = st.builds(
    plan,
    seed=st.integers(0, 10**6),
    mailing_id=st.integers(1, 10**7),
    profile=st.sampled_from(PROFILES),
    sent_at=st.integers(1_400_000_000, 1_800_000_000),
)
clocks = st.one_of(st.none(), st.integers(-2 * HOUR, 60 * HOUR))


@FAST
@given(mailing_plan=plans, offset=clocks)
def test_every_rule_holds_with_string_keys(
    data: ModelData, contract: Contract, mailing_plan: MailingPlan, offset: int | None
) -> None:
    """A mailing at any clock keeps every mailing rule of the contract but the PHP list quirk."""
    now = None if offset is None else mailing_plan.sent_at + offset
    body = json_body(generate_mailing(mailing_plan, data, now), contract)
    assert rule_failures(body, skip=("php-list-quirk",)) == []


@FAST
@given(mailing_plan=plans, offset=clocks)
def test_php_encoded_body_is_valid(
    data: ModelData, contract: Contract, mailing_plan: MailingPlan, offset: int | None
) -> None:
    """The PHP-encoded body of any mailing passes every rule and the MailingStatistics schema."""
    now = None if offset is None else mailing_plan.sent_at + offset
    body = php_body(json_body(generate_mailing(mailing_plan, data, now), contract))
    assert check_mailing(body) == []
    errors = [e.message for e in contract.component_validator("MailingStatistics").iter_errors(body)]
    assert errors == []


@FAST
@given(mailing_plan=plans, offset=clocks)
def test_model_sums_are_exact(data: ModelData, mailing_plan: MailingPlan, offset: int | None) -> None:
    """At any clock every letter is delivered or bounced, each bounce has one code, and the maps add up."""
    now = None if offset is None else mailing_plan.sent_at + offset
    mailing = generate_mailing(mailing_plan, data, now)
    common = mailing.common
    assert common.delivered + common.bounce == common.count
    assert sum(mailing.errors.values()) == common.bounce
    assert sum(mailing.open_time.values()) == common.opened
    assert sum(mailing.click_statistic.values()) == common.clicked
    assert all(n > 0 for n in (*mailing.errors.values(), *mailing.click_statistic.values()))


@FAST
@given(mailing_plan=plans)
def test_maps_keep_the_backend_order(data: ModelData, mailing_plan: MailingPlan) -> None:
    """open_time and errors ascend by key; click_statistic and domain_statistic descend by size."""
    mailing = generate_mailing(mailing_plan, data)
    assert list(mailing.open_time) == sorted(mailing.open_time)
    assert list(mailing.errors) == sorted(mailing.errors)
    clicks = list(mailing.click_statistic.values())
    assert clicks == sorted(clicks, reverse=True)
    sizes = [d.delivered + d.bounce for d in mailing.domain_statistic.values()]
    assert sizes == sorted(sizes, reverse=True)


@FAST
@given(mailing_plan=plans)
def test_open_time_starts_at_the_send_hour(data: ModelData, mailing_plan: MailingPlan) -> None:
    """open_time keys are whole hours from the send's hour to 47 hours after it."""
    first = mailing_plan.sent_at - mailing_plan.sent_at % HOUR
    keys = set(generate_mailing(mailing_plan, data).open_time)
    assert keys <= {first + h * HOUR for h in range(48)}


@FAST
@given(mailing_plan=plans, earlier=st.integers(-HOUR, 50 * HOUR), later=st.integers(0, 10 * HOUR))
def test_numbers_grow_as_the_clock_advances(
    data: ModelData, mailing_plan: MailingPlan, earlier: int, later: int
) -> None:
    """A later clock never shows fewer opens (per hour too), clicks, unsubscribes or complaints."""
    first = generate_mailing(mailing_plan, data, mailing_plan.sent_at + earlier)
    second = generate_mailing(mailing_plan, data, mailing_plan.sent_at + earlier + later)
    for name in ("opened", "clicked", "unsubs", "spam"):
        assert getattr(first.common, name) <= getattr(second.common, name)
    assert all(n <= second.open_time.get(hour, 0) for hour, n in first.open_time.items())


@FAST
@given(mailing_plan=plans, offset=st.integers(-HOUR, 48 * HOUR))
def test_no_opens_after_now(data: ModelData, mailing_plan: MailingPlan, offset: int) -> None:
    """A mailing in progress lists no hour after the clock."""
    now = mailing_plan.sent_at + offset
    assert all(hour <= now for hour in generate_mailing(mailing_plan, data, now).open_time)


@pytest.mark.parametrize("profile", ["good", "poor"])
def test_finished_after_two_days(data: ModelData, profile: str) -> None:
    """Two days after its send's hour a mailing is what it is when long finished."""
    mailing_plan = plan(3, 17, profile)
    finished = generate_mailing(mailing_plan, data)
    assert generate_mailing(mailing_plan, data, SENT - SENT % HOUR + 48 * HOUR) == finished
    assert generate_mailing(mailing_plan, data, SENT + 4 * 48 * HOUR) == finished


def test_in_progress_shows_less(data: ModelData) -> None:
    """Six hours after the send a big mailing shows some but not all of its opens."""
    mailing_plan = plan(3, 17, "good", recipients=50_000)
    finished = generate_mailing(mailing_plan, data)
    early = generate_mailing(mailing_plan, data, SENT + 6 * HOUR)
    assert 0 < early.common.opened < finished.common.opened
    assert early.common.delivered == finished.common.delivered


def test_before_the_send_nothing_is_opened(data: ModelData) -> None:
    """Seen before its send, a mailing has no opens, clicks, unsubscribes or complaints."""
    mailing = generate_mailing(plan(3, 17, "good", recipients=50_000), data, SENT - 1)
    assert (mailing.common.opened, mailing.common.clicked, mailing.common.unsubs, mailing.common.spam) == (0, 0, 0, 0)
    assert mailing.open_time == {}
    assert mailing.click_statistic == {}


@pytest.mark.parametrize("overrides", [{"recipients": 0}, {}], ids=["recipients-0", "empty-profile"])
def test_zero_recipients_empty_every_map(data: ModelData, overrides: dict[str, Any]) -> None:
    """A mailing with zero recipients has zero totals and every map empty."""
    mailing = generate_mailing(plan(5, 9, "empty" if not overrides else "good", **overrides), data)
    assert mailing.common.count == 0
    assert (mailing.open_time, mailing.click_statistic, mailing.domain_statistic, mailing.errors) == ({}, {}, {}, {})


def test_plan_overrides_title_and_recipients(data: ModelData) -> None:
    """A plan's title and recipients override the drawn ones."""
    mailing = generate_mailing(plan(5, 9, "good", recipients=1234, title="Привет"), data)
    assert (mailing.letter_title, mailing.common.count) == ("Привет", 1234)


def test_title_is_the_mailing_title(data: ModelData) -> None:
    """letter_title gives the same subject line as the generated mailing."""
    assert generate_mailing(plan(5, 9, "poor"), data).letter_title == letter_title(data, 5, 9)


def test_unknown_profile_is_a_config_error(data: ModelData) -> None:
    """A plan naming an unknown profile fails with ConfigError naming the known ones."""
    from mockserver.errors import ConfigError

    with pytest.raises(ConfigError, match="known: average"):
        generate_mailing(plan(5, 9, "excellent"), data)


# --- determinism ---------------------------------------------------------------------------------------

DETERMINISM_SCRIPT = """
import hashlib
from mockserver.model.domain.data import load_model_data
from mockserver.model.generator import MailingPlan, generate_mailing
data = load_model_data()
mailings = [generate_mailing(MailingPlan(11, i, p, 1_700_000_000 + i * 977, "shop.example.ru"), data, 1_700_200_000)
            for i in range(1, 30) for p in ("good", "poor")]
print(hashlib.sha256(repr(mailings).encode()).hexdigest())
"""


def test_same_plan_same_mailing_in_any_order(data: ModelData) -> None:
    """The same plan gives an equal mailing, whatever was generated before it."""
    plans_ = [plan(11, i, "average") for i in (5, 6, 7)]
    forward = [generate_mailing(p, data) for p in plans_]
    backward = [generate_mailing(p, data) for p in reversed(plans_)][::-1]
    assert forward == backward


def test_same_mailing_in_another_process(data: ModelData) -> None:
    """Another Python process generates byte-identical mailings (no hash() or shared state in play)."""
    here = [
        generate_mailing(MailingPlan(11, i, p, 1_700_000_000 + i * 977, "shop.example.ru"), data, 1_700_200_000)
        for i in range(1, 30)
        for p in ("good", "poor")
    ]
    env_seed = {"PYTHONHASHSEED": "12345"}
    done = subprocess.run(
        [sys.executable, "-c", DETERMINISM_SCRIPT], capture_output=True, text=True, check=True, env=env_seed
    )
    assert done.stdout.strip() == hashlib.sha256(repr(here).encode()).hexdigest()


# --- distributions -------------------------------------------------------------------------------------

SAMPLE = 500  # mailings per profile; 2,000 in all


@pytest.fixture(scope="module")
def sample(data: ModelData) -> dict[str, list[Mailing]]:
    """SAMPLE finished mailings per profile, sent at working hours over many days."""
    from mockserver.model.domain.schedule import send_time

    found: dict[str, list[Mailing]] = {}
    for profile in ("good", "average", "poor", "high_engagement"):
        found[profile] = []
        for i in range(1, SAMPLE + 1):
            sent_at = send_time(data.sending, 21, i, 1_700_000_000 + i * 3 * 86400, 1_700_000_000 + (i + 1) * 3 * 86400)
            found[profile].append(generate_mailing(MailingPlan(21, i, profile, sent_at, "shop.example.ru"), data))
    return found


def mean_of(mailings: list[Mailing], value: Callable[[Mailing], float], *, min_count: int = 1000) -> float:
    """The mean of a per-mailing value over the mailings with at least min_count recipients."""
    return statistics.fmean(value(m) for m in mailings if m.common.count >= min_count)


def class_rate(contract: Contract, classes: tuple[str, ...]) -> Callable[[Mailing], float]:
    """The share of a mailing's recipients that bounced with a code of the given classes."""

    def rate(mailing: Mailing) -> float:
        hits = sum(n for code, n in mailing.errors.items() if contract.error_class(code) in classes)
        return hits / mailing.common.count

    return rate


@pytest.mark.parametrize("profile", ["good", "average", "poor", "high_engagement"])
def test_bounce_rates_land_in_the_profile_span(
    data: ModelData, contract: Contract, sample: dict[str, list[Mailing]], profile: str
) -> None:
    """The mean hard and soft bounce rates of a profile lie within its documented spans."""
    spans = data.profiles.get(profile)
    hard = mean_of(sample[profile], class_rate(contract, ("hard",)))
    soft = mean_of(sample[profile], class_rate(contract, ("soft", "final", "unknown")))
    assert spans.hard_bounce[0] <= hard <= spans.hard_bounce[1]
    assert spans.soft_bounce[0] <= soft <= spans.soft_bounce[1]


@pytest.mark.parametrize(
    ("profile", "low", "high"),
    [("good", 0.001, 0.004), ("average", 0.004, 0.012), ("poor", 0.03, 0.15)],
)
def test_hard_bounce_benchmarks(
    contract: Contract, sample: dict[str, list[Mailing]], profile: str, low: float, high: float
) -> None:
    """Hard bounces average about 0.1-0.4 % (good), 0.4-1.2 % (average), 3-15 % (poor)."""
    assert low <= mean_of(sample[profile], class_rate(contract, ("hard",))) <= high


@pytest.mark.parametrize("profile", ["good", "average", "high_engagement"])
def test_delivery_is_at_least_95_percent(sample: dict[str, list[Mailing]], profile: str) -> None:
    """Every sizeable mailing of a decent list delivers at least 95 % of its letters."""
    assert min(m.common.delivered / m.common.count for m in sample[profile] if m.common.count >= 1000) >= 0.95


def test_poor_lists_deliver_less(sample: dict[str, list[Mailing]]) -> None:
    """Poor lists deliver below 95 % on average."""
    assert mean_of(sample["poor"], lambda m: m.common.delivered / m.common.count) < 0.95


@pytest.mark.parametrize(
    ("profile", "rate"), [("good", 0.25), ("average", 0.15), ("poor", 0.06), ("high_engagement", 0.4)]
)
def test_open_rates(sample: dict[str, list[Mailing]], profile: str, rate: float) -> None:
    """Unique opens average about 25 / 15 / 6 % of the delivered by list quality (40 % when engaged)."""
    assert mean_of(sample[profile], lambda m: m.common.opened / m.common.delivered) == pytest.approx(rate, rel=0.1)


@pytest.mark.parametrize("profile", ["good", "average"])
def test_clicks_per_opener(sample: dict[str, list[Mailing]], profile: str) -> None:
    """Clicks come to about 7 % of the openers."""
    value = mean_of(sample[profile], lambda m: m.common.clicked / m.common.opened, min_count=5000)
    assert 0.065 <= value <= 0.085


@pytest.mark.parametrize("profile", ["good", "average", "poor", "high_engagement"])
def test_unsubs_and_spam_rates(sample: dict[str, list[Mailing]], profile: str) -> None:
    """Unsubscribes stay within 0.1-1 % and complaints within 0.005-0.5 % of the delivered, on average."""
    assert 0.001 <= mean_of(sample[profile], lambda m: m.common.unsubs / m.common.delivered) <= 0.01
    assert 0.00005 <= mean_of(sample[profile], lambda m: m.common.spam / m.common.delivered) <= 0.005


@pytest.mark.parametrize(("domain", "share"), [("mail.ru", 0.33), ("yandex.ru", 0.2), ("gmail.com", 0.15)])
def test_domain_shares(sample: dict[str, list[Mailing]], domain: str, share: float) -> None:
    """mail.ru holds about a third of the recipients, yandex.ru a fifth, gmail.com 15 %."""

    def part(m: Mailing) -> float:
        counts = m.domain_statistic.get(domain)
        return 0.0 if counts is None else (counts.delivered + counts.bounce) / m.common.count

    assert mean_of(sample["average"], part) == pytest.approx(share, abs=0.02)


def test_corporate_long_tail(sample: dict[str, list[Mailing]]) -> None:
    """A sizeable mailing reaches dozens of company domains besides the public mail services."""
    assert statistics.median(len(m.domain_statistic) for m in sample["good"] if m.common.count >= 10_000) >= 30


@pytest.mark.parametrize(("hours", "share"), [(1, 0.2), (6, 0.5), (24, 0.75)])
def test_open_time_is_front_loaded(sample: dict[str, list[Mailing]], hours: int, share: float) -> None:
    """About 20 % of opens fall in the first hour, half by 6 h and three quarters by 24 h."""

    def by(m: Mailing) -> float:
        first = min(m.open_time)
        return sum(n for hour, n in m.open_time.items() if hour < first + hours * HOUR) / m.common.opened

    assert mean_of(sample["good"], by) == pytest.approx(share, abs=0.04)


def test_moscow_nights_are_quiet(data: ModelData) -> None:
    """Opens of a day-old mailing are fewer at 3:00 than at 10:00 Moscow time."""
    mailing = generate_mailing(plan(4, 4, "good", sent_at=1_700_035_200, recipients=200_000), data)  # 08:00 MSK
    night, morning = 1_700_035_200 + 19 * HOUR, 1_700_035_200 + 26 * HOUR  # 03:00 and 10:00 MSK
    assert mailing.open_time[night] * 3 < mailing.open_time[morning]


def test_recipients_are_long_tailed(sample: dict[str, list[Mailing]]) -> None:
    """The median mailing has thousands of recipients, and some have hundreds of thousands."""
    counts = [m.common.count for group in sample.values() for m in group]
    assert 1000 <= statistics.median(counts) <= 10_000
    assert max(counts) >= 100_000


def test_every_catalogue_code_occurs(contract: Contract, sample: dict[str, list[Mailing]]) -> None:
    """Over the sample, every code of the contract's catalogue occurs."""
    seen = {code for group in sample.values() for m in group for code in m.errors}
    assert seen == contract.error_codes


def test_links_are_on_the_sender_site(sample: dict[str, list[Mailing]]) -> None:
    """Letters have 2-8 links on the sender's site with the UTM tags; one or two take most clicks."""
    big = [m for m in sample["high_engagement"] if m.common.clicked >= 500]
    assert all(1 <= len(m.click_statistic) <= 8 for m in big)
    assert all(url.startswith("https://shop.example.ru/") for m in big for url in m.click_statistic)
    assert all("utm_source=estismail&utm_medium=email&utm_campaign=" in url for m in big for url in m.click_statistic)
    top_two = statistics.fmean(sum(sorted(m.click_statistic.values())[-2:]) / m.common.clicked for m in big)
    assert top_two >= 0.6
