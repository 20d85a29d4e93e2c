"""Digests of uncached answers, recorded from the code before issue 12's speed-ups and checked ever after.

`python -m tests.mockserver.http.golden --write` records them into tests/data/golden/; the test
(test_golden.py) answers the same requests in the same order and compares. Each line is the digest of one
answer (status, headers but Date, body), so a difference names its request. Scenarios with faults or
latency are left out: their answers depend on request counts, not only on the generator and the encoder.

Regenerate only on purpose: when the generator's output is meant to change (and say so in the changelog).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import yaml
from flask import Flask
from werkzeug.test import Client

from contract.php import PhpJsonFlag, encode
from contract.spec import Contract
from mockserver.http.app import create_app
from mockserver.http.context import EXTENSION, MockState
from mockserver.scenario.library import default_scenario_dirs

INDEX = "/mailer/sendstatistics"
GOLDEN = Path(__file__).resolve().parents[2] / "data" / "golden"
ANSWERS_FILE = GOLDEN / "uncached-answers.txt"
MODEL_FILE = GOLDEN / "large-mailings.txt"
SECTIONS = ("id", "common", "open_time", "click_statistic", "domain_statistic", "errors")
# The `fields` values asked in turn: every section alone and together, the default, names dropped, a 400.
FIELD_QUERIES = (
    "?fields=" + quote(json.dumps(list(SECTIONS)), safe=""),
    "",
    "?fields=" + quote('["common","errors"]', safe=""),
    "?fields=" + quote('["open_time","click_statistic","nope"]', safe=""),
    "?fields=" + quote('{"a":"domain_statistic","b":"id"}', safe=""),
    "?fields=id,common",
    "?fields=" + quote('["nope"]', safe=""),
    "?fields=" + quote('["errors","common","id"]', safe=""),
)
LARGE = "large"
LARGE_VIEWS = 1000
# Clocks of `large` besides its own: the last mailings in progress, and half the account not yet sent.
LARGE_CLOCKS = ("2024-12-01T18:30:00Z", "2019-12-03T07:00:00Z")
CLOCK_VIEWS = 150
OTHER_VIEWS = 40
IN_PROGRESS_ADVANCES = (3600, 6 * 3600, 30 * 3600)
MODEL_STRIDE = 5
MODEL_MAILINGS = 20_000
MODEL_BLOCK = 1000


@dataclass(frozen=True)
class Recorded:
    """One answer's digest and the request it answers."""

    digest: str
    scenario: str
    clock: str
    request: str

    def line(self) -> str:
        """The line of the golden file."""
        return f"{self.digest} {self.scenario} {self.clock} {self.request}"


def digest(status: int, headers: Sequence[tuple[str, str]], body: bytes) -> str:
    """A short digest of an answer: status, headers less Date, body."""
    hashed = hashlib.sha256(f"{status}\n".encode())
    for name, value in headers:
        if name != "Date":
            hashed.update(f"{name}: {value}\n".encode())
    hashed.update(b"\n" + body)
    return hashed.hexdigest()[:24]


def shipped_without_faults() -> list[str]:
    """The shipped scenarios whose answers depend on the request alone (no latency, no faults)."""
    names = []
    for path in sorted(p for d in default_scenario_dirs() for p in d.glob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not document.get("latency") and not document.get("faults"):
            names.append(document["name"])
    return names


def build(contract: Contract, scenario: str) -> Flask:
    """An app on a shipped scenario with no answer cache, never sleeping, no hot reload."""
    return create_app(
        {
            "TESTING": True,
            "SENDSTAT_CONTRACT": contract,
            "SENDSTAT_SCENARIO": scenario,
            "SENDSTAT_ANSWER_CACHE_BYTES": 0,
            "SENDSTAT_RELOAD_INTERVAL": None,
            "SENDSTAT_SLEEP": lambda _: None,
        }
    )


def ask(client: Client, scenario: str, clock: str, target: str, headers: dict[str, str]) -> Recorded:
    """Send one GET and record its answer."""
    response = client.get(target, headers=headers)
    return Recorded(
        digest(response.status_code, list(response.headers.items()), response.get_data()), scenario, clock, target
    )


def listed(client: Client, headers: dict[str, str]) -> list[int]:
    """The ids the index lists now (none for an empty account)."""
    response = client.get(INDEX, headers=headers)
    return (
        [entry["id"] for entry in json.loads(response.get_data())["statistics"]] if response.status_code == 200 else []
    )


def spread(ids: Sequence[int], count: int) -> list[int]:
    """Evenly spread ids, the first and the last included (all of a short list)."""
    if len(ids) <= count:
        return list(ids)
    step = (len(ids) - 1) / (count - 1)
    return sorted({ids[round(n * step)] for n in range(count)})


def large_answers(contract: Contract) -> Iterator[Recorded]:
    """Views of `large` at random ids with every kind of `fields`, unlisted ids, its index; at three clocks."""
    app = build(contract, LARGE)
    client = app.test_client()
    draw = random.Random(12)
    try:
        for clock in ("own", *LARGE_CLOCKS):
            if clock != "own":
                assert client.put("/__mock/clock", json={"now": clock}).status_code == 200
            body = client.get(INDEX).get_data()
            yield Recorded(digest(200, [], body), LARGE, clock, f"GET {INDEX} (body only)")
            ids = [entry["id"] for entry in json.loads(body)["statistics"]]
            views = LARGE_VIEWS if clock == "own" else CLOCK_VIEWS
            chosen = sorted(draw.sample(range(len(ids)), views - 30)) + list(range(len(ids) - 30, len(ids)))
            for n, index in enumerate(chosen):
                yield ask(client, LARGE, clock, f"{INDEX}/{ids[index]}{FIELD_QUERIES[n % len(FIELD_QUERIES)]}", {})
            for mailing_id in (ids[0] - 1, ids[-1] + 1, *(i + 1 for i in ids[:40] if i + 1 not in set(ids[:41]))):
                yield ask(client, LARGE, clock, f"{INDEX}/{mailing_id}{FIELD_QUERIES[0]}", {})
    finally:
        app.extensions[EXTENSION].control.close()


def other_answers(contract: Contract) -> Iterator[Recorded]:
    """Every other shipped scenario without faults: its index and views of listed ids (in-progress at more clocks)."""
    for scenario in shipped_without_faults():
        if scenario == LARGE:
            continue
        app = build(contract, scenario)
        client = app.test_client()
        state: MockState = app.extensions[EXTENSION]
        keys = sorted(state.control.start.scenario.auth_keys)
        headers = {"X-Estis-Auth": keys[0]} if keys else {}
        try:
            advances = IN_PROGRESS_ADVANCES if scenario == "in-progress" else ()
            for clock in ("own", *advances):
                if clock != "own":
                    assert client.post("/__mock/clock/advance", json={"seconds": clock}).status_code == 200
                yield ask(client, scenario, str(clock), INDEX, headers)
                for n, mailing_id in enumerate(spread(listed(client, headers), OTHER_VIEWS) or [1]):
                    for query in (FIELD_QUERIES[0], FIELD_QUERIES[1 + n % (len(FIELD_QUERIES) - 1)]):
                        yield ask(client, scenario, str(clock), f"{INDEX}/{mailing_id}{query}", headers)
        finally:
            state.control.close()


def answer_lines(contract: Contract) -> list[str]:
    """Every golden answer line, in the order they are asked."""
    return [recorded.line() for recorded in (*large_answers(contract), *other_answers(contract))]


def model_lines(contract: Contract) -> list[str]:
    """Digests of every section and the title of 20,000 `large` mailings (every 5th id), a line per 1,000."""
    app = build(contract, LARGE)
    try:
        scenario = app.extensions[EXTENSION].control.start.scenario
        source = scenario.source(scenario.clock)
    finally:
        app.extensions[EXTENSION].control.close()
    ids = source.ids()
    lines = []
    for block in range(MODEL_MAILINGS // MODEL_BLOCK):
        hashed = hashlib.sha256()
        chosen = range(block * MODEL_BLOCK * MODEL_STRIDE, (block + 1) * MODEL_BLOCK * MODEL_STRIDE, MODEL_STRIDE)
        for index in chosen:
            mailing = source.mailing(ids[index])
            assert mailing is not None
            hashed.update(encode({name: mailing.section(name) for name in SECTIONS}, PhpJsonFlag.NONE))
            hashed.update(encode(source.title(ids[index])) + b"\n")
        lines.append(f"{hashed.hexdigest()[:24]} {LARGE} ids[{chosen.start}:{chosen.stop}:{MODEL_STRIDE}]")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Write the golden files (--write), or print how many lines would be written."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="overwrite the golden files in tests/data/golden/")
    args = parser.parse_args(argv)
    contract = Contract.load(validate=False)
    answers, model = answer_lines(contract), model_lines(contract)
    if args.write:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        ANSWERS_FILE.write_text("\n".join(answers) + "\n", encoding="utf-8")
        MODEL_FILE.write_text("\n".join(model) + "\n", encoding="utf-8")
    print(f"{len(answers)} answers, {len(model)} model blocks", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
