"""Tests of mockserver.scenario.source: merged lazy ids, pinned mailings over generated ones, 404 ids."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import pytest

from mockserver.model.account import DEFAULT_SENDS_UNTIL, Account, AccountConfig
from mockserver.model.domain.data import ModelData, load_model_data
from mockserver.model.domain.schedule import MailingIds
from mockserver.model.generator import MailingPlan, generate_mailing
from mockserver.model.mailing import Common
from mockserver.scenario.source import MergedIds, ScenarioSource, overlay
from mockserver.scenario.spec import MailingsSpec, PinnedMailing

DAY = 86400
CONFIG = AccountConfig(seed=4, mailings=12, first_id=10, id_spacing=3)


@pytest.fixture(scope="module")
def data() -> ModelData:
    """The shipped data files."""
    return load_model_data()


@pytest.fixture(scope="module")
def account(data: ModelData) -> Account:
    """Twelve generated mailings with gapped ids, every one sent."""
    return Account(CONFIG, data)


def pin(account: Account, mailing_id: int, sent_at: int | None = None, **sections: Any) -> PinnedMailing:
    """A pinned mailing of the account's seed and sender, good profile."""
    plan = MailingPlan(
        account.config.seed, mailing_id, "good", sent_at or DEFAULT_SENDS_UNTIL - DAY, account.sender_domain
    )
    return PinnedMailing(plan=plan, sections=sections)


MERGES = {
    "base-only": ([], []),
    "hidden": ([3, 7], []),
    "extra-before-between-after": ([], [0, 4, 5, 99]),
    "extra-already-in-base": ([], [2, 6]),
    "extra-wins-over-hidden": ([2, 4], [2, 11]),
    "hidden-not-in-base": ([5, 100], [1]),
    "everything-hidden": ([1, 2, 3, 4, 5, 6, 7, 8], []),
}


@pytest.mark.parametrize(("hidden", "extra"), MERGES.values(), ids=MERGES.keys())
def test_merged_ids_are_base_minus_hidden_plus_extra(hidden: list[int], extra: list[int]) -> None:
    """MergedIds behaves as the sorted list (base - hidden) | extra: length, items, slices, membership."""
    base = [1, 2, 3, 4, 6, 7, 8]
    expected = sorted((set(base) - (set(hidden) - set(extra))) | set(extra))
    merged = MergedIds(base, hidden=hidden, extra=extra)
    assert list(merged) == expected
    assert len(merged) == len(expected)
    assert [merged[i] for i in range(len(merged))] == expected
    assert [merged[-i] for i in range(1, len(merged) + 1)] == [expected[-i] for i in range(1, len(expected) + 1)]
    assert merged[1:-1:2] == expected[1:-1:2]
    assert all((value in merged) == (value in expected) for value in range(-1, 102))


@pytest.mark.parametrize("index", [7, -8, 100])
def test_merged_ids_index_out_of_range(index: int) -> None:
    """An index beyond either end raises IndexError."""
    merged = MergedIds([1, 2, 3, 4, 5, 6], hidden=[2], extra=[9, 10])
    with pytest.raises(IndexError):
        merged[index]


def test_merged_ids_stay_lazy_over_a_huge_base() -> None:
    """Over ten million lazy ids, length, ends and lookups come without building a list."""
    base = MailingIds(seed=1, first=1, spacing=2, length=10_000_000)
    merged = MergedIds(base, hidden=[base[5], base[-1]], extra=[base[-1] + 5, 0])
    assert len(merged) == 10_000_000
    assert merged[0] == 0
    assert merged[-1] == base[-1] + 5
    assert merged[-2] == base[-2]
    assert merged[6] == base[6]
    assert base[5] not in merged


def source(
    account: Account,
    data: ModelData,
    now: int | None = None,
    *,
    pinned: Mapping[int, PinnedMailing] | None = None,
    not_found: frozenset[int] = frozenset(),
) -> ScenarioSource:
    """A source over the account's config with the given pinned mailings and 404 ids."""
    return ScenarioSource(MailingsSpec(config=account.config, pinned=pinned or {}, not_found=not_found), data, now)


def test_without_pins_the_source_is_the_account(account: Account, data: ModelData) -> None:
    """With nothing pinned or hidden, ids, titles and mailings are the generated account's."""
    plain = source(account, data)
    assert list(plain.ids()) == list(account.ids())
    assert [plain.title(i) for i in plain.ids()] == [account.title(i) for i in account.ids()]
    assert [plain.mailing(i) for i in plain.ids()] == [account.mailing(i) for i in account.ids()]


def test_not_found_ids_are_neither_listed_nor_found(account: Account, data: ModelData) -> None:
    """An id under not_found leaves the index, answers no mailing and has no title."""
    gone = account.ids()[3]
    hidden = source(account, data, not_found=frozenset({gone}))
    assert gone not in list(hidden.ids())
    assert len(hidden.ids()) == len(account.ids()) - 1
    assert hidden.mailing(gone) is None
    with pytest.raises(KeyError):
        hidden.title(gone)


def test_a_pinned_id_replaces_the_generated_mailing(account: Account, data: ModelData) -> None:
    """A pinned id that the account generates keeps its place and serves the pinned plan."""
    mailing_id = account.ids()[2]
    pinned = pin(account, mailing_id)
    merged = source(account, data, pinned={mailing_id: pinned})
    assert list(merged.ids()) == list(account.ids())
    assert merged.mailing(mailing_id) == generate_mailing(pinned.plan, data)


def test_a_pinned_extra_id_is_listed_in_order(account: Account, data: ModelData) -> None:
    """A pinned id outside the generated ones joins the index in ascending order, with its title."""
    extra = account.ids()[-1] + 1000
    pinned = dataclasses.replace(pin(account, extra), plan=dataclasses.replace(pin(account, extra).plan, title="Т"))
    merged = source(account, data, pinned={extra: pinned, 1: pin(account, 1)})
    assert list(merged.ids()) == [1, *account.ids(), extra]
    assert merged.title(extra) == "Т"
    assert merged.title(1) == generate_mailing(pin(account, 1).plan, data).letter_title


def test_a_pinned_mailing_sent_after_the_clock_does_not_exist_yet(account: Account, data: ModelData) -> None:
    """A pinned mailing whose send time is after the clock is neither listed nor found; later it is."""
    sent = DEFAULT_SENDS_UNTIL + DAY
    pinned = {5000: pin(account, 5000, sent_at=sent)}
    before, after = source(account, data, sent - 1, pinned=pinned), source(account, data, sent + 3600, pinned=pinned)
    assert 5000 not in before.ids()
    assert before.mailing(5000) is None
    assert 5000 in after.ids()
    assert after.mailing(5000) is not None


def test_overlay_merges_common_key_by_key_and_replaces_maps(account: Account, data: ModelData) -> None:
    """Literal common keys override only themselves; a literal map replaces the generated map whole."""
    mailing = generate_mailing(pin(account, 77).plan, data)
    laid = overlay(mailing, {"common": {"spam": 0}, "errors": {0: 7}, "domain_statistic": {}})
    assert laid.common == dataclasses.replace(mailing.common, spam=0)
    assert laid.errors == {0: 7}
    assert laid.domain_statistic == {}
    assert (laid.open_time, laid.click_statistic) == (mailing.open_time, mailing.click_statistic)


def test_overlay_without_sections_is_the_mailing(account: Account, data: ModelData) -> None:
    """No literal sections: the generated mailing itself."""
    mailing = generate_mailing(pin(account, 78).plan, data)
    assert overlay(mailing, {}) is mailing


def test_pinned_literal_sections_are_served(account: Account, data: ModelData) -> None:
    """A pinned mailing with literal sections serves them over its generated statistics."""
    pinned = pin(account, 900, common={"count": 3, "delivered": 2, "bounce": 1}, errors={6: 1})
    mailing = source(account, data, pinned={900: pinned}).mailing(900)
    assert mailing is not None
    assert (mailing.common.count, mailing.common.delivered, mailing.common.bounce) == (3, 2, 1)
    assert isinstance(mailing.common, Common)
    assert mailing.errors == {6: 1}
