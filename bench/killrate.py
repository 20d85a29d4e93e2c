"""Kill rate of `sendstat check` vs plain `schemathesis run` on the fault matrix, side by side.

Starts the matrix server (tests/contract/faults: a correct reference and its broken variants, one port-0
server), runs each tool against each server in a subprocess and prints a table: per server whether the tool
caught the fault (or raised a false alarm on a correct variant), then the kill rate, false alarms and time.

    python -m bench.killrate [--jobs 2] [--max-examples 5] [--seed 7] [--cases a,b,...] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from tests.contract.faults.catalogue import CASES, Case
from tests.contract.faults.serve import AUTH, build, serving

ROOT = Path(__file__).resolve().parent.parent

HEADER = f"X-Estis-Auth: {AUTH['X-Estis-Auth']}"
SCHEMATHESIS = str(Path(sys.executable).with_name("schemathesis"))
# Plain schemathesis flags the reference for accepting any API key (ignored_auth): the last two columns show
# what it catches once that check, which judges authentication the document only infers, is off.
TOOLS = (
    "sendstat",
    "sendstat --strict",
    "st run",
    "st run --checks all",
    "st run -ignored_auth",
    "st all -ignored_auth",
)


@dataclass(frozen=True)
class Result:
    """One tool on one server: exit status, whether the expected rules were warned about, and the time."""

    tool: str
    case: Case
    exit: int
    warned: bool
    seconds: float

    @property
    def mark(self) -> str:
        """`caught`, `warned`, `missed` for a fault; `pass` or `FALSE ALARM` for a correct server."""
        if not self.case.is_fault:
            return "pass" if self.exit == 0 else f"FALSE ALARM ({self.exit})"
        if self.exit == 1 or (self.tool.startswith("st") and self.exit != 0):
            return "caught"
        if self.exit == 0 and self.warned:
            return "warned"
        return f"missed ({self.exit})"


def command(tool: str, case: Case, base_url: str, args: argparse.Namespace, report: Path) -> list[str]:
    """The command line of one tool against one server."""
    timeout = ["--timeout", "0.5"] if case.name == "slow" else []
    if tool.startswith("sendstat"):
        strict = ["--strict"] if tool.endswith("--strict") else []
        return [
            sys.executable, "-m", "sendstat", "check", "--base-url", base_url, "--header", HEADER, "--quiet",
            "--seed", str(args.seed), "--max-examples", str(args.max_examples), "--json", str(report),
            *case.args, *timeout, *strict,
        ]  # fmt: skip
    checks = {
        "st run --checks all": ["--checks", "all"],
        "st run -ignored_auth": ["--exclude-checks", "ignored_auth"],
        "st all -ignored_auth": ["--checks", "all", "--exclude-checks", "ignored_auth"],
    }
    extra = checks.get(tool, [])
    st_timeout = ["--request-timeout", "0.5"] if timeout else []
    return [
        SCHEMATHESIS, "run", str(ROOT / "openapi.yaml"), "--url", base_url, "-H", HEADER, "--no-color",
        "--seed", str(args.seed), "--max-examples", str(args.max_examples), *extra, *st_timeout,
    ]  # fmt: skip


def measure(tool: str, case: Case, root: str, args: argparse.Namespace) -> Result:
    """Run one tool against one server in a scratch directory (schemathesis writes its cache there)."""
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        started = time.monotonic()
        done = subprocess.run(
            command(tool, case, f"{root}/{case.name}", args, report),
            cwd=scratch, capture_output=True, text=True, check=False, timeout=600,
        )  # fmt: skip
        seconds = time.monotonic() - started
        warned = False
        if report.exists():
            rules = {finding["rule"] for finding in json.loads(report.read_text(encoding="utf-8"))["findings"]}
            warned = bool(case.rules) and set(case.rules) <= rules
    return Result(tool, case, done.returncode, warned, seconds)


def table(cases: Sequence[Case], results: dict[tuple[str, str], Result]) -> str:
    """The side-by-side table: one row per server, then kill rate, false alarms and time per tool."""
    width = max(len(case.name) for case in cases) + 2
    head = f"{'server':<{width}}{'kind':<9}" + "".join(f"{tool:<23}" for tool in TOOLS)
    lines = [head, "-" * len(head)]
    for case in cases:
        kind = "fault" if case.is_fault else "correct"
        lines.append(
            f"{case.name:<{width}}{kind:<9}" + "".join(f"{results[tool, case.name].mark:<23}" for tool in TOOLS)
        )
    faults = [case for case in cases if case.is_fault]
    correct = [case for case in cases if not case.is_fault]
    rows: dict[str, list[str]] = {
        "kill rate (exit != 0)": [],
        "+ warned (exit 0)": [],
        "false alarms": [],
        "median s/run": [],
    }
    for tool in TOOLS:
        marks = [results[tool, case.name].mark for case in faults]
        rows["kill rate (exit != 0)"].append(f"{marks.count('caught')}/{len(faults)}")
        rows["+ warned (exit 0)"].append(f"{marks.count('warned')}")
        alarms = sum(1 for case in correct if results[tool, case.name].mark != "pass")
        rows["false alarms"].append(f"{alarms}/{len(correct)}")
        rows["median s/run"].append(f"{statistics.median(r.seconds for (t, _), r in results.items() if t == tool):.1f}")
    lines.append("-" * len(head))
    lines += [f"{label:<{width + 9}}" + "".join(f"{value:<23}" for value in values) for label, values in rows.items()]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--jobs", type=int, default=2, help="tool runs in parallel")
    parser.add_argument("--max-examples", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cases", help="comma-separated server names (default: all)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    args = parser.parse_args(argv)
    wanted = set(args.cases.split(",")) if args.cases else None
    cases = [case for case in CASES if wanted is None or case.name in wanted]
    with serving(build(cases)) as running, ThreadPoolExecutor(args.jobs) as pool:
        jobs = {
            (tool, case.name): pool.submit(measure, tool, case, running.root, args) for case in cases for tool in TOOLS
        }
        results = {key: job.result() for key, job in jobs.items()}
    print(table(cases, results))
    if args.json:
        data = [{"tool": r.tool, "server": r.case.name, "mark": r.mark, "exit": r.exit, "seconds": r.seconds}
                for r in results.values()]  # fmt: skip
        args.json.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
