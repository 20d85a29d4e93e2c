"""Tests of mockserver.model.domain.errorcodes: bounces mapped to the catalogue's codes by class and domain."""

from __future__ import annotations

import random

import pytest

from contract.spec import Contract
from mockserver.errors import ConfigError
from mockserver.model.domain.audience import KINDS, TYPO
from mockserver.model.domain.bounces import DomainOutcome
from mockserver.model.domain.data import ModelData
from mockserver.model.domain.datafile import read_data
from mockserver.model.domain.errorcodes import class_counts, kind_errors, mailing_errors, parse_codebook

CLASSES = {"hard": 300, "soft": 300, "block": 300, "final": 50, "unknown": 5}


def code_titled(contract: Contract, title: str) -> int:
    """The catalogue code with that title."""
    return next(entry.code for entry in contract.error_catalogue if entry.title == title)


@pytest.mark.parametrize("kind", [k for k in KINDS if k != TYPO])
def test_codes_keep_their_class(data: ModelData, contract: Contract, kind: str) -> None:
    """Bounces of each class get only codes of that class in the contract."""
    for error_class, n in CLASSES.items():
        codes = kind_errors(random.Random(1), data.codes, kind, {error_class: n})
        assert sum(codes.values()) == n
        assert {contract.error_class(code) for code in codes} == {error_class}


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "mailru"])
def test_mailru_spam_only_on_mailru(data: ModelData, contract: Contract, kind: str) -> None:
    """The Mail.ru spam code never appears on domains outside the Mail.ru family."""
    mailru_spam = code_titled(contract, "Mail.ru spam")
    classes = {"hard": 1000} if kind == TYPO else CLASSES
    for seed in range(30):
        assert mailru_spam not in kind_errors(random.Random(seed), data.codes, kind, classes)


def test_mailru_spam_dominates_mailru_blocks(data: ModelData, contract: Contract) -> None:
    """On Mail.ru family domains most blocks are the Mail.ru spam code."""
    codes = kind_errors(random.Random(1), data.codes, "mailru", {"block": 1000})
    assert codes[code_titled(contract, "Mail.ru spam")] > 500


def test_company_domains_greylist_more(data: ModelData, contract: Contract) -> None:
    """Greylisting and timeouts are a bigger share of soft failures on company domains than on gmail.com."""
    slow = {code_titled(contract, t) for t in ("blocked by greylisting", "greylisting suspected", "repeated timeout")}
    share = {
        kind: sum(n for c, n in kind_errors(random.Random(2), data.codes, kind, {"soft": 5000}).items() if c in slow)
        for kind in ("corporate", "gmail")
    }
    assert share["corporate"] > 2 * share["gmail"]


def test_typo_domains_do_not_exist(data: ModelData, contract: Contract) -> None:
    """Misspelt domains bounce with the code for a domain that does not exist."""
    codes = kind_errors(random.Random(3), data.codes, TYPO, {"hard": 40})
    assert codes == {code_titled(contract, "domain does not exist"): 40}


def test_one_code_per_bounce(data: ModelData) -> None:
    """A mailing's error counts add up to its bounces, ascending by code."""
    found = [DomainOutcome("mail.ru", "mailru", 900, 40, 30, 20), DomainOutcome("x.ru", "corporate", 90, 5, 6, 0)]
    errors = mailing_errors(random.Random(4), data.codes, found)
    assert sum(errors.values()) == 101
    assert list(errors) == sorted(errors)


def test_soft_failures_split_into_final(data: ModelData) -> None:
    """Some soft failures end as final; the class counts keep the total."""
    counts = class_counts(random.Random(5), data.codes, [DomainOutcome("mail.ru", "mailru", 0, 0, 1000, 0)])
    row = counts["mailru"]
    assert row["soft"] + row["final"] + row["unknown"] == 1000
    assert row["final"] > 0


@pytest.mark.parametrize(
    ("change", "message"),
    [("drop", "have no weight"), ("extra", "not in the contract"), ("only-typo", "no code of class")],
)
def test_codebook_checks_the_catalogue(contract: Contract, change: str, message: str) -> None:
    """The code weights must cover exactly the catalogue, and every kind needs codes of every class."""
    document = read_data("delivery.yaml")
    codes = document["codes"]
    if change == "drop":
        del codes[next(iter(codes))]
    elif change == "extra":
        codes[999] = {"weight": 1}
    else:
        for code in codes:
            if contract.error_class(code) == "block":
                codes[code]["only"] = ["typo"]
    with pytest.raises(ConfigError, match=message):
        parse_codebook(document, contract)
