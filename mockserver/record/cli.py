"""`sendstat record`: walk a target's index and views, and write an anonymised scenario file the mock serves."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
from pathlib import Path

from contract.checks import CheckContext, run_exchange
from contract.errors import UsageError
from contract.exchange import INDEX_PATH, Exchange
from contract.expect import Account, index_is_complete
from contract.options import parse_base_url, parse_header, parse_rate, parse_seconds
from contract.php import fields_value
from contract.settings import Settings
from contract.severity import classify
from contract.spec import Contract
from contract.transport import Transport
from mockserver.errors import RecordError, ScenarioError
from mockserver.record.anonymise import Anonymiser
from mockserver.record.document import Recording, build_document
from mockserver.record.journal import RecordLog
from mockserver.record.progress import Bar
from mockserver.record.shapes import read_encoding
from mockserver.record.verify import replay
from mockserver.record.walk import Walked, walk
from mockserver.record.yamlout import render
from mockserver.scenario.library import NAME_RULE, LoadContext, is_scenario_name, load_scenario_file
from sendstat import __version__

__all__ = ["register", "run"]

DEFAULT_RATE = "5/s"
# The recording's whole run may take this long at most (a day: a large account at a polite pace).
MAX_SECONDS = 86_400.0
_PINNED = re.compile(r"mailings\.pinned\[(\d+)\]")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `record` to the sendstat command line."""
    parser = subparsers.add_parser(
        "record",
        help="record a real service's mailings as a scenario file (anonymised)",
        description="Walk the target's index and view every listed mailing with all six sections, politely, "
        "and write a scenario file the mock serves with the same shapes. Anonymised by default.",
        epilog="An interrupted recording resumes: run the same command again (what was fetched is kept in "
        "FILE.partial, readable by its owner only, deleted once FILE is written). The API key is never written. "
        "SOURCE_DATE_EPOCH, when set, is the time the header gives (a reproducible file).",
    )
    parser.add_argument("--target", required=True, help="the service to record, e.g. https://v1.estismail.com")
    parser.add_argument(
        "--out", required=True, type=Path, metavar="FILE", help="the scenario file to write (NAME.yaml)"
    )
    parser.add_argument(
        "--header",
        action="append",
        default=[],
        metavar="'NAME: VALUE'",
        help="a header for every request, e.g. 'X-Estis-Auth: KEY' (repeatable; never written anywhere)",
    )
    parser.add_argument("--limit", type=int, metavar="N", help="record the first N listed mailings only")
    parser.add_argument(
        "--rate-limit", default=DEFAULT_RATE, metavar="N/s", help=f"at most N requests per s, m or h ({DEFAULT_RATE})"
    )
    parser.add_argument(
        "--timeout", type=float, default=15.0, metavar="SECONDS", help="one request, connect to last byte (15)"
    )
    parser.add_argument(
        "--no-anonymise", action="store_true", help="keep titles, links and domains as the target sent them"
    )
    parser.add_argument(
        "--remap-ids", action="store_true", help="number the mailings 1, 2, ... instead of keeping their ids"
    )
    parser.add_argument(
        "--progress",
        choices=("auto", "always", "never"),
        default="auto",
        help="the progress bar on stderr (auto: on a terminal)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Record, write, validate and replay; return the exit status (0 written and valid)."""
    target = parse_base_url(args.target)
    headers = dict(parse_header(value) for value in args.header)
    out: Path = args.out
    if out.suffix not in (".yaml", ".yml") or not is_scenario_name(out.stem):
        raise UsageError(f"--out {out}: expected NAME.yaml where NAME is {NAME_RULE} (the scenario's name)")
    if not out.parent.is_dir():
        raise UsageError(f"--out {out}: no such directory {out.parent}")
    if args.limit is not None and args.limit < 1:
        raise UsageError("--limit: expected N >= 1")
    parse_rate(args.rate_limit)
    settings = Settings(
        base_url=target,
        profile="production",
        headers=headers,
        rate_limit=args.rate_limit,
        timeout=parse_seconds(args.timeout, "--timeout"),
        max_time=MAX_SECONDS,
    )
    contract = Contract.load(validate=False)
    fields = fields_value(contract.field_names)
    log = RecordLog.open(out.with_name(out.name + ".partial"), target, fields)
    transport = Transport(settings)
    enabled = {"auto": None, "always": True, "never": False}[args.progress]
    try:
        walked = walk(transport, log, fields, limit=args.limit, bar=lambda total: Bar(total, enabled=enabled))
    except KeyboardInterrupt:
        raise RecordError(
            f"interrupted; what was fetched is kept in {log.path}: run the same command again to resume"
        ) from None
    finally:
        transport.close()
        log.close()
    recording = _write(out, walked, contract, target, args)
    log.remove()
    return _report(out, walked, recording, contract, anonymised=not args.no_anonymise, remapped=args.remap_ids)


def _write(out: Path, walked: Walked, contract: Contract, target: str, args: argparse.Namespace) -> Recording:
    """Lay out, write and load the file; a mailing the loader refuses becomes a declared fault, and again."""
    context = LoadContext.create(contract)
    answers = [(walked.index.target, walked.index.body, False)] if walked.index.status == 200 else []
    answers += [(view.target, view.body, True) for view in walked.views.values() if view.status == 200]
    encoding = read_encoding(answers)
    breaking = _breaking(walked, contract)
    refused: set[int] = set()
    while True:
        anonymiser = None if args.no_anonymise else Anonymiser(context.data)
        recording = build_document(
            walked,
            encoding,
            anonymiser=anonymiser,
            remap=args.remap_ids,
            breaks_contract=lambda mailing_id: mailing_id in breaking,
            forced_ids=frozenset(refused),
        )
        text = render(
            out.stem,
            _description(walked, target, anonymised=anonymiser is not None),
            recording,
            _header(walked, recording, target, anonymiser, args),
        )
        out.write_text(text, encoding="utf-8")
        try:
            load_scenario_file(out, context)
        except ScenarioError as exc:
            found = _PINNED.search(str(exc))
            ordered = sorted(walked.chosen)
            if found is None or int(found[1]) >= len(ordered) or ordered[int(found[1])] in refused:
                raise RecordError(f"the recording was written to {out} but does not load: {exc}") from None
            refused.add(ordered[int(found[1])])
            continue
        return recording


def _breaking(walked: Walked, contract: Contract) -> set[int]:
    """The ids whose view breaks the contract (an error of the checker): the mock can serve them as faults only."""
    complete = index_is_complete(contract.document, INDEX_PATH)
    ctx = CheckContext(contract, Account(listed=walked.listed, index_complete=complete))
    found = set()
    for mailing_id, answer in walked.views.items():
        exchange = Exchange(
            source="record",
            method="GET",
            url="http://recorded.invalid" + answer.target,
            request_headers={},
            status=answer.status,
            headers={"content-type": "application/json"} if answer.body else {},
            body=answer.body,
            elapsed=0.0,
        )
        violations = run_exchange(ctx, exchange)
        if any(classify(violation, contract, strict=False).severity == "error" for violation in violations):
            found.add(mailing_id)
    return found


def _when() -> dt.datetime:
    """The time the header gives: SOURCE_DATE_EPOCH when set (reproducible builds' convention), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _description(walked: Walked, target: str, *, anonymised: bool) -> str:
    host = target.split("://", 1)[1].split("/", 1)[0]
    how = "anonymised" if anonymised else "as sent (not anonymised)"
    return f"{len(walked.chosen)} mailings recorded from {host} on {_when():%Y-%m-%d}, {how}."


def _header(
    walked: Walked, recording: Recording, target: str, anonymiser: Anonymiser | None, args: argparse.Namespace
) -> list[str]:
    """What was recorded, when, how it was anonymised and encoded."""
    listed = len(walked.listed)
    lines = [
        f"Recorded by sendstat {__version__} (`sendstat record`) from {target} at {_when():%Y-%m-%dT%H:%M:%SZ}.",
        f"The index ({walked.index.status}) and {len(walked.chosen)} of its {listed} listed mailings, each viewed with "
        f"all six sections, at most {args.rate_limit}.",
    ]
    if anonymiser is not None:
        lines.append(
            "Anonymised: letter titles generated anew (same script, similar length); link URLs moved to example.com "
            f"hosts ({anonymiser.hosts} of them), path shape and count kept; {anonymiser.replaced_domains} company "
            "domains replaced by companyN.example, public mail providers kept."
        )
    else:
        lines.append("Not anonymised (--no-anonymise): titles, links and domains as the target sent them.")
    lines.append("Ids " + ("renumbered 1, 2, ... (--remap-ids)." if args.remap_ids else "kept."))
    encoding = recording.encoding
    lines.append(
        f"Encoding: json_flags {encoding.flag_names or 'none (PHP defaults)'}, json_objects "
        f"{dict(sorted(encoding.objects.items())) or 'none (PHP arrays)'}."
    )
    if recording.forced:
        lines.append(
            f"{len(recording.forced)} mailings break the contract (or a limit of the format): declared faults."
        )
    lines.append("No request header (the API key among them) is written here.")
    return lines


def _report(
    out: Path, walked: Walked, recording: Recording, contract: Contract, *, anonymised: bool, remapped: bool
) -> int:
    """Replay the recorded requests against the mock serving the file and say how the answers compare."""
    recorded = [walked.index, *(walked.views[i] for i in sorted(walked.chosen))]
    if remapped:
        recorded = [walked.index]
    trip = replay(out, recorded, contract, bytes_too=not anonymised and not remapped)
    err = sys.stderr
    print(
        f"sendstat record: wrote {out}: {len(walked.chosen)} mailings, {len(recording.forced)} as declared faults",
        file=err,
    )
    if not anonymised and not remapped:
        print(
            f"sendstat record: round trip: {trip.same} of {trip.compared} answers byte for byte as the target's",
            file=err,
        )
    for line in [*trip.differ[:5], *trip.broken[:5]]:
        print(f"sendstat record:   {line}", file=err)
    if recording.encoding.unmatched:
        print(
            f"sendstat record: {len(recording.encoding.unmatched)} answers are not PHP json_encode's bytes for one set "
            "of flags and shapes: the mock serves their data, not their bytes",
            file=err,
        )
    return 1 if trip.broken else 0
