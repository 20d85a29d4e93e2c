"""`sendstat check` from the command line (contract/cli.py): verdicts, reports, usage and setup errors."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from sendstat.cli import main
from tests._workflow_commands import runner_commands
from tests.contract.conftest import Check
from tests.contract.faults.catalogue import CASES
from tests.contract.faults.serve import AUTH, Running, build, serving

SECRET = AUTH["X-Estis-Auth"]


@pytest.mark.slow
@pytest.mark.parametrize("server", ["reference", "mock"])
def test_correct_servers_pass(server: str, matrix: Running, check: Check, tmp_path: Path) -> None:
    """The reference server and the project's mock pass: exit 0, PASS, both report files, no secret anywhere."""
    junit = tmp_path / "junit.xml"
    outcome = check(matrix.url(server), "--junit", str(junit))
    assert outcome.exit == 0, outcome.stdout
    assert outcome.stdout.startswith("sendstat check: PASS")
    assert outcome.report["verdict"] == "pass"
    assert ET.parse(junit).getroot().tag == "testsuites"  # noqa: S314 - our own output
    for text in (outcome.stdout, outcome.stderr, junit.read_text(encoding="utf-8"), str(outcome.report)):
        assert SECRET not in text


@pytest.mark.slow
def test_only_get_is_sent(matrix: Running, check: Check) -> None:
    """The suite (schemathesis included) sends nothing but GET: the API is read-only."""
    check(matrix.url("reference"))
    assert set(matrix.methods.seen) == {"GET"}


@pytest.mark.slow
def test_progress_goes_to_stderr_and_the_report_to_stdout(matrix: Running) -> None:
    """Run as a program, the stages of the run show on stderr and the human report on stdout."""
    progress = main_with_progress(matrix.url("reference"))
    assert progress.returncode == 0, progress.stdout + progress.stderr
    assert "schemathesis: fuzzing" in progress.stderr
    assert progress.stdout.startswith("sendstat check: PASS")
    assert "[sendstat" not in progress.stdout


def main_with_progress(base_url: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m sendstat check` in a subprocess with progress on."""
    return subprocess.run(
        [sys.executable, "-m", "sendstat", "check", "--base-url", base_url, f"--header=X-Estis-Auth: {SECRET}",
         "--max-examples", "3", "--seed", "1"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip


@pytest.mark.slow
def test_empty_account_without_known_id_says_so(matrix: Running, check: Check) -> None:
    """An empty index without --known-id passes and the report says the view was not judged on a mailing."""
    outcome = check(matrix.url("empty-account"))
    assert outcome.exit == 0
    assert any("--known-id" in note for note in outcome.report["notes"])


@pytest.mark.slow
def test_known_id_lets_an_empty_index_test_the_view(matrix: Running, check: Check) -> None:
    """With an empty index, --known-id names the mailing whose view is judged (a wrong one fails)."""
    assert check(matrix.url("unlisted"), "--known-id", "42").exit == 0
    outcome = check(matrix.url("empty-account"), "--known-id", "42")
    assert outcome.exit == 1
    assert "status-code" in outcome.rules


@pytest.mark.slow
def test_production_profile_is_bounded(matrix: Running, check: Check) -> None:
    """The production profile sends a bounded number of requests and still passes a correct server."""
    outcome = check(matrix.url("reference"), "--profile", "production", "--rate-limit", "200/s")
    assert outcome.exit == 0, outcome.stdout
    assert sum(outcome.report["requests"].values()) < 150


def test_invalid_document_is_exit_2_before_any_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], closed_url: str
) -> None:
    """An invalid --spec is exit 2 with one line naming the document, before any network use."""
    spec = tmp_path / "broken.yaml"
    spec.write_text("openapi: 3.1.0\ninfo: {}\npaths: {}\n", encoding="utf-8")
    assert main(["check", "--base-url", closed_url, "--spec", str(spec), "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"sendstat check: error: {spec}: invalid OpenAPI 3.1")
    assert "\n" not in err


def test_a_hung_name_lookup_is_exit_2_within_the_timeout(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A resolver that never answers (getaddrinfo has no timeout) is `cannot reach` at --timeout, not a hang."""
    real = socket.getaddrinfo

    def lookup(name: Any, *args: Any, **kwargs: Any) -> Any:
        if name == "silent-resolver.invalid":
            time.sleep(30)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    started = time.monotonic()
    assert main(["check", "--base-url", "http://silent-resolver.invalid", "--timeout", "1", "--quiet"]) == 2
    assert time.monotonic() - started < 5
    err = capsys.readouterr().err
    assert err.startswith("sendstat check: error: cannot reach http://silent-resolver.invalid: connection failed:")
    assert "no connection within 1 s (name lookup or connect)" in err


def test_unreachable_server_is_exit_2(closed_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A server nobody answers for is exit 2 with one line saying so."""
    assert main(["check", "--base-url", closed_url, "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"sendstat check: error: cannot reach {closed_url}: connection failed:")
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--base-url", "ftp://x"], "--base-url"),
        (["--base-url", "http://x", "--rate-limit", "fast"], "--rate-limit"),
        (["--base-url", "http://x", "--header", "X-Estis-Auth=" + SECRET], "--header"),
        (["--base-url", "http://x", "--timeout", "0"], "--timeout"),
        (["--base-url", "http://x", "--spec", "/nonexistent.yaml"], "cannot read the contract"),
        (["--base-url", "http://[::1"], "--base-url"),
        (["--base-url", "http://127.0.0.1:99999"], "--base-url"),
        (["--base-url", "http://127.0.0.1:8000/api?key=" + SECRET], "query or fragment"),
        (["--base-url", "http://127.0.0.1:8000/api#top"], "query or fragment"),
        (["--base-url", "http://x", "--header", f"X-Estis-Auth: {SECRET}\r\nX-Other: 1"], "--header"),
        (["--base-url", "http://x", "--header", f"X-Estis-Auth: {SECRET}\n"], "--header"),
        (["--base-url", "http://x", "--budget", "-5"], "--budget"),
        (["--base-url", "http://x", "--budget", "nan"], "--budget"),
        (["--base-url", "http://x", "--max-body", "lots"], "--max-body"),
        (["--base-url", "http://x", "--max-latency", "0"], "--max-latency"),
    ],
)
def test_usage_and_network_errors_are_exit_2(
    args: list[str], fragment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Bad options and a missing document are exit 2 with one clear line: no traceback, no secret."""
    assert main(["check", *args, "--quiet"]) == 2
    err = capsys.readouterr().err
    assert fragment in err
    assert len(err.strip().splitlines()) == 1
    assert SECRET not in err
    assert err.startswith("sendstat check: error: ")


@pytest.mark.slow
def test_refused_credentials_are_exit_2(matrix: Running, check: Check) -> None:
    """A server that answers 401 without the key is exit 2 with a hint, not a contract failure."""
    outcome = check(matrix.url("reference"), auth=False)
    assert outcome.exit == 2
    assert "--header 'X-Estis-Auth: KEY'" in outcome.stderr


@pytest.mark.slow
def test_same_seed_same_inputs(matrix: Running, check: Check) -> None:
    """Two runs with the same --seed send the same number of requests (reproducible inputs)."""
    first = check(matrix.url("reference"), "--seed", "3")
    second = check(matrix.url("reference"), "--seed", "3")
    assert first.report["requests"] == second.report["requests"]
    assert first.report["seed"] == 3


@pytest.mark.slow
def test_a_path_prefix_is_kept_everywhere(check: Check) -> None:
    """Under a base URL with a path, every request (schemathesis' too) and every curl line keeps the prefix."""
    (case,) = [case for case in CASES if case.name == "sort-field-400"]
    with serving(build([case])) as running:
        base_url = running.url(case.name)
        running.methods.prefixes.clear()  # the readiness poll's request
        outcome = check(base_url)
        assert set(running.methods.prefixes) == {case.name}, running.methods.prefixes
    requests = [finding["request"] for finding in outcome.report["findings"] if finding["request"]]
    assert {request["sent_by"].split("/")[0] for request in requests} >= {"schemathesis"}
    for request in requests:
        assert request["url"].startswith(base_url + "/mailer/sendstatistics")
        assert f"'{base_url}/mailer/sendstatistics" in request["curl"]


def test_a_server_not_judged_still_writes_its_reports(
    closed_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Exit 2 writes --junit (one <error> saying why) and --json (verdict error); stdout stays empty."""
    junit, report = tmp_path / "junit.xml", tmp_path / "report.json"
    code = main(["check", "--base-url", closed_url, "--junit", str(junit), "--json", str(report), "--quiet"])
    assert code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1
    error = ET.parse(junit).getroot().find("testsuite/testcase/error")  # noqa: S314 - our own output
    assert error is not None
    assert (error.get("message") or "").startswith(f"could not judge the server: cannot reach {closed_url}")
    data = json.loads(report.read_text(encoding="utf-8"))
    assert (data["verdict"], data["exit_code"], data["base_url"]) == ("error", 2, closed_url)
    assert data["error"] == captured.err.strip().removeprefix("sendstat check: error: ")


def test_a_bad_base_url_is_reported_without_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A --base-url that does not read (it may hold a key) is not repeated in the reports of exit 2."""
    report = tmp_path / "report.json"
    url = f"http://127.0.0.1:8000/api?key={SECRET}"
    assert main(["check", "--base-url", url, "--json", str(report), "--quiet"]) == 2
    capsys.readouterr()
    text = report.read_text(encoding="utf-8")
    assert SECRET not in text
    assert json.loads(text)["base_url"] == ""


def test_format_github_when_not_judged(closed_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """With --format github, exit 2 is one ::error annotation on stdout beside the usual line on stderr."""
    assert main(["check", "--base-url", closed_url, "--format", "github", "--quiet"]) == 2
    captured = capsys.readouterr()
    (command,) = runner_commands(captured.out)
    assert (command.name, command.properties["title"]) == ("error", "sendstat check: could not judge")
    assert command.message.startswith(f"cannot reach {closed_url}")


@pytest.mark.slow
def test_format_github_annotates_each_finding(matrix: Running, check: Check) -> None:
    """Against a broken server, --format github prints the human report and one ::error per broken rule."""
    outcome = check(matrix.url("view-id-off"), "--format", "github")
    assert outcome.exit == 1
    assert "sendstat check: FAIL" in outcome.stdout
    commands = runner_commands(outcome.stdout)
    assert {command.name for command in commands} == {"error"}
    assert {command.properties["title"] for command in commands} == set(outcome.rules)
    assert all("Received" in command.message and "Documented" in command.message for command in commands)
    assert SECRET not in outcome.stdout
