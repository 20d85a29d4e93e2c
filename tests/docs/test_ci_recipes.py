"""The CI recipes of docs/ci/ stay true: valid for their CI, read by today's CLI, and their jobs run against a mock."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from sendstat.cli import build_parser
from tests._sockets import closed_url
from tests._workflow_commands import runner_commands
from tests.contract.faults.catalogue import CASES
from tests.contract.faults.serve import AUTH, build, serving
from tests.docs._recipes import (
    RECIPES,
    ROOT,
    Job,
    JobRun,
    Platform,
    expand,
    load_jobs,
    mock_stopped,
    platform_of,
    recipe_paths,
    run_job,
)
from tests.robustness._mock import start_mock

KEY = AUTH["X-Estis-Auth"]  # the fault servers' key; the mock takes any
PLATFORMS: tuple[Platform, ...] = ("github", "gitlab")
SCHEMAS = {"github": "vendor.github-workflows", "gitlab": "vendor.gitlab-ci"}
JOBS = [job for path in recipe_paths() for job in load_jobs(path)]
VENV_BIN = Path(sys.executable).parent


def job_id(job: Job) -> str:
    """A test id: the recipe's path under docs/ci/ and the job's name."""
    return f"{job.path.relative_to(RECIPES)}:{job.name}"


def job_running(platform: Platform, subcommand: str) -> Job:
    """The one job of a platform's recipes that runs `sendstat SUBCOMMAND`."""
    (job,) = [job for job in JOBS if job.platform == platform and job.commands(f"sendstat {subcommand}")]
    return job


def values(staging_url: str) -> dict[str, str]:
    """Test values of what a CI fills in: secrets, variables, run numbers."""
    return {
        "vars.STAGING_URL": staging_url,
        "secrets.ESTIS_API_KEY": KEY,
        "github.run_id": "4242",
        "github.run_attempt": "1",
        "github.event.workflow_run.head_sha || github.sha": "0" * 40,
        "CI_PIPELINE_ID": "4242",
        "CI_JOB_ID": "7",
    }


def project_variables(job: Job, staging_url: str) -> dict[str, str]:
    """GitLab's CI/CD variables of the project (the secret store), which no recipe file holds."""
    return {"STAGING_URL": staging_url, "ESTIS_API_KEY": KEY} if job.platform == "gitlab" else {}


# --- the recipes as files ---------------------------------------------------------------------------------


def test_each_platform_has_a_contract_check_and_a_mock_for_e2e() -> None:
    """GitHub and GitLab each get a job running `sendstat check` and one running the mock beside the tests."""
    for platform in PLATFORMS:
        assert job_running(platform, "check").commands("sendstat check")
        e2e = job_running(platform, "mock")
        assert [command.split()[1] for command in e2e.commands()] == ["mock", "wait"]


@pytest.mark.parametrize("path", recipe_paths(), ids=lambda path: str(path.relative_to(RECIPES)))
def test_recipe_is_valid_for_its_ci(path: Path) -> None:
    """Each recipe parses and validates against its CI's published schema (check-jsonschema's copy)."""
    schema = SCHEMAS[platform_of(path)]
    done = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("job", JOBS, ids=job_id)
def test_scripts_pass_shellcheck(job: Job) -> None:
    """Every script of the recipes is clean for shellcheck (quoting, exit codes), as bash runs it."""
    for script in job.scripts:
        done = subprocess.run(
            [str(VENV_BIN / "shellcheck"), "--shell=bash", "-"],
            input=script,
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        assert done.returncode == 0, f"{script}\n{done.stdout}"


@pytest.mark.parametrize("job", [job for job in JOBS if job.platform == "github"], ids=job_id)
def test_github_scripts_take_values_from_env_only(job: Job) -> None:
    """No ${{ }} expression inside a script: secrets and variables come in through env (no script injection)."""
    for script in job.scripts:
        assert "${{" not in script


COMMANDS = [(job, command) for job in JOBS for command in job.commands()]


def shell_values(job: Job) -> dict[str, str]:
    """What the job's shell variables hold in CI, with test values for secrets and variables."""
    staging = "https://staging.example.test"
    found = {**project_variables(job, staging), "STAGING_URL": staging, "ESTIS_API_KEY": KEY}
    for env in (job.env, *(step.env for step in job.steps)):
        found.update({name: expand(value, job.platform, values(staging)) for name, value in env.items()})
    return found


@pytest.mark.parametrize(("job", "command"), COMMANDS, ids=[f"{job_id(j)}:{c.split()[1]}" for j, c in COMMANDS])
def test_every_sendstat_command_reads_with_todays_cli(
    job: Job, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each `sendstat` command of the recipes names a subcommand and options the CLI has, with values it reads."""
    known = shell_values(job)

    def value(match: re.Match[str]) -> str:
        assert match.group(1) in known, f"{command}: ${match.group(1)} is set nowhere in the recipe"
        return known[match.group(1)]

    words = [re.sub(r"\$\{?(\w+)\}?", value, word) for word in shlex.split(command)]
    try:
        build_parser().parse_args(words[1:])
    except SystemExit:
        pytest.fail(f"{command}\n{capsys.readouterr().err}")


def test_the_mocks_port_is_the_one_in_its_url() -> None:
    """MOCK_URL, which the tests and `sendstat wait` read, names MOCK_PORT, where the mock listens."""
    for platform in PLATFORMS:
        env = job_running(platform, "mock").env
        assert env["MOCK_URL"] == f"http://127.0.0.1:{env['MOCK_PORT']}"


def _check_words(job: Job) -> list[str]:
    (command,) = job.commands("sendstat check")
    return shlex.split(command)


def _option(words: list[str], name: str) -> str:
    return words[words.index(name) + 1]


@pytest.mark.parametrize("platform", PLATFORMS)
def test_the_check_reads_the_key_from_the_secret_store(platform: Platform) -> None:
    """The check runs with --profile production and the key from the CI's secrets, never from the file."""
    job = job_running(platform, "check")
    words = _check_words(job)
    assert _option(words, "--profile") == "production"
    assert _option(words, "--header") == "X-Estis-Auth: $ESTIS_API_KEY"
    assert _option(words, "--base-url") == "$STAGING_URL"
    assert "ESTIS_API_KEY" not in job.env
    if platform == "github":
        (step,) = [step for step in job.steps if step.id == "check"]
        assert step.env["ESTIS_API_KEY"] == "${{ secrets.ESTIS_API_KEY }}"
        assert _option(words, "--format") == "github"


def kept_reports(job: Job) -> tuple[str, set[str]]:
    """The JUnit file the CI shows as the test report, and the files it keeps as artifacts."""
    if job.platform == "gitlab":
        artifacts = job.raw["artifacts"]
        return artifacts["reports"]["junit"], set(artifacts["paths"])
    (report,) = [step for step in job.steps if (step.uses or "").startswith("mikepenz/action-junit-report@")]
    (upload,) = [step for step in job.steps if (step.uses or "").startswith("actions/upload-artifact@")]
    return report.inputs["report_paths"], set(upload.inputs["path"].split())


@pytest.mark.parametrize("platform", PLATFORMS)
def test_the_reports_kept_are_the_ones_written(platform: Platform) -> None:
    """The test report is the check's --junit file, and the artifacts keep it and the --json file."""
    job = job_running(platform, "check")
    words = _check_words(job)
    junit, kept = kept_reports(job)
    assert junit == _option(words, "--junit")
    assert kept == {_option(words, "--junit"), _option(words, "--json")}


def test_the_ci_doc_shows_each_recipe_whole() -> None:
    """docs/ci.md links every recipe file and shows it verbatim, so that copying either gives the same."""
    doc = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    for path in recipe_paths():
        relative = path.relative_to(ROOT / "docs").as_posix()
        assert f"]({relative})" in doc
        assert f"```yaml\n{path.read_text(encoding='utf-8')}```" in doc


def test_the_readme_links_the_ci_doc() -> None:
    """The README points CI users to docs/ci.md."""
    assert "](docs/ci.md)" in (ROOT / "README.md").read_text(encoding="utf-8")


# --- the recipes' jobs, run ---------------------------------------------------------------------------------
# Each job runs once per case, all of them at the same time: the production profile paces itself at 5
# requests/s, so the runs mostly wait, and side by side they take the time of the longest.

SERVERS = ("correct", "broken", "down")


@dataclass(frozen=True)
class Ran:
    """A job's run and the folder it ran in."""

    run: JobRun
    cwd: Path


def run_contract_job(platform: Platform, staging_url: str, cwd: Path) -> Ran:
    """Run a platform's contract-check job against a server."""
    job = job_running(platform, "check")
    return Ran(run_job(job, cwd, values(staging_url), project_variables(job, staging_url)), cwd)


@pytest.fixture(scope="module")
def contract_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[Platform, str], Ran]:
    """Each platform's contract job against a correct service (the mock), a broken one, and one that is down."""
    (case,) = [case for case in CASES if case.name == "listed-id-404"]
    mock = start_mock(["--scenario", "single", "--quiet"], tmp_path_factory.mktemp("mock") / "stderr.log")
    try:
        with serving(build([case])) as broken, ThreadPoolExecutor(max_workers=2 * len(SERVERS)) as pool:
            urls = {"correct": mock.url, "broken": broken.url(case.name), "down": closed_url()}
            started = {
                (platform, server): pool.submit(
                    run_contract_job, platform, urls[server], tmp_path_factory.mktemp(f"{platform}-{server}")
                )
                for platform in PLATFORMS
                for server in SERVERS
            }
            return {key: future.result() for key, future in started.items()}
    finally:
        assert mock.stop() == 0


def reports(platform: Platform, cwd: Path) -> tuple[ET.Element, dict[str, Any]]:
    """The JUnit root and the JSON report the job left where its CI picks them up."""
    junit, kept = kept_reports(job_running(platform, "check"))
    json_path = next(path for path in kept if path.endswith(".json"))
    root = ET.parse(cwd / junit).getroot()  # noqa: S314 - our own output
    return root, json.loads((cwd / json_path).read_text(encoding="utf-8"))


def said(run: JobRun, platform: Platform) -> str:
    """How the job names its verdict: GitHub's `verdict` output, or the GitLab job's verdict line."""
    if platform == "github":
        assert run.outputs["verdict"] in run.summary
        return run.outputs["verdict"]
    match = re.search(r"^sendstat check: (pass|fail|could not judge)\b", run.output(), re.MULTILINE)
    assert match, run.output()
    return match.group(1).replace(" ", "-")


@pytest.mark.slow
@pytest.mark.parametrize("server", SERVERS)
@pytest.mark.parametrize("platform", PLATFORMS)
def test_contract_job_runs_its_sendstat_commands_and_keeps_the_key_secret(
    platform: Platform, server: str, contract_runs: dict[tuple[Platform, str], Ran]
) -> None:
    """Every step holding a sendstat command ran, and the key appears in no output and no report."""
    ran = contract_runs[platform, server]
    job = job_running(platform, "check")
    for step, done in zip(job.steps, ran.run.steps, strict=True):
        assert done.ran or "sendstat " not in (step.run or ""), f"{step.name} holds a sendstat command, not run"
    written = "".join(path.read_text(errors="replace") for path in ran.cwd.glob("sendstat-*"))
    assert written
    assert KEY not in ran.run.output() + written


@pytest.mark.slow
@pytest.mark.parametrize("platform", PLATFORMS)
def test_contract_job_passes_a_correct_service(
    platform: Platform, contract_runs: dict[tuple[Platform, str], Ran]
) -> None:
    """Against the mock the check job passes: exit 0, verdict pass, a JUnit without failures and a JSON report."""
    run, cwd = contract_runs[platform, "correct"].run, contract_runs[platform, "correct"].cwd
    assert run.status == 0, run.output()
    assert said(run, platform) == "pass"
    junit, data = reports(platform, cwd)
    assert (junit.get("failures"), junit.get("errors")) == ("0", "0")
    assert (data["verdict"], data["profile"]) == ("pass", "production")
    if platform == "github":
        assert run.output().count("::stop-commands::") == 1
        assert "sendstat check: PASS" in run.output()


@pytest.mark.slow
@pytest.mark.parametrize("platform", PLATFORMS)
def test_contract_job_fails_a_broken_service(
    platform: Platform, contract_runs: dict[tuple[Platform, str], Ran]
) -> None:
    """Against a service whose index lists an id that answers 404, the job fails (exit 1) naming the rule."""
    run, cwd = contract_runs[platform, "broken"].run, contract_runs[platform, "broken"].cwd
    assert run.status == 1, run.output()
    assert said(run, platform) == "fail"
    junit, data = reports(platform, cwd)
    failures = {case.get("name"): case.find("failure") for case in junit.iter("testcase")}
    failure = failures["index-detail-agree"]
    assert failure is not None
    assert "Documented" in (failure.get("message") or "")
    assert "index-detail-agree" in data["rules"]
    if platform == "github":
        titles = {command.properties.get("title") for command in runner_commands(run.step("Check the contract").stdout)}
        assert "index-detail-agree" in titles


@pytest.mark.slow
@pytest.mark.parametrize("platform", PLATFORMS)
def test_contract_job_could_not_judge_a_service_that_is_down(
    platform: Platform, contract_runs: dict[tuple[Platform, str], Ran]
) -> None:
    """Against a port nobody listens on the job fails with exit 2, says "could not judge", and the JUnit says why."""
    run, cwd = contract_runs[platform, "down"].run, contract_runs[platform, "down"].cwd
    assert run.status == 2, run.output()
    assert said(run, platform) == "could-not-judge"
    junit, data = reports(platform, cwd)
    assert (junit.get("tests"), junit.get("errors")) == ("1", "1")
    assert (data["verdict"], data["exit_code"]) == ("error", 2)
    if platform == "github":
        (command,) = runner_commands(run.step("Check the contract").stdout)
        assert command.properties["title"] == "sendstat check: could not judge"


OUTCOMES = ("tests pass", "tests fail")


@pytest.fixture(scope="module")
def e2e_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[Platform, str], Ran]:
    """Each platform's e2e job, with its own mock, once with the frontend's tests passing and once failing."""
    with ThreadPoolExecutor(max_workers=2 * len(OUTCOMES)) as pool:
        started = {
            (platform, outcome): pool.submit(
                _run_e2e_job, platform, tmp_path_factory.mktemp(f"{platform}-e2e"), outcome == "tests pass"
            )
            for platform in PLATFORMS
            for outcome in OUTCOMES
        }
        return {key: future.result() for key, future in started.items()}


def _run_e2e_job(platform: Platform, cwd: Path, tests_pass: bool) -> Ran:
    """Run a platform's e2e job: its own mock, a stand-in for the frontend's tests that passes or fails."""
    return Ran(run_job(job_running(platform, "mock"), cwd, values(""), frontend_status=0 if tests_pass else 1), cwd)


@pytest.mark.slow
@pytest.mark.parametrize("outcome", OUTCOMES)
@pytest.mark.parametrize("platform", PLATFORMS)
def test_e2e_job_starts_waits_for_and_stops_its_mock(
    platform: Platform, outcome: str, e2e_runs: dict[tuple[Platform, str], Ran]
) -> None:
    """The job starts the mock with its scenario, waits until it answers, opens the session, and stops the mock."""
    ran = e2e_runs[platform, outcome]
    job = job_running(platform, "mock")
    for step, done in zip(job.steps, ran.run.steps, strict=True):
        assert done.ran or "sendstat " not in (step.run or ""), f"{step.name} holds a sendstat command, not run"
    assert mock_stopped(ran.cwd), f"the recipe left its mock running\n{ran.run.output()}"
    log = (ran.cwd / "mock.log").read_text(encoding="utf-8")
    assert "Traceback" not in log
    assert f"(scenario {job.env['MOCK_SCENARIO']}," in log.splitlines()[0]
    output = ran.run.output()
    assert re.search(r"^sendstat wait: http://127\.0\.0\.1:\d+/health answered 200 after ", output, re.MULTILINE)
    session = json.loads(re.findall(r'^\{"clock".*$', output, re.MULTILINE)[0])
    assert session["id"] == expand(job.env["MOCK_SESSION"], platform, values(""))


@pytest.mark.slow
@pytest.mark.parametrize("platform", PLATFORMS)
def test_e2e_job_passes_when_the_tests_pass(platform: Platform, e2e_runs: dict[tuple[Platform, str], Ran]) -> None:
    """With passing tests the job passes and prints no journal."""
    run = e2e_runs[platform, "tests pass"].run
    assert run.status == 0, run.output()
    assert "The mock's journal" not in run.output()
    if platform == "github":
        assert not run.step("The mock's journal of this run").ran


@pytest.mark.slow
@pytest.mark.parametrize("platform", PLATFORMS)
def test_e2e_job_prints_the_journal_when_the_tests_fail(
    platform: Platform, e2e_runs: dict[tuple[Platform, str], Ran]
) -> None:
    """When the tests fail, the job fails and prints the journal of its session: each request the tests made."""
    run = e2e_runs[platform, "tests fail"].run
    job = job_running(platform, "mock")
    assert run.status == 1, run.output()
    shown = run.step("The mock's journal of this run").stdout if platform == "github" else run.output()
    journal, _ = json.JSONDecoder().raw_decode(shown[shown.index('{\n    "count"') :])
    session = expand(job.env["MOCK_SESSION"], platform, values(""))
    assert [(entry["path"], entry["status"], entry["session"]) for entry in journal["entries"]] == [
        ("/mailer/sendstatistics", 200, session),
        ("/mailer/sendstatistics/999999999", 404, session),
    ]
    assert {entry["scenario"] for entry in journal["entries"]} == {job.env["MOCK_SCENARIO"]}
