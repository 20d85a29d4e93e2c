"""The CI recipes of docs/ci/ read as their CI reads them, and their jobs run here as far as this machine allows.

A job is a list of steps: a GitHub step's `run` (each its own bash, `-eo pipefail`, as `shell: bash` runs it),
or a GitLab job's `before_script` and `script` (one bash, `-eo pipefail`) and its `after_script`. Running a
job here changes only what cannot run here, each in one place (`stand_in`): installing (the test's venv
already has sendstat), the frontend's own commands (a stand-in that requests the mock with the session, and
succeeds or fails as the test asks), `actions/*` steps (not run; what they read is checked apart). Secrets,
variables and expressions get test values. The mock a recipe starts is its own command, run with
MOCK_PORT=0: a hook after that line reads the URL the mock prints (its banner, in the file the recipe sends
it to) and exports MOCK_URL, as GITHUB_ENV would carry it to later steps.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

ROOT = Path(__file__).resolve().parent.parent.parent
RECIPES = ROOT / "docs" / "ci"
Platform = Literal["github", "gitlab"]
STEP_SECONDS = 180
STOP_SECONDS = 30
# What GitHub's `shell: bash` and GitLab's bash scripts run with.
BASH = ["bash", "--noprofile", "--norc", "-eo", "pipefail"]
EXPRESSION = re.compile(r"\$\{\{\s*(.+?)\s*\}\}")
GITLAB_VARIABLE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?")
MOCK_LINE = re.compile(r"^\s*sendstat mock\b.*&\s*$")
# A command that installs something: here the venv of the test run already holds sendstat.
INSTALLS = ("pip install", "apt-get ")
# The frontend's own commands in the recipes, and what runs in their place.
FRONTEND = {"npm ci": "true", "npm run test:e2e": "__frontend_tests"}
# Functions every script here starts with: the hook after the recipe's mock line, the frontend's stand-in.
PREAMBLE = r"""
__sendstat_mock_started() {
  local log="$1" mock="$!" deadline=$((SECONDS + 60))
  printf '%s\n' "$mock" > "$HARNESS_DIR/mock.pid"
  # A readiness poll with a deadline: the banner is the mock's first line on stdout, sent to "$log".
  until grep -q '^sendstat mock: serving http' "$log" 2>/dev/null; do
    if (( SECONDS > deadline )) || ! kill -0 "$mock" 2>/dev/null; then
      echo "harness: the mock printed no URL" >&2; cat "$log" >&2; return 1
    fi
    sleep 0.05
  done
  MOCK_URL=$(grep -m1 -o 'serving http://[^ ]*' "$log" | cut -d' ' -f2)
  export MOCK_URL
  if [ -n "${GITHUB_ENV:-}" ]; then printf 'MOCK_URL=%s\n' "$MOCK_URL" >> "$GITHUB_ENV"; fi
  printf '%s\n' "$MOCK_URL" > "$HARNESS_DIR/mock.url"
}
__frontend_tests() {
  curl -fsS -o /dev/null -H "X-Mock-Session: $MOCK_SESSION" "$MOCK_URL/mailer/sendstatistics"
  curl -sS -o /dev/null -H "X-Mock-Session: $MOCK_SESSION" "$MOCK_URL/mailer/sendstatistics/999999999"
  return "$HARNESS_FRONTEND_STATUS"
}
"""


@dataclass(frozen=True)
class Step:
    """One step of a job: a shell script (`run`) or an action (`uses`), with its env and condition."""

    name: str
    run: str | None = None
    uses: str | None = None
    inputs: Mapping[str, Any] = field(default_factory=dict)
    env: Mapping[str, str] = field(default_factory=dict)
    condition: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class Job:
    """A recipe's job as its CI reads it."""

    path: Path
    platform: Platform
    name: str
    env: Mapping[str, str]
    steps: tuple[Step, ...]
    raw: Mapping[str, Any]

    @property
    def scripts(self) -> list[str]:
        """Every shell script of the job, in order."""
        return [step.run for step in self.steps if step.run is not None]

    def commands(self, program: str = "sendstat") -> list[str]:
        """Each command of `program` in the scripts, as written up to its first shell operator."""
        return [
            cut
            for script in self.scripts
            for line in logical_lines(script)
            if line.strip().startswith(program + " ")
            for cut in [cut_at_operator(line.strip())]
        ]


@dataclass
class StepRun:
    """What one step did here."""

    name: str
    ran: bool
    status: int = 0
    stdout: str = ""
    stderr: str = ""


@dataclass
class JobRun:
    """What a job did here: its steps, status, GitHub outputs and summary, the folder it ran in."""

    steps: list[StepRun]
    cwd: Path
    outputs: dict[str, str]
    summary: str

    @property
    def status(self) -> int:
        """The first failing step's exit status, else 0."""
        return next((step.status for step in self.steps if step.ran and step.status != 0), 0)

    def step(self, name: str) -> StepRun:
        """The run of the step so named."""
        return next(step for step in self.steps if step.name == name)

    def output(self) -> str:
        """Everything the steps printed, for a failure's message."""
        return "\n".join(f"--- {s.name} (exit {s.status})\n{s.stdout}{s.stderr}" for s in self.steps if s.ran)


def recipe_paths() -> list[Path]:
    """Every recipe file under docs/ci/."""
    return sorted(path for path in RECIPES.rglob("*.yml"))


def platform_of(path: Path) -> Platform:
    """github or gitlab, by the recipe's folder."""
    folder = path.relative_to(RECIPES).parts[0]
    assert folder in ("github", "gitlab"), f"{path}: a recipe lives in docs/ci/github/ or docs/ci/gitlab/"
    return "github" if folder == "github" else "gitlab"


def load_jobs(path: Path) -> list[Job]:
    """The jobs of one recipe file."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    if platform_of(path) == "github":
        return [_github_job(path, name, job, document.get("env") or {}) for name, job in document["jobs"].items()]
    return [_gitlab_job(path, name, job) for name, job in document.items() if isinstance(job, dict) and "script" in job]


def _github_job(path: Path, name: str, job: Mapping[str, Any], workflow_env: Mapping[str, str]) -> Job:
    steps = tuple(
        Step(
            name=step.get("name") or step.get("uses") or step["run"].splitlines()[0],
            run=step.get("run"),
            uses=step.get("uses"),
            inputs=step.get("with") or {},
            env={key: str(value) for key, value in (step.get("env") or {}).items()},
            condition=step.get("if"),
            id=step.get("id"),
        )
        for step in job["steps"]
    )
    env = {key: str(value) for key, value in {**workflow_env, **(job.get("env") or {})}.items()}
    return Job(path, "github", name, env, steps, job)


def _gitlab_job(path: Path, name: str, job: Mapping[str, Any]) -> Job:
    lines = [*job.get("before_script", []), *job["script"]]
    steps = [Step(name="script", run="\n".join(lines))]
    if job.get("after_script"):
        steps.append(Step(name="after_script", run="\n".join(job["after_script"]), condition="always()"))
    env = {key: str(value) for key, value in (job.get("variables") or {}).items()}
    return Job(path, "gitlab", name, env, tuple(steps), job)


def logical_lines(script: str) -> list[str]:
    """The script's lines with backslash continuations joined."""
    joined: list[str] = []
    pending = ""
    for line in script.splitlines():
        if line.endswith("\\"):
            pending += line[:-1]
            continue
        joined.append(pending + line)
        pending = ""
    if pending:
        joined.append(pending)
    return joined


def cut_at_operator(line: str) -> str:
    """The command before the first unquoted `|`, `&`, `;`, `<`, `>` or comment: what one program is asked."""
    quote = ""
    index = 0
    while index < len(line):
        char = line[index]
        if quote == "'":
            quote = "" if char == "'" else quote
        elif char == "\\":
            index += 1
        elif quote == '"':
            quote = "" if char == '"' else quote
        elif char in "'\"":
            quote = char
        elif char in "|&;<>" or (char == "#" and (index == 0 or line[index - 1].isspace())):
            return line[:index].rstrip()
        index += 1
    return line.rstrip()


def expand(value: str, platform: Platform, values: Mapping[str, str]) -> str:
    """A value with its expressions (GitHub `${{ x }}`) or variables (GitLab `$X`) replaced; an unknown one fails."""
    pattern = EXPRESSION if platform == "github" else GITLAB_VARIABLE

    def known(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in values, f"{value!r}: {name} has no test value (add it to the test's table)"
        return values[name]

    return pattern.sub(known, value)


def stand_in(script: str) -> str:
    """The script as it runs here: installs done, the frontend's commands replaced, a hook after the mock starts."""
    lines: list[str] = []
    for line in logical_lines(script):
        if any(install in line for install in INSTALLS):
            lines.append("true  # harness: installed in the test's venv already")
            continue
        for command, replacement in FRONTEND.items():
            line = line.replace(command, replacement)
        lines.append(line)
        if MOCK_LINE.match(line):
            log = re.search(r">\s*([^\s&]+)", line)
            assert log is not None, f"{line!r}: the mock's stdout goes to no file the harness can read"
            lines.append(f"__sendstat_mock_started {log.group(1)}")
    return PREAMBLE + "\n".join(lines) + "\n"


def run_job(
    job: Job,
    cwd: Path,
    values: Mapping[str, str],
    extra_env: Mapping[str, str] | None = None,
    *,
    frontend_status: int = 0,
) -> JobRun:
    """Run the job's scripts here in order, each as its CI would run it; stop the mock it left, if any."""
    harness = cwd / ".harness"
    harness.mkdir(exist_ok=True)
    files = {name: harness / name for name in ("GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_ENV")}
    for path in files.values():
        path.touch()
    base = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONUNBUFFERED": "1",
        "HARNESS_DIR": str(harness),
        "HARNESS_FRONTEND_STATUS": str(frontend_status),
        **({key: str(path) for key, path in files.items()} if job.platform == "github" else {}),
        **{key: expand(value, job.platform, values) for key, value in job.env.items()},
        **(extra_env or {}),
    }
    base["MOCK_PORT"] = "0"  # the recipe's fixed port is this test's port 0
    runs: list[StepRun] = []
    failed = False
    try:
        for step in job.steps:
            if step.run is None or not _runs(step.condition, failed=failed):
                runs.append(StepRun(step.name, ran=False))
                continue
            env = {**base, **{key: expand(value, job.platform, values) for key, value in step.env.items()}}
            env.update(_github_env(files["GITHUB_ENV"]))
            done = subprocess.run(
                [*BASH, "-c", stand_in(step.run)],
                cwd=cwd,
                env=env,
                capture_output=True,
                text=True,
                timeout=STEP_SECONDS,
                check=False,
                start_new_session=True,
            )
            runs.append(StepRun(step.name, True, done.returncode, done.stdout, done.stderr))
            failed = failed or done.returncode != 0
    finally:
        _stop_leftover_mock(harness)
    outputs = dict(line.split("=", 1) for line in files["GITHUB_OUTPUT"].read_text().splitlines() if "=" in line)
    return JobRun(runs, cwd, outputs, files["GITHUB_STEP_SUMMARY"].read_text())


def mock_stopped(cwd: Path) -> bool:
    """Whether the mock the job started (if any) has exited by the end of the job."""
    return not (cwd / ".harness" / "mock.leftover").exists()


def _runs(condition: str | None, *, failed: bool) -> bool:
    """Whether a GitHub step runs, by its `if:` and whether a step before it failed."""
    if condition is None:
        return not failed
    bare = EXPRESSION.sub(lambda match: match.group(1), condition).strip()
    known = {"failure()": failed, "always()": True, "!cancelled()": True, "success()": not failed}
    assert bare in known, f"if: {condition!r} is a condition the harness does not know"
    return known[bare]


def _github_env(path: Path) -> dict[str, str]:
    """The variables earlier steps wrote to GITHUB_ENV (NAME=value lines)."""
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)


def _stop_leftover_mock(harness: Path) -> None:
    """Wait for the recipe's own stop to end the mock; kill it (and note it) if the recipe left it running."""
    pid_file = harness / "mock.pid"
    if not pid_file.exists():
        return
    pid = int(pid_file.read_text())
    deadline = time.monotonic() + STOP_SECONDS
    while _alive(pid):
        if time.monotonic() > deadline:
            (harness / "mock.leftover").touch()
            os.killpg(os.getpgid(pid), signal.SIGKILL)
            return
        time.sleep(0.05)  # a poll with a deadline: the mock's graceful stop takes up to its --graceful-timeout


def _alive(pid: int) -> bool:
    """Whether a process runs (a zombie waiting for its reaper does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state not in ("Z", "X")
