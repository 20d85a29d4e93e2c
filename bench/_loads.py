"""What the benchmarks ask: the ids of an account, and request lists where every view is new to the mock.

The lists are files of request targets that bench/paths.lua sends in order, one wrk thread for all
connections: a list longer than a run needs means no target is sent twice in that run.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

import yaml

from contract.spec import Contract
from mockserver.scenario.library import LoadContext, ScenarioLibrary, default_scenario_dirs

__all__ = [
    "ALL_FIELDS",
    "BAD_FIELDS",
    "FIELD_SETS",
    "INDEX",
    "MIX_MAILINGS",
    "MixTargets",
    "account_ids",
    "mix_targets",
    "size_scenarios",
    "view_targets",
    "write_targets",
]

INDEX = "/mailer/sendstatistics"
SECTIONS = ("id", "common", "open_time", "click_statistic", "domain_statistic", "errors")
ALL_FIELDS = quote(json.dumps(list(SECTIONS), separators=(",", ":")), safe="")
# The field sets a frontend asks for (a list row, a detail page, a chart, ...), as its client encodes them.
FIELD_SETS = tuple(
    quote(json.dumps(names, separators=(",", ":")), safe="")
    for names in (
        list(SECTIONS),
        ["id", "common"],
        ["common"],
        ["id", "common", "open_time"],
        ["id", "click_statistic"],
        ["domain_statistic"],
        ["id", "common", "errors"],
        ["open_time", "click_statistic", "errors"],
    )
)
# `fields` values the backend answers 400 / 20620 for: no valid name.
BAD_FIELDS = tuple(quote(text, safe="") for text in ('["nope"]', '["Common"]', '["id ","common "]', '"id"', "[1]"))
# The realistic mix's account: the large scenario's shape with 8,000 mailings (an index of about 2.4 MB). Its
# 64,000 (id, field set) views make a list of 80,000 targets: enough for 10 s at 6,000 req/s without sending a
# target twice (2,000 mailings ran out on a quiet machine, and the answer cache then served the repeats).
MIX_MAILINGS = 8000


def size_scenarios(directory: Path, counts: Sequence[int]) -> dict[int, str]:
    """Write scenarios shaped like `large` with other mailing counts into directory; return their names by count."""
    large = next(d / "large.yaml" for d in default_scenario_dirs() if (d / "large.yaml").exists())
    document = yaml.safe_load(large.read_text(encoding="utf-8"))
    names = {}
    for count in counts:
        name = f"bench-{count}"
        mine = {**document, "name": name, "description": f"The large scenario's shape with {count} mailings."}
        mine["mailings"] = {"generate": {**document["mailings"]["generate"], "count": count}}
        (directory / f"{name}.yaml").write_text(yaml.safe_dump(mine, allow_unicode=True), encoding="utf-8")
        names[count] = name
    return names


def account_ids(scenario: str, directories: Sequence[Path] = ()) -> list[int]:
    """Return the ids a scenario lists at its own clock, computed by the model (no request to the mock)."""
    context = LoadContext.create(Contract.load(validate=False))
    found = ScenarioLibrary([*directories, *default_scenario_dirs()], context, lazy=True).get(scenario)
    return list(found.source(found.clock).ids())


def view_targets(ids: Sequence[int], seed: int) -> list[str]:
    """Views of every id once, all six sections, in a random order."""
    shuffled = list(ids)
    random.Random(seed).shuffle(shuffled)
    return [f"{INDEX}/{mailing_id}?fields={ALL_FIELDS}" for mailing_id in shuffled]


class MixTargets(list[str]):
    """A realistic mix's targets (a list) and how many of each kind it holds."""

    views = 0
    indexes = 0
    bad = 0


def mix_targets(ids: Sequence[int], seed: int) -> MixTargets:
    """80 % views, each a new (id, field set), 15 % index, 5 % bad `fields` on new ids, shuffled together.

    Every (id, field set) pair appears once: a run shorter than the list sends no view twice, so each
    view misses the answer cache; the same mailing comes back with other fields, as a frontend asks it.
    """
    draw = random.Random(seed)
    pairs = [(mailing_id, fields) for mailing_id in ids for fields in FIELD_SETS]
    draw.shuffle(pairs)
    views = [f"{INDEX}/{mailing_id}?fields={fields}" for mailing_id, fields in pairs]
    indexes = round(len(views) * 15 / 80)
    bad = round(len(views) * 5 / 80)
    kinds = ["view"] * len(views) + ["index"] * indexes + ["bad"] * bad
    draw.shuffle(kinds)
    found = MixTargets()
    view_iter = iter(views)
    bad_ids = iter(draw.sample(list(ids), min(bad, len(ids))) * (1 + bad // max(1, len(ids))))
    for n, kind in enumerate(kinds):
        if kind == "view":
            found.append(next(view_iter))
        elif kind == "index":
            found.append(INDEX)
        else:
            found.append(f"{INDEX}/{next(bad_ids)}?fields={BAD_FIELDS[n % len(BAD_FIELDS)]}")
    found.views, found.indexes, found.bad = len(views), indexes, bad
    return found


def write_targets(targets: Sequence[str], path: Path) -> Path:
    """Write targets one per line, for bench/paths.lua."""
    path.write_text("\n".join(targets) + "\n", encoding="ascii")
    return path
