"""Tests of mockserver.scenario.yamlfile: safe reading, limits against hostile files, a line for every field."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from mockserver.errors import ScenarioError
from mockserver.scenario.yamlfile import MAX_BYTES, MAX_DEPTH, MAX_VALUES, FieldPath, field_name, read_yaml

SAMPLE = """\
name: t
description: >-
  two
  lines
faults:
  view:
    - kind: "500"
      rate: 0.5
forced:
  7: {status: 404}
mailings:
  pinned:
    - id: 1
      domain_statistic:
        mail.ru: {delivered: 1, bounce: 0}
"""


def write(tmp_path: Path, text: str | bytes, name: str = "t.yaml") -> Path:
    """Write a scenario file (text is dedented) and return its path."""
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problem(path: Path) -> str:
    """The headline of the ScenarioError that reading the file raises, with the folder left out."""
    with pytest.raises(ScenarioError) as caught:
        read_yaml(path)
    return caught.value.headline().replace(f"{path.parent}/", "")


@pytest.mark.parametrize(
    ("where", "line"),
    [
        ((), 1),
        (("name",), 1),
        (("description",), 2),
        (("faults", "view"), 6),
        (("faults", "view", 0), 7),
        (("faults", "view", 0, "rate"), 8),
        (("forced", "7", "status"), 10),
        (("mailings", "pinned", 0, "domain_statistic", "mail.ru", "bounce"), 15),
        (("faults", "view", 0, "no-such-field"), 7),
    ],
    ids=lambda value: str(value),
)
def test_every_field_has_its_line(tmp_path: Path, where: FieldPath, line: int) -> None:
    """A field path maps to the line of its key (or of the nearest enclosing field that exists)."""
    assert read_yaml(write(tmp_path, SAMPLE)).line(where) == line


def test_data_is_plain_json(tmp_path: Path) -> None:
    """Keys become strings (YAML's 7 is "7"); values keep their JSON types."""
    data = read_yaml(write(tmp_path, SAMPLE)).data
    assert data["forced"] == {"7": {"status": 404}}
    assert data["faults"]["view"][0] == {"kind": "500", "rate": 0.5}
    assert data["description"] == "two lines"


@pytest.mark.parametrize(
    ("where", "shown"),
    [
        (("faults", "view", 0, "rate"), "faults.view[0].rate"),
        (("forced", "5", "body", "id"), "forced.5.body.id"),
        (("mailings", "pinned", 2, "domain_statistic", "mail.ru"), 'mailings.pinned[2].domain_statistic["mail.ru"]'),
        (("x", 'a "b"'), 'x["a \\"b\\""]'),
        ((), ""),
    ],
)
def test_field_names_read_as_written(where: FieldPath, shown: str) -> None:
    """Field paths print with dots, [index] and quoted keys where a key is not a plain word."""
    assert field_name(where) == shown


def test_dates_stay_text(tmp_path: Path) -> None:
    """An unquoted ISO date is text for the schema to read, not a YAML timestamp."""
    data = read_yaml(write(tmp_path, "now: 2024-12-05T12:00:00Z\nday: 2024-12-05\n")).data
    assert data == {"now": "2024-12-05T12:00:00Z", "day": "2024-12-05"}


def test_anchors_and_merge_keys_work(tmp_path: Path) -> None:
    """Aliases and `<<` merges expand; an explicit key beside a merge wins."""
    text = """\
    base: &base {fixed_ms: 100, jitter_ms: 5}
    view: {<<: *base, jitter_ms: 50}
    index: *base
    """
    data = read_yaml(write(tmp_path, text)).data
    assert data["view"] == {"fixed_ms": 100, "jitter_ms": 50}
    assert data["index"] == {"fixed_ms": 100, "jitter_ms": 5}


BROKEN = {
    "not-yaml": (
        'name: "open\n',
        "t.yaml:1: not valid YAML: while scanning a quoted scalar: found unexpected end of stream (line 2)",
    ),
    "tab-indent": ("a:\n\tb: 1\n", "t.yaml:2: not valid YAML: while scanning for the next token: found character"),
    "huge-integer": (
        "seed: " + "9" * 4301 + "\n",
        "t.yaml:1: seed: cannot read this value: a whole number of more than 4,300 digits (Python's limit)",
    ),
    "huge-negative-key": (
        "forced:\n  ? -" + "1" * 5000 + "\n  : {status: 404}\n",
        "t.yaml:2: forced: cannot read this value: a whole number of more than 4,300 digits",
    ),
    "nul-character": ("name: t\nseed: 1\x00\n", "t.yaml:2: not valid YAML: unacceptable character #x0000: special"),
    "huge-octal": ("seed: 0" + "7" * 20000 + "\n", "t.yaml:1: seed: cannot read this value: a whole number of"),
    "huge-hex-key": ("forced:\n  ? 0x" + "f" * 20000 + "\n  : {status: 404}\n", "t.yaml:2: forced: cannot read"),
    "duplicate-key": ("name: a\nseed: 1\nname: b\n", "t.yaml:3: name: duplicate key (first given on line 1)"),
    "empty-file": ("", "t.yaml: the file is empty: expected a mapping with name and description"),
    "two-documents": ("a: 1\n---\nb: 2\n", "t.yaml:2: not valid YAML: expected a single document in the stream"),
    "bool-key": ("yes: 1\n", "t.yaml:1: a key must be text or a whole number (quote it: 'yes', '1.5')"),
    "list-key": ("? [a, b]\n: 1\n", "t.yaml:1: a key must be text or a whole number (quote it: 'yes', '1.5')"),
    "nan": ("faults: {view: [{kind: drop, rate: .nan}]}\n", "t.yaml:1: faults.view[0].rate: expected a finite number"),
    "binary": ("x: !!binary aGVsbG8=\n", "t.yaml:1: x: unsupported YAML value (bytes): use text or a number"),
    "python-object": (
        "x: !!python/object:os.system {}\n",
        "t.yaml:1: x: unsupported YAML tag tag:yaml.org,2002:python/object:os.system",
    ),
    "python-scalar": ("x: !!python/name:os.system ''\n", "t.yaml:1: not valid YAML: could not determine a constructor"),
    "set": ("x: !!set {a, b}\n", "t.yaml:1: x: unsupported YAML tag tag:yaml.org,2002:set"),
    "recursive-alias": ("x: &a [*a]\n", "t.yaml:1: x[0][0][0]"),
}


@pytest.mark.parametrize(("text", "expected"), BROKEN.values(), ids=BROKEN.keys())
def test_broken_yaml_names_file_and_line(tmp_path: Path, text: str, expected: str) -> None:
    """A file that is not usable YAML fails with the file, the line and what is wrong."""
    assert problem(write(tmp_path, text)).startswith(expected)


def test_an_unterminated_quote_names_the_line_it_opens_on(tmp_path: Path) -> None:
    """A quote left open on line 13 is reported at line 13, not at the end of the file where the scanner stops."""
    lines = ["name: t", "description: d", *(f"# note {i}" for i in range(10)), 'seed: "12', "mailings: {}"]
    lines += ["# trailing comment"] * 5
    assert problem(write(tmp_path, "\n".join(lines) + "\n")) == (
        "t.yaml:13: not valid YAML: while scanning a quoted scalar: found unexpected end of stream (line 20)"
    )


def test_an_error_of_the_yaml_layer_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Any exception the YAML layer raises on a value (here a made-up one) becomes file:line: field: message."""

    def explode(self: object, node: object) -> object:
        raise OverflowError("the YAML layer gave up")

    monkeypatch.setattr("yaml.SafeLoader.construct_yaml_int", explode)
    monkeypatch.setitem(
        __import__("mockserver.scenario.yamlfile", fromlist=["_Loader"])._Loader.yaml_constructors,
        "tag:yaml.org,2002:int",
        explode,
    )
    assert problem(write(tmp_path, "name: t\nseed: 5\n")) == (
        "t.yaml:2: seed: cannot read this value: OverflowError: the YAML layer gave up"
    )


def test_deep_nesting_is_refused_before_parsing(tmp_path: Path) -> None:
    """Nesting deeper than MAX_DEPTH is refused without recursing (a million brackets fit in the size limit)."""
    text = "a: " + "[" * 500_000 + "]" * 500_000 + "\n"
    assert problem(write(tmp_path, text)) == f"t.yaml:1: nested deeper than {MAX_DEPTH} levels"


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    """Aliases that expand to more than MAX_VALUES values are refused, quickly."""
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, 9)]
    message = problem(write(tmp_path, "\n".join(lines) + "\n"))
    assert message.endswith(f"more than {MAX_VALUES:,} values (after expanding aliases): not a scenario")


def test_a_huge_file_is_refused_unread(tmp_path: Path) -> None:
    """A file over MAX_BYTES is refused before it is parsed (a 100 MB title never reaches YAML)."""
    path = write(tmp_path, b"description: " + b"x" * MAX_BYTES)
    assert problem(path) == "t.yaml: the file is larger than 2 MB: not a scenario"


def test_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    """Latin-1 bytes are named with the line they are on."""
    path = write(tmp_path, "name: t\ndescription: caf\xe9\n".encode("latin-1"))
    assert problem(path) == "t.yaml:2: not UTF-8 text (byte 24)"


def test_missing_file(tmp_path: Path) -> None:
    """A file that does not exist is an error naming it."""
    assert problem(tmp_path / "nope.yaml") == "nope.yaml: cannot read: No such file or directory"
