"""Judging what a scenario serves against openapi.yaml: pinned mailings and forced answers, at load time."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from contract.errors import RuleViolation
from contract.invariants import MAILING_RULES, BodyRule
from contract.php import PhpJsonError, encode
from contract.spec import Contract
from mockserver.errors import ScenarioError
from mockserver.model.domain.data import ModelData
from mockserver.model.generator import generate_mailing
from mockserver.scenario.schema import explain
from mockserver.scenario.source import overlay
from mockserver.scenario.spec import ForcedResponse, MailingsSpec, PinnedMailing
from mockserver.scenario.yamlfile import FieldPath, YamlDocument

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

__all__ = ["Verdict", "judge"]

VIEW = "viewSendStatistics"
# Rules a forced answer is judged by beside the body rules (their ids are the document's).
VIEW_ID_RULE = "view-id-is-path-id"
INDEX_DETAIL_RULE = "index-detail-agree"
FIELDS_RULE = "view-no-unrequested-sections"


@dataclass
class Verdict:
    """Errors (the scenario would break the contract) and warnings (it would break an inferred rule)."""

    errors: list[ScenarioError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class _Judge:
    def __init__(self, document: YamlDocument, contract: Contract, data: ModelData) -> None:
        self.document = document
        self.contract = contract
        self.data = data
        self.view_path = _path_of(contract, VIEW)
        self.verdict = Verdict()
        self.validators: dict[str, Validator] = {}
        self.seen: dict[tuple[FieldPath, str], Any] = {}

    def problem(self, where: FieldPath, message: str, rule_id: str | None = None) -> None:
        """Record an error, or a warning when the rule broken is an inferred one."""
        if rule_id is not None and self.contract.rule(rule_id).source != "seed":
            warning = self.document.error(where, f"breaks rule {rule_id} (inferred; a warning): {message}").headline()
            if warning not in self.verdict.warnings:
                self.verdict.warnings.append(warning)
            return
        text = f"breaks rule {rule_id} (seed): {message}" if rule_id else message
        error = self.document.error(where, text)
        if all(e.headline() != error.headline() for e in self.verdict.errors):
            self.verdict.errors.append(error)

    def wire(self, value: Any, where: FieldPath) -> Any | None:
        """Return value as the mock would send it (PHP json_encode, decoded), or None when PHP cannot encode it."""
        try:
            return json.loads(encode(value))
        except PhpJsonError as exc:
            self.problem(where, f"the mock cannot send this as PHP would: {exc}")
            return None

    def validate(self, key: str, value: Any, where: FieldPath, label: str) -> None:
        """Validate value with the document's schema at key (a status or a JSON pointer); report at where."""
        validator = self.validators.get(key)
        if validator is None:
            validator = self.contract.validator(key) if key.startswith("/") else self._response_validator(int(key))
            self.validators[key] = validator
        for error in validator.iter_errors(value):
            for path, message in explain(error):
                self.problem((*where, *path), f"{message} (openapi.yaml, {label})")

    def _response_validator(self, status: int) -> Validator:
        return self.contract.response_validator(self.view_path, status)

    def rules(self, body: Any, where: FieldPath, generated: Mapping[str, Any] | None = None) -> None:
        """Run the document's body rules on a view body: a broken seed rule is an error, an inferred one a warning.

        generated: the body before the literal sections were laid over it, to find the section to blame.
        """
        if not isinstance(body, Mapping):
            return
        for rule_id, rule in MAILING_RULES.items():
            try:
                rule(body)
            except RuleViolation as violation:
                self.problem((*where, *self.blame(rule, body, where, generated)), str(violation), rule_id)

    def blame(self, rule: BodyRule, body: Mapping[str, Any], where: FieldPath, generated: Any) -> FieldPath:
        """Return the literal section whose generated value would keep the rule (first in the file), if any."""
        if generated is None:
            return ()
        changed = [name for name in body if generated.get(name) != body[name]]
        literal = sorted(changed, key=lambda name: self.document.line((*where, name)))
        for name in literal:
            try:
                rule({**body, name: generated[name]})
            except RuleViolation:
                continue
            return (name,)
        return (literal[0],) if literal else ()

    def pinned(self, spec: MailingsSpec, clock: int | None) -> None:
        for index, entry in enumerate(self.document.data.get("mailings", {}).get("pinned", ())):
            where: FieldPath = ("mailings", "pinned", index)
            pinned = spec.pinned[entry["id"]]
            literal = [name for name in entry if name in self.contract.field_names and name != "id"]
            for now in dict.fromkeys((clock, None)):
                if now is None or pinned.plan.sent_at <= now:
                    self.mailing(pinned, now, where, literal)

    def mailing(self, pinned: PinnedMailing, now: int | None, where: FieldPath, literal: list[str]) -> None:
        """Judge a pinned mailing at now: its index entry, its literal sections, the body rules."""
        plain = generate_mailing(pinned.plan, self.data, now)
        mailing = overlay(plain, pinned.sections)
        summary = self.wire({"id": mailing.id, "letter_title": mailing.letter_title}, (*where, "letter_title"))
        if summary is not None and summary != self.seen.get((where, "summary")):
            self.seen[(where, "summary")] = summary
            self.validate(_schema("MailingSummary"), summary, where, "MailingSummary")
        body = self.wire({name: mailing.section(name) for name in self.contract.field_names}, where)
        if body is None:
            return
        # Generated sections keep the contract by construction (tests/mockserver/model/test_generator.py); what the file
        # wrote, and what it changed by merging, is validated here, once per distinct value.
        for name in literal:
            if body[name] != self.seen.get((where, name)):
                self.seen[(where, name)] = body[name]
                pointer = f"{_schema('MailingStatistics')}/properties/{name}"
                self.validate(pointer, body[name], (*where, name), "MailingStatistics")
        generated = self.wire({name: plain.section(name) for name in self.contract.field_names}, where)
        self.rules(body, where, generated)

    def forced(self, forced: Mapping[int, ForcedResponse], spec: MailingsSpec, listed: Any) -> None:
        statuses = self.contract.documented_statuses(self.view_path)
        for mailing_id, answer in forced.items():
            where: FieldPath = ("forced", str(mailing_id))
            if answer.fault:
                continue
            if answer.status not in statuses:
                shown = ", ".join(map(str, statuses))
                self.problem(
                    (*where, "status"),
                    f"expected a status the document gives the view ({shown}), got {answer.status}; "
                    "declare fault: true to break the contract on purpose",
                )
                continue
            if mailing_id in listed and answer.status != 200:
                self.problem(
                    (*where, "status"),
                    f"the index lists mailing {mailing_id}, so its view must answer 200, not {answer.status}; "
                    "declare fault: true to break the contract on purpose, or hide it with mailings.not_found",
                    INDEX_DETAIL_RULE,
                )
            if answer.status == 200:
                self.forced_ok(mailing_id, answer, where, spec)
            elif answer.body is not None:
                body = self.wire(answer.body, (*where, "body"))
                if body is not None:
                    self.validate(str(answer.status), body, (*where, "body"), f"the view's {answer.status}")

    def forced_ok(self, mailing_id: int, answer: ForcedResponse, where: FieldPath, spec: MailingsSpec) -> None:
        if mailing_id in spec.not_found:
            self.problem((*where, "status"), f"id {mailing_id} is in mailings.not_found: it cannot answer 200")
        if answer.body is None:
            self.problem(where, "a forced 200 needs a body (or leave the id out to serve its mailing)")
            return
        body = self.wire(answer.body, (*where, "body"))
        if body is None:
            return
        self.validate("200", body, (*where, "body"), "the view's 200")
        self.rules(body, (*where, "body"))
        if isinstance(body, Mapping) and "id" in body and body["id"] != mailing_id:
            self.problem(
                (*where, "body", "id"), f"the body's id is {body['id']!r}, the path's {mailing_id}", VIEW_ID_RULE
            )
        self.problem(
            where,
            "a forced 200 answers every `fields` alike; pin the mailing (mailings.pinned) to answer `fields`, "
            "or declare fault: true",
            FIELDS_RULE,
        )


def judge(
    document: YamlDocument,
    contract: Contract,
    data: ModelData,
    *,
    spec: MailingsSpec,
    clock: int | None,
    forced: Mapping[int, ForcedResponse],
    listed: Any,
) -> Verdict:
    """Judge the pinned mailings (at the clock and once finished) and the forced answers against the contract."""
    judge = _Judge(document, contract, data)
    judge.pinned(spec, clock)
    judge.forced(forced, spec, listed)
    judge.verdict.errors.sort(key=lambda e: (e.line or 0, e.field or ""))
    return judge.verdict


def _schema(name: str) -> str:
    """Return the JSON pointer of a component schema."""
    return f"/components/schemas/{name}"


def _path_of(contract: Contract, operation_id: str) -> str:
    for path, item in contract.document["paths"].items():
        if any(isinstance(op, Mapping) and op.get("operationId") == operation_id for op in item.values()):
            return str(path)
    raise KeyError(operation_id)
