"""Delivery error codes of bounced letters: classes from openapi.yaml, weights from data/delivery.yaml."""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from contract.spec import Contract
from mockserver.errors import ConfigError
from mockserver.model.domain.audience import KINDS, TYPO
from mockserver.model.domain.bounces import DomainOutcome
from mockserver.model.domain.datafile import mapping, number
from mockserver.model.domain.draws import binomial, multinomial

# Which error classes each kind of domain must be able to produce: misspelt domains only bounce hard.
_NEEDED = {kind: ("hard",) if kind == TYPO else ("hard", "soft", "block", "final", "unknown") for kind in KINDS}


@dataclass(frozen=True)
class CodeTable:
    """The codes of one error class that one kind of domain can answer, with their weights."""

    codes: tuple[int, ...]
    weights: tuple[float, ...]


@dataclass(frozen=True)
class CodeBook:
    """Code tables by (error class, kind of domain), and how soft failures end."""

    tables: Mapping[tuple[str, str], CodeTable]
    final_share: float
    unknown_chance: float

    def table(self, error_class: str, kind: str) -> CodeTable:
        """Return the eligible codes of an error class on a kind of domain."""
        return self.tables[(error_class, kind)]


def parse_codebook(document: Mapping[str, Any], contract: Contract) -> CodeBook:
    """Build the code book from data/delivery.yaml and the contract's catalogue; every code must be weighed."""
    where = "data/delivery.yaml"
    entries = mapping(document.get("codes"), f"{where}: codes")
    known = {str(code) for code in contract.error_codes}
    if unknown := sorted(set(entries) - known, key=int):
        raise ConfigError(f"{where}: codes {', '.join(unknown)} are not in the contract's catalogue")
    if missing := sorted(known - set(entries), key=int):
        raise ConfigError(f"{where}: the catalogue's codes {', '.join(missing)} have no weight")
    rows: dict[tuple[str, str], list[tuple[int, float]]] = {}
    for key, raw in entries.items():
        entry = mapping(raw, f"{where}: codes.{key}")
        code, weight = int(key), number(entry.get("weight"), f"{where}: codes.{key}.weight")
        only = entry.get("only", KINDS)
        if not set(only) <= set(KINDS):
            raise ConfigError(f"{where}: codes.{key}.only names a kind not in {', '.join(KINDS)}")
        boost = mapping(entry.get("boost", {}), f"{where}: codes.{key}.boost")
        for kind in only:
            factor = number(boost.get(kind, 1.0), f"{where}: codes.{key}.boost.{kind}")
            rows.setdefault((contract.error_class(code), kind), []).append((code, weight * factor))
    tables = {
        key: CodeTable(tuple(c for c, _ in sorted(row)), tuple(w for _, w in sorted(row))) for key, row in rows.items()
    }
    for kind, classes in _NEEDED.items():
        for error_class in classes:
            if sum(tables.get((error_class, kind), CodeTable((), ())).weights) <= 0:
                raise ConfigError(f"{where}: no code of class {error_class!r} can occur on {kind!r} domains")
    return CodeBook(
        tables=tables,
        final_share=number(document.get("final_share"), f"{where}: final_share", high=1.0),
        unknown_chance=number(document.get("unknown_chance"), f"{where}: unknown_chance", high=1.0),
    )


def class_counts(rng: random.Random, book: CodeBook, found: Iterable[DomainOutcome]) -> dict[str, dict[str, int]]:
    """Count a mailing's bounces per kind of domain and error class (soft splits into soft, final, unknown)."""
    counts: dict[str, dict[str, int]] = {}
    for outcome in found:
        row = counts.get(outcome.kind)
        if row is None:  # not setdefault: about 45 outcomes, a handful of kinds
            row = counts[outcome.kind] = dict.fromkeys(("hard", "soft", "block", "final", "unknown"), 0)
        row["hard"] += outcome.hard
        row["soft"] += outcome.soft
        row["block"] += outcome.block
    for row in counts.values():
        # Some soft failures were retried until the resend time ran out.
        row["final"] = binomial(rng, row["soft"], book.final_share)
        row["soft"] -= row["final"]
    softs = [row for _, row in sorted(counts.items()) if row["soft"]]
    if softs and rng.random() < book.unknown_chance:
        row = rng.choice(softs)
        row["soft"] -= 1
        row["unknown"] += 1
    return counts


def kind_errors(rng: random.Random, book: CodeBook, kind: str, classes: Mapping[str, int]) -> dict[int, int]:
    """Split the bounces of one kind of domain, by error class, over the codes it can answer."""
    errors: dict[int, int] = {}
    for error_class, n in classes.items():
        if n <= 0:
            continue
        table = book.table(error_class, kind)
        for code, drawn in zip(table.codes, multinomial(rng, n, table.weights), strict=True):
            if drawn:
                errors[code] = errors.get(code, 0) + drawn
    return errors


def mailing_errors(rng: random.Random, book: CodeBook, found: Iterable[DomainOutcome]) -> dict[int, int]:
    """Return the mailing's errors: code to count, ascending by code; one code per bounced letter."""
    total: dict[int, int] = {}
    for kind, classes in sorted(class_counts(rng, book, found).items()):
        for code, n in kind_errors(rng, book, kind, classes).items():
            total[code] = total.get(code, 0) + n
    return dict(sorted(total.items()))
