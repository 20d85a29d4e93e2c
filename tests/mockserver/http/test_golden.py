"""Uncached answers are byte for byte those recorded before the speed-ups of issue 12 (tests/data/golden/)."""

from __future__ import annotations

import pytest

from contract.spec import Contract
from tests.mockserver.http.golden import ANSWERS_FILE, MODEL_FILE, answer_lines, model_lines

pytestmark = pytest.mark.slow


def first_difference(expected: list[str], found: list[str]) -> str:
    """Say how many lines differ and show the first, expected beside found."""
    differ = [(want, got) for want, got in zip(expected, found, strict=False) if want != got]
    if not differ:
        return f"{len(expected)} lines expected, {len(found)} found"
    want, got = differ[0]
    return f"{len(differ)} of {len(expected)} answers differ; the first:\n  recorded {want}\n  now      {got}"


def test_uncached_answers_are_the_recorded_ones(contract: Contract) -> None:
    """Views of `large` at random ids and three clocks, its index, and every fault-free scenario answer as recorded."""
    expected = ANSWERS_FILE.read_text(encoding="utf-8").splitlines()
    found = answer_lines(contract)
    assert found == expected, first_difference(expected, found)


def test_large_mailings_are_the_recorded_ones(contract: Contract) -> None:
    """Every section and title of 20,000 `large` mailings encode to the recorded bytes, block by block."""
    expected = MODEL_FILE.read_text(encoding="utf-8").splitlines()
    found = model_lines(contract)
    assert found == expected, first_difference(expected, found)


def test_a_changed_answer_is_named() -> None:
    """The failure message names the first request whose answer changed and counts the others."""
    message = first_difference(["a x own /1", "b x own /2", "c x own /3"], ["a x own /1", "B x own /2", "C x own /3"])
    assert message.startswith("2 of 3 answers differ")
    assert "recorded b x own /2" in message
    assert "now      B x own /2" in message
