"""Tests of mockserver.model.account: ids, titles and mailings of generated accounts, and the default account."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise

import pytest

from contract.invariants import check_mailing
from contract.spec import Contract
from mockserver.errors import ConfigError
from mockserver.model.account import DEFAULT_SENDS_UNTIL, Account, AccountConfig, default_account
from mockserver.model.domain.data import ModelData, load_model_data
from mockserver.model.mailing import Mailing, MailingSource
from tests.mockserver.model.test_generator import json_body, php_body

DAY = 86400
TWO_DAYS = 2 * DAY


@pytest.fixture(scope="module")
def contract() -> Contract:
    """The shipped contract."""
    return Contract.load(validate=False)


@pytest.fixture(scope="module")
def data(contract: Contract) -> ModelData:
    """The shipped data files."""
    return load_model_data(contract)


@pytest.fixture(scope="module")
def default(data: ModelData) -> Account:
    """The built-in account."""
    return default_account(data)


CONFIGS = {
    "contiguous": AccountConfig(seed=3, mailings=40),
    "gaps": AccountConfig(seed=4, mailings=40, first_id=1000, id_spacing=3),
    "clock-midway": AccountConfig(seed=5, mailings=40, id_spacing=2, now=DEFAULT_SENDS_UNTIL - 200 * DAY),
}


def test_account_is_a_mailing_source(default: Account) -> None:
    """An Account offers what the HTTP layer reads: ids, title, mailing."""
    source: MailingSource = default
    assert source.ids()


@pytest.mark.parametrize("config", CONFIGS.values(), ids=CONFIGS.keys())
def test_ids_ascend_strictly(data: ModelData, config: AccountConfig) -> None:
    """Listed ids are unique and ascending, from the first id on."""
    ids = list(Account(config, data).ids())
    assert all(a < b for a, b in pairwise(ids))
    assert ids[0] >= config.first_id


def test_gaps_between_ids(data: ModelData) -> None:
    """With a spacing above 1 the ids are not contiguous and the gaps vary."""
    ids = list(Account(CONFIGS["gaps"], data).ids())
    assert len({b - a for a, b in pairwise(ids)}) > 1


def test_huge_account_ids_are_lazy(data: ModelData) -> None:
    """A ten-million-mailing account lists ids on demand: no list is built, ends and lookups are at hand."""
    account = Account(AccountConfig(mailings=10_000_000, id_spacing=2, now=DEFAULT_SENDS_UNTIL + DAY), data)
    ids = account.ids()
    assert not isinstance(ids, list | tuple)
    assert len(ids) == 10_000_000
    assert ids[-1] in ids
    assert ids.index(ids[-1]) == len(ids) - 1
    assert ids[-2] < ids[-1]


def test_title_generates_no_mailing(default: Account, monkeypatch: pytest.MonkeyPatch) -> None:
    """Listing titles never generates a mailing's statistics."""

    def forbidden(*args: object, **kwargs: object) -> Mailing:
        raise AssertionError("title() generated a mailing")

    monkeypatch.setattr("mockserver.model.account.generate_mailing", forbidden)
    assert all(default.title(mailing_id) for mailing_id in default.ids())


def test_every_listed_id_has_its_mailing(default: Account) -> None:
    """Every listed id has a mailing with that id and the listed title."""
    for mailing_id in default.ids():
        mailing = default.mailing(mailing_id)
        assert mailing is not None
        assert (mailing.id, mailing.letter_title) == (mailing_id, default.title(mailing_id))


@pytest.mark.parametrize("position", ["zero", "negative", "before-first", "in-a-gap", "after-last"])
def test_unknown_id_has_no_mailing(data: ModelData, position: str) -> None:
    """An id the account does not list has no mailing and no title."""
    account = Account(CONFIGS["gaps"], data)
    ids = list(account.ids())
    gap = next(a + 1 for a, b in pairwise(ids) if b - a > 1)
    unknown = {"zero": 0, "negative": -5, "before-first": ids[0] - 1, "in-a-gap": gap, "after-last": ids[-1] + 1}
    assert account.mailing(unknown[position]) is None
    with pytest.raises(KeyError):
        account.title(unknown[position])


@pytest.mark.parametrize("config", CONFIGS.values(), ids=CONFIGS.keys())
def test_later_ids_are_sent_later(data: ModelData, config: AccountConfig) -> None:
    """Send times ascend with the ids and lie within the span before the end of sending."""
    account = Account(config, data)
    sent = [plan.sent_at for plan in map(account.plan, account.ids()) if plan is not None]
    assert all(a < b for a, b in pairwise(sent))
    assert config.sends_until - config.span_days * DAY <= sent[0]
    assert sent[-1] < config.sends_until


def test_clock_hides_unsent_mailings(data: ModelData) -> None:
    """Mailings sent after the clock are neither listed nor found; the earlier ones are."""
    config = CONFIGS["clock-midway"]
    now = config.now or 0
    every = Account(AccountConfig(seed=5, mailings=40, id_spacing=2), data)
    account = Account(config, data)
    listed = set(account.ids())
    for mailing_id in every.ids():
        plan = every.plan(mailing_id)
        assert plan is not None
        assert (mailing_id in listed) == (plan.sent_at <= now)
        assert (account.mailing(mailing_id) is None) == (plan.sent_at > now)
    assert 0 < len(listed) < 40


def test_clock_shows_a_mailing_in_progress(data: ModelData) -> None:
    """A clock hours after a send shows that mailing with fewer opens than when finished."""
    finished = Account(AccountConfig(seed=6, mailings=30), data)
    last = finished.ids()[-1]
    plan = finished.plan(last)
    assert plan is not None
    early = Account(AccountConfig(seed=6, mailings=30, now=plan.sent_at + 5 * 3600), data)
    assert early.ids()[-1] == last
    seen, done = early.mailing(last), finished.mailing(last)
    assert seen is not None
    assert done is not None
    assert seen.common.opened < done.common.opened


def test_profile_mix_is_honoured(data: ModelData) -> None:
    """An account whose mix names one profile draws every mailing from it."""
    account = Account(AccountConfig(seed=7, mailings=20, profile_mix={"poor": 1.0}), data)
    assert {plan.profile for plan in map(account.plan, account.ids()) if plan is not None} == {"poor"}


@pytest.mark.parametrize(
    "config",
    [
        AccountConfig(profile_mix={"excellent": 1.0}),
        AccountConfig(profile_mix={"good": 0.0}),
        AccountConfig(mailings=-1),
        AccountConfig(first_id=0),
        AccountConfig(id_spacing=0),
    ],
    ids=["unknown-profile", "zero-mix", "negative-count", "first-id-0", "spacing-0"],
)
def test_bad_config_is_a_config_error(data: ModelData, config: AccountConfig) -> None:
    """A config the account cannot serve fails with ConfigError."""
    with pytest.raises(ConfigError):
        Account(config, data)


def test_default_account_shape(default: Account) -> None:
    """The default account holds 50 mailings with gapped ids from 1, every one finished at its clock."""
    ids = default.ids()
    assert len(ids) == 50
    assert ids[0] in (1, 2)
    now = default.config.now
    assert now is not None
    assert all(plan is not None and plan.sent_at + TWO_DAYS <= now for plan in map(default.plan, ids))


def test_default_account_keeps_the_contract(default: Account, contract: Contract) -> None:
    """Every mailing of the default account, PHP-encoded, passes every rule of the contract."""
    for mailing_id in default.ids():
        mailing = default.mailing(mailing_id)
        assert mailing is not None
        assert check_mailing(php_body(json_body(mailing, contract))) == []


def test_default_account_is_reproducible(data: ModelData, default: Account) -> None:
    """Two default accounts give equal mailings."""
    other = default_account(data)
    assert [other.mailing(i) for i in other.ids()] == [default.mailing(i) for i in default.ids()]


def test_threads_get_the_same_mailings(default: Account) -> None:
    """Mailings generated concurrently by many threads equal those generated one by one."""
    ids = list(default.ids()) * 4
    with ThreadPoolExecutor(max_workers=8) as pool:
        concurrent = list(pool.map(default.mailing, ids))
    assert concurrent == [default.mailing(i) for i in ids]


def test_sender_domain_from_config(data: ModelData) -> None:
    """A configured sender domain is the site of every link."""
    account = Account(AccountConfig(seed=8, mailings=10, sender_domain="example-shop.ru"), data)
    mailings = [account.mailing(mailing_id) for mailing_id in account.ids()]
    urls = [url for mailing in mailings if mailing is not None for url in mailing.click_statistic]
    assert urls
    assert all(url.startswith("https://example-shop.ru/") for url in urls)
