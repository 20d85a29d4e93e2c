"""An account of generated mailings: a plain config, lazy ids, cheap titles, mailings on demand."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from mockserver.errors import ConfigError
from mockserver.model.domain.data import ModelData, load_model_data
from mockserver.model.domain.draws import HashDraws, cumulative
from mockserver.model.domain.links import sender_domain
from mockserver.model.domain.schedule import DAY, MailingIds, send_time
from mockserver.model.generator import MailingPlan, generate_mailing, letter_title
from mockserver.model.mailing import Mailing

# 2024-12-02 00:00 UTC: the end of the default account's sending period.
DEFAULT_SENDS_UNTIL = 1733097600


@dataclass(frozen=True)
class AccountConfig:
    """What an account holds: seed, how many mailings with which ids, their profiles, and its clock."""

    seed: int = 1
    mailings: int = 50
    first_id: int = 1
    id_spacing: int = 1  # > 1: ids step by 1 to 2 * spacing - 1 (deterministic gaps)
    profile_mix: Mapping[str, float] | None = None  # None: default_mix of data/profiles.yaml
    sends_until: int = DEFAULT_SENDS_UNTIL  # the sends spread evenly over span_days before this time
    span_days: float = 730.0
    now: int | None = None  # the account's clock; None: every mailing sent and finished
    sender_domain: str | None = None  # the site the letters link to; None: drawn from the seed


class Account:
    """The mailings of one account, as a MailingSource: immutable, so safe to share between threads.

    A mailing whose send time is after `now` does not exist yet: it is neither listed nor found.
    """

    def __init__(self, config: AccountConfig, data: ModelData | None = None) -> None:
        if config.mailings < 0 or config.span_days < 0:
            raise ConfigError(f"an account needs mailings >= 0 and span_days >= 0, got {config}")
        self.config = config
        self.data = data or load_model_data()
        mix = config.profile_mix if config.profile_mix is not None else self.data.profiles.default_mix
        self.data.profiles.check_mix(mix, "profile_mix")
        self._profiles = tuple(mix)
        self._profile_weights = cumulative(tuple(mix.values()))
        self._span = round(config.span_days * DAY)
        self.sender_domain = config.sender_domain or sender_domain(
            self.data.links, self.data.audience.words, config.seed
        )
        every = MailingIds(config.seed, config.first_id, config.id_spacing, config.mailings)
        self._ids = MailingIds(config.seed, config.first_id, config.id_spacing, self._sent_by_now(every))

    def ids(self) -> Sequence[int]:
        """Return the ids of the mailings sent by now, ascending (computed on demand, not stored)."""
        return self._ids

    def title(self, mailing_id: int) -> str:
        """Return the subject line of a listed mailing without generating it; KeyError for other ids."""
        if self._ids.position(mailing_id) is None:
            raise KeyError(mailing_id)
        return letter_title(self.data, self.config.seed, mailing_id)

    def plan(self, mailing_id: int) -> MailingPlan | None:
        """Return what decides a listed mailing (profile, send time, sender), or None for other ids."""
        index = self._ids.position(mailing_id)
        if index is None:
            return None
        return MailingPlan(
            seed=self.config.seed,
            mailing_id=mailing_id,
            profile=self.profile(mailing_id),
            sent_at=self.sent_at(index),
            sender_domain=self.sender_domain,
        )

    def profile(self, mailing_id: int) -> str:
        """Return the profile any id draws from the account's mix, listed or not (scenarios pin extra ids)."""
        draws = HashDraws(self.config.seed, mailing_id, "profile")
        return self._profiles[draws.weighted(self._profile_weights)]

    def mailing(self, mailing_id: int) -> Mailing | None:
        """Return the whole mailing as seen at the account's clock, or None when the id has none."""
        plan = self.plan(mailing_id)
        return None if plan is None else generate_mailing(plan, self.data, self.config.now)

    def sent_at(self, index: int) -> int:
        """Return the send time of mailing number index: inside its own slot, so later ids send later."""
        count, start = max(1, self.config.mailings), self.config.sends_until - self._span
        slot_start, slot_end = start + index * self._span // count, start + (index + 1) * self._span // count
        return send_time(self.data.sending, self.config.seed, index, slot_start, max(slot_end, slot_start + 1))

    def _sent_by_now(self, every: MailingIds) -> int:
        """Return how many mailings were sent by now (send times ascend, so a bisection finds it)."""
        now = self.config.now
        if now is None:
            return len(every)
        return bisect_right(range(len(every)), now, key=self.sent_at)


def default_account(data: ModelData | None = None) -> Account:
    """Return the built-in account: seed 1, 50 mailings over two years, every one finished by its clock."""
    return Account(
        AccountConfig(seed=1, mailings=50, first_id=1, id_spacing=2, now=DEFAULT_SENDS_UNTIL + 3 * DAY),
        data,
    )
