"""Turns a plan (seed, mailing id, profile, send time) and a clock into a complete, consistent Mailing.

How the numbers relate (the model's own rules, beyond the contract's):
* count = delivered + bounce: every letter ends delivered or bounced (none is left pending);
* sum(errors) == bounce: each bounced letter has exactly one final error code, of the class of its
  bounce (hard, block, soft; some soft ones end as final, rarely one as unknown); a letter retried and
  then delivered leaves no code;
* opened counts unique openers, and sum(open_time) == opened: each opener is counted in the hour of
  their first open, within the 48 hours after the send;
* clicked counts clicks, one per clicking reader, and sum(click_statistic) == clicked;
* a mailing whose 48 hours are not over at `now` shows only what happened by then: open_time up to now,
  and opened, clicked, unsubs, spam scaled down; none of them ever decreases as now advances.
  Delivery and bounces are complete from the send on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from mockserver.model.domain.audience import split_audience
from mockserver.model.domain.bounces import Rates, outcomes
from mockserver.model.domain.data import ModelData
from mockserver.model.domain.draws import stream
from mockserver.model.domain.engagement import draw_engagement
from mockserver.model.domain.errorcodes import mailing_errors
from mockserver.model.domain.links import clicks_seen, draw_clicks
from mockserver.model.domain.opentime import hourly_opens, open_time, progress
from mockserver.model.domain.profiles import draw_recipients, draw_span
from mockserver.model.domain.titles import draw_title
from mockserver.model.mailing import Common, DomainCounts, Mailing


@dataclass(frozen=True)
class MailingPlan:
    """What decides a mailing: its seed, id, list profile, send time and sender; overrides for scenarios."""

    seed: int
    mailing_id: int
    profile: str
    sent_at: int
    sender_domain: str
    recipients: int | None = None  # None: drawn from the profile
    title: str | None = None  # None: drawn from (seed, mailing_id)


def letter_title(data: ModelData, seed: int, mailing_id: int) -> str:
    """Return the subject line of a mailing without generating its statistics."""
    return draw_title(data.titles, seed, mailing_id)[1]


def titled(data: ModelData, seed: int, mailing_ids: Iterable[int]) -> Iterator[tuple[int, str]]:
    """Yield (id, subject line) for each id: letter_title in a row (the index of a large account lists 100,000)."""
    titles = data.titles
    for mailing_id in mailing_ids:
        yield mailing_id, draw_title(titles, seed, mailing_id)[1]


def generate_mailing(plan: MailingPlan, data: ModelData, now: int | None = None) -> Mailing:
    """Generate the mailing of a plan as seen at now (None: long finished)."""
    seed, mailing_id = plan.seed, plan.mailing_id
    profile = data.profiles.get(plan.profile)
    theme, title = draw_title(data.titles, seed, mailing_id)
    rng = stream(seed, mailing_id, "audience")
    count = (
        plan.recipients if plan.recipients is not None else draw_recipients(rng, profile, data.profiles.max_recipients)
    )
    recipients = split_audience(rng, data.audience, seed, count, profile.typo)
    rng = stream(seed, mailing_id, "bounces")
    rates = Rates(*(draw_span(rng, span) for span in (profile.hard_bounce, profile.soft_bounce, profile.block)))
    domains = outcomes(rng, recipients, rates, data.kind_factors)
    errors = mailing_errors(stream(seed, mailing_id, "errors"), data.codes, domains)
    delivered = sum(d.delivered for d in domains)
    final = draw_engagement(stream(seed, mailing_id, "engagement"), profile, delivered)
    hours = open_time(
        hourly_opens(stream(seed, mailing_id, "opens"), data.opens, final.opened, plan.sent_at), plan.sent_at, now
    )
    share = progress(data.opens, plan.sent_at, now)
    campaign = f"{theme}_{dt.datetime.fromtimestamp(plan.sent_at, dt.UTC):%Y%m%d}"
    clicks = draw_clicks(
        stream(seed, mailing_id, "clicks"), data.links, plan.sender_domain, theme, campaign, final.clicked
    )
    clicks = clicks_seen(clicks, share)
    seen = final.seen(share)
    return Mailing(
        id=mailing_id,
        letter_title=plan.title if plan.title is not None else title,
        sent_at=plan.sent_at,
        common=Common(
            count=count,
            delivered=delivered,
            bounce=sum(d.bounce for d in domains),
            opened=sum(hours.values()),
            clicked=sum(clicks.values()),
            spam=seen.spam,
            unsubs=seen.unsubs,
        ),
        open_time=hours,
        click_statistic=clicks,
        # Largest first, then by name: the recipients' order (split_audience), which outcomes keeps, and
        # delivered + bounce is each domain's recipients.
        domain_statistic={d.domain: DomainCounts(d.delivered, d.bounce) for d in domains},
        errors=errors,
    )
