"""Tests of mockserver.scenario.cli: `sendstat scenario validate` and `sendstat scenario list`."""

from __future__ import annotations

from pathlib import Path

import pytest

from sendstat.cli import main
from tests.mockserver.scenario.test_library import ROOT, scenario_text


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder (the working directory) with a valid and an invalid scenario."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "good.yaml").write_text(scenario_text("good", 3))
    (tmp_path / "bad.yaml").write_text("name: bad\ndescription: d\nfaults:\n  view:\n    - {kind: drop, rate: 1.5}\n")
    return tmp_path


def test_valid_files_exit_0(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A valid file prints `ok` with its name and size, and the command exits 0."""
    assert main(["scenario", "validate", "good.yaml"]) == 0
    assert capsys.readouterr().out == "good.yaml: ok (good: 3 mailings)\n"


def test_an_invalid_file_exits_1_with_file_line_messages(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An invalid file prints `file:line: field: message` per problem; the others still get checked; exit 1."""
    assert main(["scenario", "validate", "bad.yaml", "good.yaml"]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        "bad.yaml:5: faults.view[0].rate: expected a number between 0 and 1, got 1.5",
        "good.yaml: ok (good: 3 mailings)",
    ]
    assert captured.err == "1 of 2 scenario files invalid\n"


def test_a_directory_validates_its_files(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A directory stands for every .yaml file in it."""
    assert main(["scenario", "validate", "."]) == 1
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_warnings_are_printed_but_valid(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file that breaks only an inferred rule is valid (exit 0) and its warnings are shown."""
    (files / "warn.yaml").write_text(
        "name: warn\ndescription: d\nmailings:\n  pinned:\n    - {id: 1, profile: good, recipients: 100,"
        " common: {opened: 1000}}\n"
    )
    assert main(["scenario", "validate", "warn.yaml"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("warning: ")
    assert "opened-within-delivered (inferred; a warning)" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["scenario", "validate", "nope.yaml"], "nope.yaml: no such file or directory"),
        (["scenario", "validate", "empty"], "empty: no scenario files (*.yaml) in this directory"),
    ],
)
def test_usage_errors_exit_2(files: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    """A path that is neither a file nor a folder of scenarios is a usage error: exit 2."""
    (files / "empty").mkdir()
    assert main(argv) == 2
    assert capsys.readouterr().err == f"sendstat scenario: error: {message}\n"


def test_no_path_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """Without a path argparse reports the usage and exits 2."""
    with pytest.raises(SystemExit) as exited:
        main(["scenario", "validate"])
    assert exited.value.code == 2
    assert "the following arguments are required: PATH" in capsys.readouterr().err


def test_shipped_scenarios_validate(capsys: pytest.CaptureFixture[str]) -> None:
    """Every shipped scenario passes `sendstat scenario validate scenarios/`."""
    assert main(["scenario", "validate", str(ROOT / "scenarios")]) == 0
    assert all(": ok (" in line for line in capsys.readouterr().out.splitlines())


def test_list_shows_names_and_descriptions(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`scenario list --dir` prints each name and description; a broken file is marked and reported on stderr."""
    assert main(["scenario", "list", "--dir", str(files)]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert f"{'good':24} d" in lines
    assert any(line.startswith(f"{'bad':24} BROKEN: bad.yaml:5: faults.view[0].rate") for line in lines)
    assert "bad.yaml:5: faults.view[0].rate" in captured.err


def test_list_shows_the_merged_set_the_mock_serves(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`scenario list --dir D` lists D's files and the shipped scenarios, D's file winning a shipped name."""
    (files / "empty.yaml").write_text(scenario_text("empty", 1, description="my own empty"))
    assert main(["scenario", "list", "--dir", str(files)]) == 0
    listed = {line.split(" ", 1)[0]: line.split(" ", 1)[1].strip() for line in capsys.readouterr().out.splitlines()}
    shipped = {path.stem for path in (ROOT / "scenarios").glob("*.yaml")}
    assert set(listed) == shipped | {"good", "bad"}
    assert listed["empty"] == "my own empty"


def test_list_of_a_missing_directory_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`scenario list --dir` of a folder that does not exist exits 2 with one line."""
    assert main(["scenario", "list", "--dir", str(tmp_path / "nope")]) == 2
    assert capsys.readouterr().err.strip().endswith("not a directory")


def test_validate_reports_a_huge_number_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A number of 4,301 digits is one `file:line: field: message` line and exit 1, never a traceback."""
    path = tmp_path / "huge.yaml"
    path.write_text(f"name: huge\ndescription: d\nseed: {'7' * 4301}\n")
    assert main(["scenario", "validate", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        f"{path}:3: seed: cannot read this value: a whole number of more than 4,300 digits (Python's limit)"
    ]
    assert "Traceback" not in captured.err
