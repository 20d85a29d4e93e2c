"""One run of the suite: validate the document, send the suite's own requests, run schemathesis, judge all."""

from __future__ import annotations

import time

from contract.checks import CHECK_IDS, CheckContext, run_cross, run_exchange
from contract.checks.behaviour import CrossViolation
from contract.engine import Observed, run_engine
from contract.errors import RuleViolation
from contract.exchange import INDEX_PATH, Exchange
from contract.expect import index_is_complete
from contract.findings import FindingSet
from contract.plan import run_behaviour
from contract.progress import Progress
from contract.report.model import Report
from contract.settings import Settings
from contract.spec import Contract, default_document_path
from contract.transport import Transport

DISAGREE = "schemathesis and jsonschema read the document differently; the body's own finding is reported apart"


class Judge:
    """Runs the checks on each exchange as it arrives and keeps every exchange for the cross-request rules."""

    def __init__(self, ctx: CheckContext, findings: FindingSet, progress: Progress) -> None:
        self.ctx = ctx
        self.findings = findings
        self.progress = progress
        self.exchanges: list[Exchange] = []

    def exchange(self, exchange: Exchange) -> None:
        """Judge one exchange the suite sent."""
        self.observed(Observed(exchange))

    def observed(self, observed: Observed) -> None:
        """Judge one exchange and merge what schemathesis' own checks said about it."""
        exchange = observed.exchange
        self.progress.request()
        if not exchange.answered:
            self.findings.add(
                RuleViolation(
                    "no-answer",
                    f"{exchange.operation or 'a request'} got no answer",
                    f"Received: {exchange.error} for {exchange.describe()}. Documented: an answer within --timeout.",
                ),
                exchange,
                seen_by=exchange.source.split("/", 1)[0],
            )
            return
        self.exchanges.append(exchange)
        seen_by = exchange.source.split("/", 1)[0]
        violations = run_exchange(self.ctx, exchange)
        ours = {violation.rule_id for violation in violations}
        theirs = {failure.check_id for failure in observed.failures}
        for violation in violations:
            finding = self.findings.add(violation, exchange, seen_by="sendstat")
            if violation.rule_id in theirs:
                finding.seen_by.add(seen_by)
        for failure in observed.failures:
            if failure.check_id not in ours:
                violation = RuleViolation(
                    failure.check_id, f"schemathesis: {failure.title}", _one_line(failure.message)
                )
                self.findings.add(violation, exchange, seen_by=seen_by)
        if observed.schema_valid is not None and observed.schema_valid == ("response-schema" in ours):
            said = "accepts" if observed.schema_valid else "rejects"
            self.findings.add(
                RuleViolation(
                    "validator-agreement",
                    f"schemathesis {said} a {exchange.operation} {exchange.status} body that jsonschema does not",
                    f"Received: {exchange.body_text(120)!r}. Documented: one schema, one verdict.",
                    inferred=DISAGREE,
                ),
                exchange,
                seen_by=seen_by,
            )


def run(settings: Settings, progress: Progress | None = None) -> Report:
    """Run the whole suite against settings.base_url and return the report (exit code inside)."""
    progress = progress or Progress(enabled=False)
    started = time.monotonic()
    progress.stage(f"validating {settings.spec or 'openapi.yaml'}")
    contract = Contract.load(settings.spec)
    budget = settings.budget
    transport = Transport(settings)
    findings = FindingSet(contract, strict=settings.strict)
    try:
        progress.stage(f"probing {settings.base_url} (profile {settings.profile})")
        behaviour = run_behaviour(
            transport,
            contract.field_names,
            known_id=settings.known_id,
            max_listed=budget.max_listed,
            sample=budget.sample,
            on_sent=lambda _: None,
            index_complete=index_is_complete(contract.document, INDEX_PATH),
        )
    finally:
        transport.close()
    listed = behaviour.account.listed
    progress.stage(f"the index lists {len(listed)} mailing(s); {transport.sent} requests of the suite's own sent")
    judge = Judge(CheckContext(contract, behaviour.account), findings, progress)
    for exchange in behaviour.exchanges:
        judge.exchange(exchange)
    engine = run_engine(
        contract.document,
        settings,
        base_path=transport.base_path,
        on_observed=judge.observed,
        on_phase=lambda phase: progress.stage(f"schemathesis: {phase}"),
    )
    for violation in run_cross(judge.ctx, judge.exchanges):
        findings.add(violation, violation.example if isinstance(violation, CrossViolation) else None)
    progress.stage(f"done: {len(findings.errors)} error(s), {len(findings.warnings)} warning(s)")
    return Report(
        base_url=settings.base_url,
        profile=settings.profile,
        strict=settings.strict,
        seed=settings.seed,
        document=str(settings.spec or default_document_path()),
        findings=list(findings),
        notes=[*behaviour.notes, *engine.notes],
        requests={"sendstat": transport.sent, "schemathesis": engine.sent},
        duration=time.monotonic() - started,
        masked=frozenset(settings.headers),
        checks=CHECK_IDS,
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())
