"""The round trip of a written recording: the mock serving the file is asked every recorded request again.

Without anonymisation (and with the ids kept) each answer must be the target's, status and bytes; in any case
no answer of the mock may break a rule of the suite that the target's answer kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from contract.checks import CheckContext, run_exchange
from contract.exchange import INDEX_PATH, Exchange
from contract.expect import Account, index_is_complete
from contract.spec import Contract
from mockserver.http.app import close_app, create_app
from mockserver.record.journal import Answer
from mockserver.record.walk import listed

__all__ = ["RoundTrip", "replay"]

BASE = "http://recorded.invalid"


@dataclass
class RoundTrip:
    """How the mock's answers compare: how many were compared and matched, and what differs or breaks."""

    compared: int = 0
    same: int = 0
    differ: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)


def replay(path: Path, recorded: list[Answer], contract: Contract, *, bytes_too: bool) -> RoundTrip:
    """Ask the mock serving the file each recorded request; compare bytes (when asked) and the rules broken."""
    app = create_app(
        {
            "SENDSTAT_CONTRACT": contract,
            "SENDSTAT_SCENARIO": path.stem,
            "SENDSTAT_SCENARIO_DIRS": [str(path.parent)],
            "SENDSTAT_RELOAD_INTERVAL": None,
            "SENDSTAT_ANSWER_CACHE_BYTES": 0,
        }
    )
    result = RoundTrip()
    try:
        client = app.test_client()
        answers = [(answer, client.get(answer.target)) for answer in recorded]
        mock_index = next((Answer(a.target, r.status_code, r.get_data()) for a, r in answers if _is_index(a)), None)
        ours = _context(contract, recorded, None)
        theirs = _context(contract, recorded, mock_index)
        for answer, response in answers:
            got = Answer(answer.target, response.status_code, response.get_data())
            result.compared += 1
            if got.status == answer.status and got.body == answer.body:
                result.same += 1
            elif bytes_too:
                result.differ.append(f"{answer.target}: {_difference(answer, got)}")
            before = _errors(ours, answer)
            for rule in sorted(_errors(theirs, got) - before):
                result.broken.append(f"{answer.target}: the mock's answer breaks {rule}, the target's did not")
    finally:
        close_app(app)
    return result


def _is_index(answer: Answer) -> bool:
    return urlsplit(answer.target).path.rstrip("/") == INDEX_PATH


def _context(contract: Contract, recorded: list[Answer], index: Answer | None) -> CheckContext:
    """The checks' context with the ids an index lists (the target's, or the mock's)."""
    index = index or next((answer for answer in recorded if _is_index(answer)), None)
    ids = listed(index) if index is not None else ()
    return CheckContext(contract, Account(listed=ids, index_complete=index_is_complete(contract.document, INDEX_PATH)))


def _errors(ctx: CheckContext, answer: Answer) -> set[str]:
    """The rules of the suite an answer breaks, errors and warnings alike."""
    exchange = Exchange(
        source="record",
        method="GET",
        url=BASE + answer.target,
        request_headers={},
        status=answer.status,
        headers={"content-type": "application/json; charset=UTF-8"} if answer.body else {},
        body=answer.body,
        elapsed=0.0,
    )
    return {violation.rule_id for violation in run_exchange(ctx, exchange)}


def _difference(want: Answer, got: Answer) -> str:
    """Where the mock's answer first differs from the target's."""
    if want.status != got.status:
        return f"status {got.status}, the target's {want.status}"
    pairs = enumerate(zip(want.body, got.body, strict=False))
    at = next((index for index, (a, b) in pairs if a != b), min(len(want.body), len(got.body)))
    return f"the bytes differ from offset {at}: {got.body[at : at + 40]!r}, the target's {want.body[at : at + 40]!r}"
