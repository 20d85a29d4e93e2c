"""One run of the suite: validate the document, send the suite's own requests, run schemathesis, judge all.

The run has a hard wall-clock budget (contract/budget.py): the suite's own requests may use half of it when
schemathesis runs after them, schemathesis the rest; when it runs out nothing more is sent and the report
says what was not.
"""

from __future__ import annotations

import hashlib

from contract.bounded import size_text
from contract.budget import Clock
from contract.checks import CHECK_IDS, CheckContext, run_cross, run_exchange
from contract.checks.cross import CrossViolation
from contract.engine import EngineResult, Observed, run_engine
from contract.errors import RuleViolation
from contract.exchange import INDEX_PATH, Exchange
from contract.expect import index_is_complete
from contract.findings import FindingSet
from contract.latency import latencies, slow_operations
from contract.plan import Behaviour, run_behaviour
from contract.progress import Progress
from contract.report.model import Report
from contract.settings import OWN_SHARE, Settings
from contract.spec import Contract, default_document_path
from contract.text import one_line, printable
from contract.transport import Transport

# View bodies kept for the rules across requests (a view of the real service is a few KB).
KEPT_BODIES = 64 * 1024 * 1024
# Answers from this size on are judged once per distinct answer (see Judge._verdict).
MEMO_FROM = 256 * 1024
DISAGREE = "schemathesis and jsonschema read the document differently; the body's own finding is reported apart"
BUDGET_WHY = (
    "A CI job needs a verdict in bounded time, so a run stops at its budget (--budget); what was not sent was "
    "not judged, which the document cannot vouch for either way."
)


class Judge:
    """Runs the checks on each exchange as it arrives and keeps what the cross-request rules and latency need.

    Those read the views' bodies only (contract/checks/cross.py); every other exchange is kept without its
    body and headers, and view bodies only up to KEPT_BODIES bytes in all, so that a run's memory does not grow
    with the size of the answers (the large scenario's index is 29 MB, a hostile server's up to --max-body).
    """

    def __init__(self, ctx: CheckContext, findings: FindingSet, progress: Progress) -> None:
        self.ctx = ctx
        self.findings = findings
        self.progress = progress
        self.exchanges: list[Exchange] = []
        self.kept_bytes = 0
        self.notes: list[str] = []
        self._verdicts: dict[tuple[object, ...], list[RuleViolation]] = {}

    def exchange(self, exchange: Exchange) -> None:
        """Judge one exchange the suite sent."""
        self.observed(Observed(exchange))

    def observed(self, observed: Observed) -> None:
        """Judge one exchange and merge what schemathesis' own checks said about it."""
        exchange = observed.exchange
        self.progress.request()
        seen_by = exchange.source.split("/", 1)[0]
        if not exchange.answered:
            self.findings.add(_unanswered(exchange), exchange, seen_by=seen_by)
            return
        self._keep(exchange)
        violations = self._verdict(exchange)
        ours = {violation.rule_id for violation in violations}
        theirs = {failure.check_id for failure in observed.failures}
        for violation in violations:
            finding = self.findings.add(violation, exchange, seen_by="sendstat")
            if violation.rule_id in theirs:
                finding.seen_by.add(seen_by)
        for failure in observed.failures:
            if failure.check_id not in ours:
                violation = RuleViolation(
                    failure.check_id, f"schemathesis: {failure.title}", one_line(failure.message, 600)
                )
                self.findings.add(violation, exchange, seen_by=seen_by)
        if observed.schema_valid is not None and observed.schema_valid == ("response-schema" in ours):
            said = "accepts" if observed.schema_valid else "rejects"
            self.findings.add(
                RuleViolation(
                    "validator-agreement",
                    f"schemathesis {said} a {exchange.operation} {exchange.status} body that jsonschema does not",
                    f"Received: '{exchange.body_text(120)}'. Documented: one schema, one verdict.",
                    inferred=DISAGREE,
                ),
                exchange,
                seen_by=seen_by,
            )

    def _verdict(self, exchange: Exchange) -> list[RuleViolation]:
        """The per-exchange checks' violations, computed once for answers that cannot differ in them.

        Validating the large scenario's 29 MB index takes seconds; schemathesis asks for it again and again
        with query values the index ignores. The key holds all the checks read of an answer: the operation,
        for a view its path and query, the status, media type, whether the key was sent, and the body.
        """
        if len(exchange.body) < MEMO_FROM:
            return run_exchange(self.ctx, exchange)
        where = exchange.url if exchange.operation == "view" else exchange.operation
        digest = hashlib.blake2b(exchange.body, digest_size=16).digest()
        key = (where, exchange.status, exchange.headers.get("content-type"), exchange.authenticated, digest)
        if key not in self._verdicts:
            self._verdicts[key] = run_exchange(self.ctx, exchange)
        return self._verdicts[key]

    def _keep(self, exchange: Exchange) -> None:
        """Keep the exchange for the cross-request rules: a view's body while within KEPT_BODIES."""
        keep_body = exchange.operation == "view" and self.kept_bytes + len(exchange.body) <= KEPT_BODIES
        if keep_body:
            self.kept_bytes += len(exchange.body)
        elif exchange.operation == "view" and not self.notes:
            self.notes.append(
                f"The views' bodies passed {KEPT_BODIES // (1024 * 1024)} MiB in all: the rules across requests "
                "(index-detail-agree, deterministic-answers) did not read the bodies of the later ones."
            )
        self.exchanges.append(exchange.slim(keep_body=keep_body))


def run(settings: Settings, progress: Progress | None = None) -> Report:
    """Run the whole suite against settings.base_url and return the report (exit code inside)."""
    progress = progress or Progress(enabled=False)
    budget = settings.budget
    clock = Clock(budget.max_time)
    progress.stage(f"validating {settings.spec or 'openapi.yaml'}")
    contract = Contract.load(settings.spec)
    transport = Transport(settings, clock.share(OWN_SHARE) if budget.phases else clock)
    findings = FindingSet(contract, strict=settings.strict)
    try:
        progress.stage(f"probing {settings.base_url} (profile {settings.profile}, budget {budget.max_time:g} s)")
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
    behaviour.exchanges.clear()  # the judge keeps what it needs; an index body can be tens of MB
    engine = _engine(contract, settings, clock, transport.base_path, behaviour, judge, progress)
    progress.stage(f"schemathesis done: {engine.sent} requests")
    for violation in run_cross(judge.ctx, judge.exchanges):
        findings.add(violation, violation.example if isinstance(violation, CrossViolation) else None)
    figures = latencies(judge.exchanges)
    for violation in slow_operations(figures, budget.max_latency):
        findings.add(violation, None)
    cut = _cut(settings, clock, transport, behaviour, engine)
    if cut is not None:
        findings.add(cut, None)
    progress.stage(f"done: {len(findings.errors)} error(s), {len(findings.warnings)} warning(s)")
    return Report(
        base_url=settings.base_url,
        profile=settings.profile,
        strict=settings.strict,
        seed=settings.seed,
        document=str(settings.spec or default_document_path()),
        findings=list(findings),
        notes=[printable(note, 600) for note in dict.fromkeys([*behaviour.notes, *engine.notes, *judge.notes])],
        requests={"sendstat": transport.sent, "schemathesis": engine.sent},
        duration=clock.elapsed(),
        masked=frozenset(settings.headers),
        checks=CHECK_IDS,
        latency=figures,
        max_latency=budget.max_latency,
        budget=budget.max_time,
        max_body=size_text(budget.max_body),
    )


def _engine(
    contract: Contract,
    settings: Settings,
    clock: Clock,
    base_path: str,
    behaviour: Behaviour,
    judge: Judge,
    progress: Progress,
) -> EngineResult:
    """Run schemathesis, unless the server stopped answering, the budget is spent, or the profile has no phase."""
    if not settings.budget.phases:
        return EngineResult()
    if behaviour.gave_up:
        return EngineResult(notes=["schemathesis was not run: the server had stopped answering."])
    if clock.exhausted:
        return EngineResult(cut=True)
    return run_engine(
        contract.document,
        settings,
        clock,
        base_path=base_path,
        on_observed=judge.observed,
        on_phase=lambda phase: progress.stage(f"schemathesis: {phase}"),
    )


def _cut(
    settings: Settings, clock: Clock, transport: Transport, behaviour: Behaviour, engine: EngineResult
) -> RuleViolation | None:
    """The `budget` violation when the time budget stopped either sender, saying what was not sent."""
    budget = settings.budget
    missed: list[str] = []
    if behaviour.cut:
        share = f" (their share: {budget.max_time * OWN_SHARE:g} s)" if budget.phases else ""
        missed.append(f"the suite's own requests stopped after {transport.sent}{share}")
    if engine.cut:
        started = [phase for phase in budget.phases if phase in engine.phases_started]
        skipped = [phase for phase in budget.phases if phase not in engine.phases_started]
        if started:
            missed.append(f"schemathesis stopped after {engine.sent} requests, in its {started[-1]} phase")
        elif engine.sent:
            missed.append(f"schemathesis stopped after {engine.sent} requests, before its first test phase")
        else:
            missed.append("schemathesis was not run")
        if skipped:
            missed[-1] += f" ({', '.join(skipped)} not reached)"
    if not missed:
        return None
    return RuleViolation(
        "budget",
        "The time budget ran out before every request was sent",
        f"Received: {'; '.join(missed)}, {clock.elapsed():.1f} s into the run. Documented: the {settings.profile} "
        f"profile's budget of {budget.max_time:g} s (--budget); the rest of the run was not sent, so not judged.",
        inferred=BUDGET_WHY,
    )


def _unanswered(exchange: Exchange) -> RuleViolation:
    """The violation of an exchange without a usable answer: none in time, cut off, or over --max-body."""
    if exchange.error_check == "body-size":
        return RuleViolation(
            "body-size",
            f"{exchange.operation or 'a request'} answer is larger than --max-body",
            f"Received: {exchange.error} for {exchange.describe()}. Documented: an answer a client can read "
            "(--max-body).",
        )
    return RuleViolation(
        "no-answer",
        f"{exchange.operation or 'a request'} got no answer",
        f"Received: {exchange.error} for {exchange.describe()}. Documented: an answer within --timeout.",
    )
