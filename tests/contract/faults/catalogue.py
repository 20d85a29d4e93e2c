"""The fault matrix: each broken (or correctly varied) server and the verdict `sendstat check` must give."""

from __future__ import annotations

from dataclasses import dataclass

from tests.contract.faults.reference import FLAGS


@dataclass(frozen=True)
class Case:
    """One server of the matrix: its reference flags, the expected exit codes and rule ids."""

    name: str
    what: str
    exit: int
    rules: tuple[str, ...] = ()
    strict_exit: int | None = None
    args: tuple[str, ...] = ()

    @property
    def flags(self) -> tuple[str, ...]:
        """The reference flags of this server (its name, except for the unflagged reference)."""
        return () if self.name == "reference" else (self.name,)

    @property
    def exit_strict(self) -> int:
        """The expected exit code with --strict."""
        return self.exit if self.strict_exit is None else self.strict_exit

    @property
    def is_fault(self) -> bool:
        """Whether the server is broken (a correct variant must pass)."""
        return bool(self.rules)


def fault(name: str, what: str, *rules: str, warning: bool = False, args: tuple[str, ...] = ()) -> Case:
    """A broken server: exit 1, or exit 0 and 1 with --strict when it only breaks inferred rules."""
    return Case(name, what, 0 if warning else 1, rules, 1, args)


CORRECT = (
    Case("reference", "the PHP backend as documented: \\uXXXX, \\/, [] for empty maps, errors as a list", 0),
    Case("raw-utf8", "JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES: raw Cyrillic", 0),
    Case("keys-reordered", "sections and counters in another order", 0),
    Case("pretty-json", "JSON_PRETTY_PRINT", 0),
    Case("empty-account", "no mailings: 204 with an empty body", 0),
    Case("empty-as-200", 'no mailings: 200 {"statistics": []}', 0),
    Case("unlisted", "an empty index, but --known-id names a mailing that exists", 0, args=("--known-id", "42")),
)

FAULTS = (
    fault("unknown-id-200-empty", "404 becomes 200 with an empty body", "status-code", "response-schema"),
    fault("unknown-id-fabricated", "any id answers 200 with made-up statistics", "status-code"),
    fault("invalid-fields-200", "a fields list with no valid name gets 200, not 400", "status-code"),
    fault("view-500", "the view with any section but id answers 500", "status-code"),
    fault("error-code-20520", "the 400 says code 20520 (the sibling's) instead of 20620", "response-schema"),
    fault("error-text-wrong", "the 400's text differs from the seed's", "response-schema"),
    fault("not-found-text", "the 404 says 'Not Found'", "response-schema"),
    fault("count-as-string", "common.count is a string", "response-schema"),
    fault("id-as-string", "the view's id is a string", "response-schema", "view-id-is-path-id"),
    fault("missing-opened", "common lacks opened", "response-schema"),
    fault("extra-key", "an undocumented key in the view", "response-schema"),
    fault("index-title-missing", "an index item lacks letter_title", "response-schema"),
    fault("fields-ignored", "fields is not read: always all sections", "status-code", "view-no-unrequested-sections"),
    fault("id-always", "id comes even when not asked for", "view-id-only-when-requested", warning=True),
    fault("first-field-only", "only the first valid name is honoured", "view-requested-sections-present"),
    fault("default-all", "the default is id and common, not id", "view-no-unrequested-sections"),
    fault("unknown-not-dropped", "an unknown name beside a valid one gets 400", "unknown-fields-dropped", warning=True),
    fault("delivered-bounce-over-count", "delivered + bounce > count", "delivered-bounce-within-count"),
    fault("domain-sums-off", "the per-domain counts do not add up", "domain-sums-match-totals"),
    fault("open-time-5-days", "open_time spans 5 days", "open-time-within-two-days"),
    fault("open-time-zero", "an open_time hour with 0 opens", "open-time-values-positive"),
    fault("open-time-off-hour", "an open_time key off the hour", "open-time-whole-hours", warning=True),
    fault("opened-over-delivered", "opened > delivered", "opened-within-delivered", warning=True),
    fault("clicked-over-delivered", "clicked > delivered", "clicked-within-delivered", warning=True),
    fault("error-count-zero", "an error code listed with 0 failures", "error-counts-positive", warning=True),
    fault("view-id-off", "the view answers with another id", "view-id-is-path-id", "index-detail-agree"),
    fault("listed-id-404", "the index lists an id whose view is 404", "index-detail-agree"),
    fault("index-unsorted", "the index is in descending order", "index-sorted-ascending", warning=True),
    fault("duplicate-ids", "the index lists an id twice", "index-unique-ids"),
    fault("random-counts", "counts change from one request to the next", "deterministic-answers", warning=True),
    fault("intermittent-500", "every fifth request answers 500", "status-code"),
    fault("slow", "the view answers after 2 s (beyond --timeout 0.5)", "no-answer", args=("--timeout", "0.5")),
    fault("html-content-type", "JSON sent as text/html", "content-type"),
    # The seed types maps as objects: {} keeps its contract, only PHP's encoding (an inferred rule) prefers [].
    fault("empty-map-as-object", "{} where PHP prints []", "php-list-quirk", warning=True),
    fault("list-as-object", '{"0": 7} where PHP prints [7]', "php-list-quirk", warning=True),
    fault("unknown-error-code-99", "an errors key outside the catalogue", "response-schema"),
    fault("non-numeric-id-500", "a non-numeric path id answers 500, not 404", "status-code"),
    fault("sort-field-400", "another sort_field gets 400 instead of being ignored", "status-code"),
    fault("index-by-title", "the index is ordered by title, not by id", "index-ordered-by-id"),
    fault("counts-as-floats", "counts written as 1101.0", "integers-are-integer-literals"),
    fault("count-gap", "delivered + bounce < count", "delivered-plus-bounce-is-count", warning=True),
    fault("errors-sum-off", "the error counts exceed bounce", "errors-sum-to-bounce", warning=True),
    fault("opens-sum-off", "open_time adds up to more than opened", "open-time-sums-to-opened", warning=True),
    fault("clicks-sum-off", "click_statistic adds up to more than clicked", "clicks-sum-to-clicked", warning=True),
    fault("click-count-zero", "a link listed with 0 clicks", "click-counts-positive", warning=True),
    fault("click-key-not-url", "a click_statistic key that is no URL", "click-keys-are-urls", warning=True),
    fault("domain-key-address", "a domain_statistic key that is an address", "domain-keys-are-domains", warning=True),
)

CASES = CORRECT + FAULTS
WARNING_ONLY = tuple(case for case in FAULTS if case.exit == 0)

_unknown = {flag for case in CASES for flag in case.flags} - FLAGS
if _unknown:
    raise RuntimeError(f"catalogue names flags the reference does not know: {sorted(_unknown)}")
