"""What a mailing is: the plain data the domain model produces and the HTTP layer serialises."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, NamedTuple, Protocol

from contract.php import PhpObject


@dataclass(frozen=True)
class Common:
    """The totals of a mailing (the `common` section)."""

    count: int
    delivered: int
    bounce: int
    opened: int
    clicked: int
    spam: int
    unsubs: int


class DomainCounts(NamedTuple):
    """Letters delivered and bounced for one recipient domain (a named tuple: about 45 are made per mailing)."""

    delivered: int
    bounce: int


@dataclass(frozen=True)
class Mailing:
    """A complete mailing with every section of its statistics.

    Maps keep the order the backend sends: open_time by hour, errors by code, ascending; click_statistic
    and domain_statistic by descending size. objects: the map sections the deployment sends as JSON objects
    where PHP's default prints an array: "always" (`{}`, `{"0": 7}`: an `(object)` cast) or "when-empty" (`{}`
    only, a `new stdClass` for no data).
    """

    id: int
    letter_title: str
    sent_at: int
    common: Common
    open_time: Mapping[int, int]
    click_statistic: Mapping[str, int]
    domain_statistic: Mapping[str, DomainCounts]
    errors: Mapping[int, int]
    objects: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def section(self, name: str) -> Any:
        """Return one section as plain Python data (dicts keep int keys for the PHP encoder to judge)."""
        if name == "id":
            return self.id
        if name == "common":
            return dict(vars(self.common))
        if name == "domain_statistic":
            return self._shaped(
                name, {domain: {"delivered": d, "bounce": b} for domain, (d, b) in self.domain_statistic.items()}
            )
        if name in ("open_time", "click_statistic", "errors"):
            return self._shaped(name, dict(getattr(self, name)))
        raise KeyError(name)

    def _shaped(self, name: str, value: dict[Any, Any]) -> dict[Any, Any]:
        """A map section as a PHP object where the deployment sends one, else as a PHP array (a plain dict)."""
        shape = self.objects.get(name)
        if shape == "always" or (shape == "when-empty" and not value):
            return PhpObject(value)
        return value


class MailingSource(Protocol):
    """An account's mailings as the HTTP layer sees them: ids, titles, and whole mailings on demand."""

    def ids(self) -> Sequence[int]:
        """Return every mailing id, ascending."""
        ...

    def title(self, mailing_id: int) -> str:
        """Return the subject line of a listed mailing (cheap: no statistics are generated)."""
        ...

    def mailing(self, mailing_id: int) -> Mailing | None:
        """Return the whole mailing, or None when the id has no statistics."""
        ...


def listing(source: MailingSource) -> Iterable[tuple[int, str]]:
    """Return a source's index entries (id, subject line), ascending: its own listing() if it has one.

    listing() is optional: a source computing ids and titles on demand can draw each id once, where
    title(id) checks the id again. Any other source is listed through ids() and title().
    """
    own = getattr(source, "listing", None)
    if callable(own):
        entries: Iterable[tuple[int, str]] = own()
        return entries
    return _listed(source)


def _listed(source: MailingSource) -> Iterator[tuple[int, str]]:
    for mailing_id in source.ids():
        yield mailing_id, source.title(mailing_id)
