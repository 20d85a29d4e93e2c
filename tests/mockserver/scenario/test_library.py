"""Tests of mockserver.scenario.library: loading files, the library of named scenarios, safe paths, reloading."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from contract.spec import Contract
from mockserver.errors import ScenarioError, UnknownScenario
from mockserver.scenario.library import LoadContext, ScenarioLibrary, default_scenario_dirs, load_scenario_file

ROOT = Path(__file__).resolve().parents[3]


def scenario_text(name: str, count: int = 2, description: str = "d") -> str:
    """A small valid scenario named name with count generated mailings."""
    return f"name: {name}\ndescription: {description}\nmailings: {{generate: {{count: {count}}}}}\n"


@pytest.fixture(scope="module")
def context() -> LoadContext:
    """The shipped contract, data files and schema."""
    return LoadContext.create(Contract.load(validate=False))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A scenario directory holding `one` and `two`."""
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "one.yaml").write_text(scenario_text("one", 1))
    (folder / "two.yaml").write_text(scenario_text("two", 2))
    (folder / "README.md").write_text("not a scenario\n")
    return folder


@pytest.fixture
def library(folder: Path, context: LoadContext) -> ScenarioLibrary:
    """A library over the folder."""
    return ScenarioLibrary([folder], context)


def test_default_dirs_hold_the_shipped_scenarios() -> None:
    """From a checkout the shipped scenarios are the root's scenarios/ folder."""
    (directory,) = default_scenario_dirs()
    assert directory == ROOT / "scenarios"
    assert (directory / "default.yaml").is_file()


def test_names_are_the_yaml_files(library: ScenarioLibrary) -> None:
    """Every .yaml file of the directories is a scenario named after it; other files are not."""
    assert library.names() == ["one", "two"]
    assert library.errors == []


def test_get_by_name(library: ScenarioLibrary, folder: Path) -> None:
    """A name gives the loaded scenario of that file, the same object each time."""
    scenario = library.get("two")
    assert (scenario.name, scenario.path) == ("two", (folder / "two.yaml").resolve())
    assert library.get("two") is scenario
    assert len(scenario.source(None).ids()) == 2


def test_unknown_name_suggests(library: ScenarioLibrary) -> None:
    """An unknown name fails with UnknownScenario, a close match and the known names."""
    with pytest.raises(UnknownScenario, match=r"no scenario named 'tow' \(did you mean 'two'\?\); known: one, two"):
        library.get("tow")


@pytest.mark.parametrize("spelling", ["relative", "absolute", "cwd-relative"])
def test_get_by_path_inside(
    library: ScenarioLibrary, folder: Path, spelling: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A path to a file inside a scenario directory loads it, however it is spelt."""
    monkeypatch.chdir(folder.parent)
    text = {"relative": "one.yaml", "absolute": str(folder / "one.yaml"), "cwd-relative": "scenarios/one.yaml"}
    assert library.get(text[spelling]).name == "one"


def test_a_file_in_a_subfolder_loads_by_path(library: ScenarioLibrary, folder: Path) -> None:
    """A file in a subfolder of a scenario directory has no name but loads by its path."""
    (folder / "team").mkdir()
    (folder / "team" / "three.yaml").write_text(scenario_text("three", 3))
    assert library.get("team/three.yaml").name == "three"
    assert "three" not in library.names()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        ("dotdot", "a scenario path may not contain '..'"),
        ("outside", "lies outside the scenario directories"),
        ("symlink", "lies outside the scenario directories"),
        ("not-yaml", "expected a scenario name or a path to a .yaml file"),
        ("missing", "no scenario file there"),
    ],
)
def test_paths_outside_are_refused(
    library: ScenarioLibrary, folder: Path, tmp_path: Path, make: str, message: str
) -> None:
    """A path never reads outside the scenario directories: no `..`, no absolute path elsewhere, no escaping link."""
    outside = tmp_path / "secret.yaml"
    outside.write_text(scenario_text("secret"))
    (folder / "link.yaml").symlink_to(outside)
    text = {
        "dotdot": "../secret.yaml",
        "outside": str(outside),
        "symlink": "link.yaml",
        "not-yaml": "/etc/passwd",
        "missing": "nope.yaml",
    }[make]
    with pytest.raises(ScenarioError, match=message):
        library.get(text)


def test_an_escaping_link_is_no_name(folder: Path, tmp_path: Path, context: LoadContext) -> None:
    """A link in the directory to a file outside it is skipped, and reported."""
    outside = tmp_path / "secret.yaml"
    outside.write_text(scenario_text("secret"))
    (folder / "secret.yaml").symlink_to(outside)
    library = ScenarioLibrary([folder], context)
    assert "secret" not in library.names()
    (error,) = library.errors
    assert "a link to a file outside the scenario directory" in str(error)


def test_a_missing_directory_is_reported(folder: Path, tmp_path: Path, context: LoadContext) -> None:
    """A scenario directory that does not exist is reported, and the others still load."""
    library = ScenarioLibrary([tmp_path / "nowhere", folder], context)
    assert library.names() == ["one", "two"]
    (error,) = library.errors
    assert str(error).endswith("nowhere: not a directory: no scenarios read from it")


def test_the_first_directory_wins_a_name(folder: Path, tmp_path: Path, context: LoadContext) -> None:
    """The same name in two directories is the first directory's scenario."""
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "one.yaml").write_text(scenario_text("one", 5, "mine"))
    library = ScenarioLibrary([mine, folder], context)
    assert library.get("one").description == "mine"
    assert library.names() == ["one", "two"]


def test_a_bad_edit_keeps_the_good_version(
    library: ScenarioLibrary, folder: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Reloading a file that turned bad keeps serving its last good version and returns (and logs) the error."""
    good = library.get("one")
    (folder / "one.yaml").write_text("name: one\ndescription: d\nseed: many\n")
    with caplog.at_level(logging.WARNING, logger="mockserver.scenario.library"):
        (error,) = library.reload()
    assert error.line == 3
    assert error.field == "seed"
    assert library.get("one") is good
    assert "one.yaml" in caplog.text


def test_reload_picks_up_changes_new_and_removed_files(library: ScenarioLibrary, folder: Path) -> None:
    """Reloading reads edited files, adds new ones and forgets removed ones."""
    (folder / "one.yaml").write_text(scenario_text("one", 4))
    (folder / "three.yaml").write_text(scenario_text("three", 3))
    (folder / "two.yaml").unlink()
    assert library.reload() == []
    assert library.names() == ["one", "three"]
    assert len(library.get("one").source(None).ids()) == 4
    with pytest.raises(UnknownScenario):
        library.get("two")


def test_unchanged_files_are_not_rebuilt(library: ScenarioLibrary) -> None:
    """A reload with no change keeps the very same scenario objects (and their caches)."""
    before = library.get("two")
    library.reload()
    assert library.get("two") is before


def test_a_file_never_good_raises_its_error(folder: Path, context: LoadContext) -> None:
    """A scenario whose file was bad from the start fails with the file's own error, not 'unknown'."""
    (folder / "bad.yaml").write_text("name: bad\n")
    library = ScenarioLibrary([folder], context)
    assert [e.field for e in library.errors] == ["description"]
    with pytest.raises(ScenarioError, match=r"bad\.yaml:1: description: missing") as caught:
        library.get("bad")
    assert not isinstance(caught.value, UnknownScenario)


def test_load_scenario_file_without_a_context(folder: Path) -> None:
    """load_scenario_file works on its own, with the shipped contract and data."""
    assert load_scenario_file(folder / "one.yaml").name == "one"


def test_the_same_file_gives_the_same_mailings_in_another_process(context: LoadContext) -> None:
    """Mailings of a shipped scenario are identical in a fresh process (no hash seeds, no global state)."""
    probe = (
        "from pathlib import Path; from mockserver.scenario.library import load_scenario_file; "
        "s = load_scenario_file(Path('scenarios/poor-list.yaml')); src = s.source(s.clock); "
        "print(repr([(src.title(i), src.mailing(i)) for i in src.ids()]))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    scenario = load_scenario_file(ROOT / "scenarios" / "poor-list.yaml", context)
    source = scenario.source(scenario.clock)
    assert result.stdout.strip() == repr([(source.title(i), source.mailing(i)) for i in source.ids()])


def test_problems_loads_the_files_within_and_lists_every_error(folder: Path, context: LoadContext) -> None:
    """problems(within) loads the files of those folders only and returns each broken file's error."""
    (folder / "bad.yaml").write_text("name: bad\n")
    library = ScenarioLibrary([folder, *default_scenario_dirs()], context, lazy=True)
    (problem,) = library.problems([folder])
    assert (problem.path, problem.field) == ((folder / "bad.yaml").resolve(), "description")
    assert library.get("one").name == "one"


def test_a_file_that_turned_bad_is_stale_until_fixed(library: ScenarioLibrary, folder: Path) -> None:
    """stale(path) gives the problem of a file whose older version is served, and None once it loads again."""
    path = library.get("one").path
    assert library.stale(path) is None
    (folder / "one.yaml").write_text("name: one\ndescription: d\nseed: " + "9" * 4301 + "\n")
    library.reload()
    stale = library.stale(path)
    assert stale is not None
    assert (stale.line, stale.field) == (3, "seed")
    (folder / "one.yaml").write_text(scenario_text("one", 5))
    library.reload()
    assert library.stale(path) is None


def test_an_unexpected_error_while_building_is_one_scenario_error(
    folder: Path, context: LoadContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever goes wrong past the schema (here a made-up bug) is a ScenarioError naming the file, no traceback."""

    def broken(*args: object, **kwargs: object) -> object:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr("mockserver.scenario.library.build", broken)
    with pytest.raises(ScenarioError, match=r"one\.yaml: cannot be loaded: ZeroDivisionError: a bug"):
        load_scenario_file(folder / "one.yaml", context)
