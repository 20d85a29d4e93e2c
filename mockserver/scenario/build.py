"""Turning a schema-valid scenario document into a Scenario: times, profiles, mailings, behaviour."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from contract.spec import Contract
from mockserver.errors import ScenarioError
from mockserver.model.account import DEFAULT_SENDS_UNTIL, Account, AccountConfig
from mockserver.model.domain.data import ModelData
from mockserver.model.generator import MailingPlan
from mockserver.scenario.readers import read_faults, read_flags, read_forced, read_latency, read_time
from mockserver.scenario.schema import unknown_field
from mockserver.scenario.spec import Fault, ForcedResponse, Latency, MailingsSpec, PinnedMailing
from mockserver.scenario.yamlfile import FieldPath, YamlDocument

__all__ = ["PINNED_AGE", "Built", "build"]

DAY = 86400
# A pinned mailing with no send time of its own was sent this long before the clock: finished, recent.
PINNED_AGE = 3 * DAY
MAP_SECTIONS = ("open_time", "click_statistic", "domain_statistic", "errors")


@dataclass(frozen=True)
class Built:
    """What a document says, checked and typed, before the contract has judged what it serves."""

    name: str
    description: str
    seed: int
    clock: int | None
    mailings: MailingsSpec
    empty_index_status: int
    auth_keys: frozenset[str]
    latency: Mapping[str, Latency]
    faults: Mapping[str, tuple[Fault, ...]]
    forced: Mapping[int, ForcedResponse]
    json_flags: tuple[str, ...]


class _Builder:
    """Reads one document, gathering every problem instead of stopping at the first."""

    def __init__(self, document: YamlDocument, contract: Contract, data: ModelData) -> None:
        self.document = document
        self.contract = contract
        self.data = data
        self.problems: list[ScenarioError] = []

    def fail(self, where: FieldPath, message: str) -> None:
        self.problems.append(self.document.error(where, message))

    def build(self) -> Built:
        doc = self.document.data
        name = doc["name"]
        if name != self.document.path.stem:
            self.fail(("name",), f"expected the file's name without .yaml ({self.document.path.stem!r}), got {name!r}")
        seed = doc.get("seed", 1)
        clock = read_time(doc.get("now"), ("now",), self.fail)
        built = Built(
            name=name,
            description=doc["description"],
            seed=seed,
            clock=clock,
            mailings=self.mailings(
                doc.get("mailings") or {}, seed, clock, MappingProxyType(doc.get("json_objects", {}))
            ),
            empty_index_status=doc.get("empty_index_status", 204),
            auth_keys=frozenset(doc.get("auth_keys", ())),
            latency=MappingProxyType(read_latency(doc.get("latency", {}))),
            faults=MappingProxyType(read_faults(doc.get("faults", {}), self.fail)),
            forced=MappingProxyType(read_forced(doc.get("forced", {}), self.fail)),
            json_flags=read_flags(doc.get("json_flags", []), self.fail),
        )
        if self.problems:
            raise ScenarioError.first_of(self.problems)
        return built

    def mailings(
        self, raw: Mapping[str, Any], seed: int, clock: int | None, json_objects: Mapping[str, str]
    ) -> MailingsSpec:
        generate = raw.get("generate", {"count": 0})
        where: FieldPath = ("mailings", "generate")
        mix = generate.get("profiles")
        if mix is not None:
            for profile in mix:
                self.profile(profile, (*where, "profiles", profile))
            if sum(mix.values()) <= 0:
                self.fail((*where, "profiles"), "the weights add up to zero: give some profile a weight above 0")
            mix = {k: v for k, v in mix.items() if k in self.data.profiles.profiles}
        sends_until = read_time(generate.get("sends_until"), (*where, "sends_until"), self.fail)
        config = AccountConfig(
            seed=seed,
            mailings=generate["count"],
            first_id=generate.get("first_id", 1),
            id_spacing=generate.get("id_spacing", 1),
            profile_mix=mix if mix and sum(mix.values()) > 0 else None,
            sends_until=sends_until if sends_until is not None else clock or DEFAULT_SENDS_UNTIL,
            span_days=float(generate.get("span_days", 730.0)),
            sender_domain=generate.get("sender_domain"),
        )
        if config.mailings and config.sends_until - config.span_days * DAY < 0:
            self.fail((*where, "span_days"), "the sending period would start before 1970: shorten span_days")
        account = Account(config, self.data)
        not_found = frozenset(raw.get("not_found", ()))
        base = clock if clock is not None else config.sends_until
        pinned: dict[int, PinnedMailing] = {}
        first_at: dict[int, int] = {}
        for index, entry in enumerate(raw.get("pinned", ())):
            at: FieldPath = ("mailings", "pinned", index)
            mailing_id = entry["id"]
            if mailing_id in first_at:
                self.fail(
                    (*at, "id"), f"id {mailing_id} is pinned twice (first in mailings.pinned[{first_at[mailing_id]}])"
                )
            elif mailing_id in not_found:
                self.fail((*at, "id"), f"id {mailing_id} is also listed in mailings.not_found: pin it or hide it")
            first_at.setdefault(mailing_id, index)
            pinned[mailing_id] = self.pinned(entry, at, account, max(0, base - PINNED_AGE))
        return MailingsSpec(
            config=config, pinned=MappingProxyType(pinned), not_found=not_found, json_objects=json_objects
        )

    def profile(self, name: str, where: FieldPath) -> None:
        known = list(self.data.profiles.profiles)
        if name not in known:
            self.fail(where, unknown_field(name, known, "profile") + " (mockserver/data/profiles.yaml)")

    def pinned(self, entry: Mapping[str, Any], at: FieldPath, account: Account, default_sent: int) -> PinnedMailing:
        mailing_id = entry["id"]
        generated = account.plan(mailing_id)
        profile = entry.get("profile")
        if profile is not None:
            self.profile(profile, (*at, "profile"))
        sent_at = read_time(entry.get("sent_at"), (*at, "sent_at"), self.fail)
        plan = MailingPlan(
            seed=account.config.seed,
            mailing_id=mailing_id,
            profile=profile or (generated.profile if generated else account.profile(mailing_id)),
            sent_at=sent_at if sent_at is not None else generated.sent_at if generated else default_sent,
            sender_domain=account.sender_domain,
            recipients=entry.get("recipients"),
            title=entry.get("letter_title"),
        )
        return PinnedMailing(plan=plan, sections=MappingProxyType(self.sections(entry, at)))

    def sections(self, entry: Mapping[str, Any], at: FieldPath) -> dict[str, Any]:
        """Return the literal sections in model form: int keys for hours and codes, ascending."""
        sections: dict[str, Any] = {}
        if "common" in entry:
            known = list(self.contract.schema("CommonStatistics")["properties"])
            for key in entry["common"]:
                if key not in known:
                    self.fail((*at, "common", key), unknown_field(key, known))
            sections["common"] = {k: v for k, v in entry["common"].items() if k in known}
        for name in MAP_SECTIONS:
            value = entry.get(name)
            if value is None:
                continue
            if isinstance(value, list):  # [] or the list form of errors: codes 0, 1, ...
                value = dict(enumerate(value))
            if name in ("open_time", "errors"):
                value = dict(sorted((int(key), count) for key, count in value.items()))
            sections[name] = value
        return sections


def build(document: YamlDocument, contract: Contract, data: ModelData) -> Built:
    """Check what a schema-valid document says and type it; raise ScenarioError listing every problem."""
    return _Builder(document, contract, data).build()
