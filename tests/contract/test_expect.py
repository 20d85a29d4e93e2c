"""Which statuses a request may and must get (contract/expect.py)."""

from __future__ import annotations

import copy
from urllib.parse import quote

import pytest

from contract.expect import Account, Expectation, expect, index_is_complete
from contract.php import read_fields
from contract.spec import Contract
from tests.contract.exchanges import make

NAMES = ("id", "common", "open_time", "click_statistic", "domain_statistic", "errors")
ACCOUNT = Account(listed=(1, 7), known_id=None)


def expectation_for(
    path: str, fields: str | None = None, account: Account = ACCOUNT, authenticated: bool = True
) -> Expectation:
    """The expectation of GET path?fields=..."""
    query = f"?fields={quote(fields)}" if fields is not None else ""
    exchange = make(f"/mailer/sendstatistics{path}{query}", authenticated=authenticated)
    reading = read_fields(exchange.query.value("fields"), NAMES, ("id",)) if exchange.operation == "view" else None
    result = expect(exchange, reading, account)
    assert result is not None
    return result


@pytest.mark.parametrize(
    ("path", "fields", "expected"),
    [
        ("", None, {200, 204}),
        ("/1", None, {200}),
        ("/1", '["common"]', {200}),
        ("/1", '["bogus"]', {400}),
        ("/1", '["common","bogus"]', {200, 400}),
        ("/2", None, {404}),
        ("/2", '["bogus"]', {400, 404}),
        ("/abc", None, {404}),
        ("/0", None, {404}),
        ("/-3", None, {404}),
        ("/12abc", None, {200, 404}),
        ("/1e1", None, {200, 404}),
    ],
)
def test_expected_statuses(path: str, fields: str | None, expected: set[int]) -> None:
    """The tightened expectations: known 200, unknown 404, no valid name 400, PHP-numeric ids unjudged."""
    assert expectation_for(path, fields).expected == expected


def test_unlisted_id_200_is_an_error_unless_the_index_pages() -> None:
    """An unlisted id must be 404 while the document gives the index no paging; with paging it is not judged."""
    assert 200 not in expectation_for("/2").allowed
    paged = Account(listed=(1, 7), index_complete=False)
    assert expectation_for("/2", account=paged).expected == {200, 404}


def test_paging_parameters_in_the_document_make_the_index_partial(contract: Contract) -> None:
    """The shipped document has no paging; adding a `page` parameter to the index makes it a page."""
    assert index_is_complete(contract.document, "/mailer/sendstatistics")
    document = copy.deepcopy(dict(contract.document))
    document["paths"]["/mailer/sendstatistics"]["get"]["parameters"].append({"name": "page", "in": "query"})
    assert not index_is_complete(document, "/mailer/sendstatistics")


def test_an_empty_index_judges_no_unlisted_id() -> None:
    """With an empty index, an id other than --known-id may answer 200 or 404."""
    result = expectation_for("/2", account=Account(listed=(), known_id=42))
    assert result.expected == {200, 404}
    assert expectation_for("/42", account=Account(listed=(), known_id=42)).expected == {200}


def test_non_list_fields_rest_on_inference() -> None:
    """A fields value that is not a list gets 400 by the document's inferred reading, a warning-level rule."""
    assert expectation_for("/1", '{"a": 1}').inferred is not None
    assert expectation_for("/1", '["bogus"]').inferred is None


def test_requests_without_the_key_may_get_401_or_403() -> None:
    """A request without the user's credentials may also be refused with 401 or 403."""
    assert {401, 403} <= expectation_for("/1", authenticated=False).expected
    assert not {401, 403} & expectation_for("/1").expected


def test_an_undocumented_path_has_no_expectation() -> None:
    """Paths the document does not describe are not judged."""
    assert expect(make("/elsewhere"), None, ACCOUNT) is None
