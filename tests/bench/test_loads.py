"""What the benchmarks send: every view new, the realistic mix's proportions, scenarios of other sizes."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml

from bench._loads import (
    ALL_FIELDS,
    BAD_FIELDS,
    FIELD_SETS,
    INDEX,
    MIX_MAILINGS,
    mix_targets,
    size_scenarios,
    view_targets,
    write_targets,
)
from bench._wrk import PATHS_SCRIPT, parse


def test_uncached_views_ask_every_id_once_with_every_section() -> None:
    """The uncached list holds each id once, all six sections, shuffled by its seed."""
    ids = list(range(1000, 1100))
    targets = view_targets(ids, seed=1)
    assert sorted(targets) == sorted(f"{INDEX}/{i}?fields={ALL_FIELDS}" for i in ids)
    assert targets != view_targets(ids, seed=2)


def test_the_mix_is_80_15_5_and_never_repeats_a_view() -> None:
    """Views, index and bad fields come in 80/15/5; each (id, field set) view appears once; bad fields use new ids."""
    targets = mix_targets(list(range(1, 201)), seed=3)
    kinds = Counter(
        "index" if t == INDEX else "bad" if any(t.endswith(f"fields={b}") for b in BAD_FIELDS) else "view"
        for t in targets
    )
    total = len(targets)
    assert (kinds["view"], kinds["index"], kinds["bad"]) == (targets.views, targets.indexes, targets.bad)
    assert abs(kinds["view"] / total - 0.80) < 0.01
    assert abs(kinds["index"] / total - 0.15) < 0.01
    assert abs(kinds["bad"] / total - 0.05) < 0.01
    views = [t for t in targets if t != INDEX and not any(t.endswith(f"fields={b}") for b in BAD_FIELDS)]
    assert len(set(views)) == len(views) == 200 * len(FIELD_SETS)
    bad_ids = [t.split("?")[0] for t in targets if any(t.endswith(f"fields={b}") for b in BAD_FIELDS)]
    assert len(set(bad_ids)) == len(bad_ids)


def test_size_scenarios_are_large_with_other_counts(tmp_path: Path) -> None:
    """A scenario per size, shaped like large (seed, spacing, clock) but for the count and the name."""
    names = size_scenarios(tmp_path, [10, 1000])
    document = yaml.safe_load((tmp_path / f"{names[10]}.yaml").read_text(encoding="utf-8"))
    assert document["name"] == "bench-10"
    assert document["mailings"]["generate"]["count"] == 10
    assert document["mailings"]["generate"]["id_spacing"] == 3


def test_targets_are_written_one_per_line_for_the_lua_script(tmp_path: Path) -> None:
    """The list file holds one target per line, read by bench/paths.lua from $PATHS."""
    written = write_targets(["/a", "/b?x=1"], tmp_path / "t.txt")
    assert written.read_text(encoding="ascii") == "/a\n/b?x=1\n"
    assert 'os.getenv("PATHS")' in PATHS_SCRIPT.read_text(encoding="utf-8")


def test_wrk_output_is_read() -> None:
    """Requests, req/s, p50 and p99 latency and non-2xx answers are read from wrk --latency's output."""
    output = """Running 2s test @ http://127.0.0.1:1/
  Latency Distribution
     50%  850.00us
     75%    1.20ms
     90%    2.00ms
     99%    5.50ms
  4321 requests in 2.00s, 1.00MB read
  Non-2xx or 3xx responses: 12
Requests/sec:   2160.50
"""
    result = parse(output)
    assert (result.requests, result.rps, result.p50_ms, result.p99_ms, result.non_2xx) == (4321, 2160.5, 0.85, 5.5, 12)


def test_the_mix_list_outlasts_a_run_at_the_mocks_best_rate() -> None:
    """After the warm-up's sixth, the mix's list lasts 10 s at 6,000 req/s, each target sent once."""
    targets = mix_targets(list(range(1, MIX_MAILINGS + 1)), seed=3)
    assert len(targets) - len(targets) // 6 >= 10 * 6000
