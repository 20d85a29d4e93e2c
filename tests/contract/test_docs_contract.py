"""docs/contract.md stays true: every rule, check and option of the suite is documented there."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from contract.checks import CHECK_IDS
from contract.cli import register
from contract.spec import Contract, Rule

DOC = Path(__file__).resolve().parents[2] / "docs" / "contract.md"


def doc() -> str:
    """The text of docs/contract.md."""
    return DOC.read_text(encoding="utf-8")


def check_options() -> list[str]:
    """Every long option of `sendstat check`."""
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    (action,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    check = action.choices["check"]
    return [opt for a in check._actions for opt in a.option_strings if opt.startswith("--") and opt != "--help"]


@pytest.mark.parametrize("check_id", CHECK_IDS)
def test_every_check_is_documented(check_id: str) -> None:
    """Each check id of the suite appears in the guide."""
    assert f"`{check_id}`" in doc()


@pytest.mark.parametrize("rule", Contract.load().rules, ids=lambda rule: rule.id)
def test_every_rule_is_quoted(rule: Rule) -> None:
    """Each documented rule appears with its source and its `why` quoted word for word."""
    assert re.search(rf"\| `{re.escape(rule.id)}` \| {rule.source} \|.*{re.escape(rule.why)}", doc())


@pytest.mark.parametrize("option", check_options())
def test_every_cli_option_is_documented(option: str) -> None:
    """Each option of `sendstat check` appears in the guide."""
    assert f"`{option}" in doc()


@pytest.mark.parametrize(
    "option",
    ["--sendstat-url", "--sendstat-header", "--sendstat-profile", "--sendstat-strict", "--sendstat-known-id",
     "--sendstat-seed", "--sendstat-max-examples", "--sendstat-spec"],
)  # fmt: skip
def test_every_plugin_option_is_documented(option: str) -> None:
    """Each option of the pytest plugin appears in the guide."""
    assert f"`{option}" in doc()
