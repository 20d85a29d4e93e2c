"""Tests that keep README.md's quickstart true: its commands are the ones CI and the CLI run."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from contract.spec import Contract
from mockserver.http.app import create_app

ROOT = Path(__file__).resolve().parent.parent


def quickstart_commands() -> list[str]:
    """The shell commands of README.md's Quickstart section, in order."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section, flags=re.DOTALL)


def test_quickstart_has_exactly_two_commands() -> None:
    """The quickstart is two one-line commands: start the mock, run the tests."""
    commands = quickstart_commands()
    assert len(commands) == 2
    assert all("\n" not in command for command in commands)


def test_ci_runs_the_readme_test_command() -> None:
    """.ci/run runs the README's test command verbatim, as a line of its own."""
    test_command = quickstart_commands()[1]
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in ci_lines
    assert "pytest" in test_command


def test_mock_command_starts_the_default_mock() -> None:
    """The README's first command installs the package and ends in `sendstat mock` with no options."""
    steps = [shlex.split(step) for step in quickstart_commands()[0].split("&&")]
    assert steps[0][:3] == ["python3", "-m", "venv"]
    assert "install" in steps[1]
    assert steps[-1] == [".venv/bin/sendstat", "mock"]


def test_both_commands_use_the_same_venv() -> None:
    """Both commands set up the same .venv, so running one after the other works."""
    first, second = quickstart_commands()
    assert first.split("&&")[0].strip() == second.split("&&")[0].strip() == "python3 -m venv .venv"


def usage_examples() -> list[list[str]]:
    """The curl commands of README.md's "Using the mock" section, split into words."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Using the mock", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.+?)\n```", section, flags=re.DOTALL)
    return [shlex.split(line) for block in blocks for line in block.splitlines() if line.startswith("curl ")]


@pytest.mark.parametrize("words", usage_examples(), ids=lambda words: " ".join(words[1:]))
def test_usage_examples_answer_on_the_default_mock(words: list[str], contract: Contract) -> None:
    """Each curl example of the README gets a 200 from the default mock, valid per the contract, without warning."""
    url = urlsplit(next(word for word in words[1:] if word.startswith("http")))
    query = [tuple(words[i + 1].split("=", 1)) for i, word in enumerate(words) if word == "--data-urlencode"]
    client = create_app({"TESTING": True, "SENDSTAT_CONTRACT": contract}).test_client()
    response = client.get(url.path, query_string=query)
    assert response.status_code == 200
    assert "X-Mock-Warning" not in response.headers
    template = "/mailer/sendstatistics/{id}" if url.path.count("/") == 3 else "/mailer/sendstatistics"
    assert contract.response_validator(template, 200).is_valid(response.get_json())


def test_usage_examples_are_found() -> None:
    """The README shows the index and a view with fields."""
    assert len(usage_examples()) >= 2


def scenario_section() -> str:
    """README.md's Scenarios section."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("## Scenarios", 1)[1].split("\n## ", 1)[0]


def test_readme_lists_every_shipped_scenario() -> None:
    """The README names exactly the scenario files shipped in scenarios/."""
    shipped = {path.stem for path in (ROOT / "scenarios").glob("*.yaml")}
    listed = set(re.findall(r"`([a-z0-9-]+)`", scenario_section().split("Shipped:", 1)[1].split("(`", 1)[0]))
    assert listed == shipped


def test_switch_command_switches_the_mock(contract: Contract) -> None:
    """The README's one-command switch makes the running mock serve the named scenario."""
    words = next(shlex.split(line) for line in scenario_section().splitlines() if line.startswith("curl -X PUT"))
    method, body = words[words.index("-X") + 1], words[words.index("-d") + 1]
    url = urlsplit(words[-1])
    client = create_app({"TESTING": True, "SENDSTAT_CONTRACT": contract}).test_client()
    switched = client.open(url.path, method=method, data=body, content_type="application/json")
    assert switched.status_code == 200
    served = client.get("/mailer/sendstatistics/1")
    assert served.headers["X-Mock-Scenario"] == json.loads(body)["name"]
