"""Status and media-type checks (contract/checks/http.py)."""

from __future__ import annotations

import pytest

from contract.checks.http import content_type, status_code
from contract.errors import RuleViolation
from contract.spec import Contract
from tests.contract.exchanges import context, make


def test_known_id_404_is_an_error(contract: Contract) -> None:
    """A listed id answering 404 breaks the documented 200, with received vs documented."""
    with pytest.raises(RuleViolation) as error:
        status_code(context(contract), make("/mailer/sendstatistics/1", 404, {"message": "Not found"}))
    assert error.value.inferred is None
    assert "Received: 404" in error.value.message
    assert "Documented: 200 (the index lists id 1)" in error.value.message


def test_undocumented_status_is_an_error_even_where_inferred(contract: Contract) -> None:
    """A 500 is never allowed, even for a request whose expectation rests on inference."""
    with pytest.raises(RuleViolation) as error:
        status_code(context(contract), make("/mailer/sendstatistics/2", 500))
    assert error.value.inferred is None
    assert "does not list" in error.value.title


def test_unlisted_id_200_is_an_error(contract: Contract) -> None:
    """An id the (unpaged) index does not list answering 200 breaks the documented 404."""
    with pytest.raises(RuleViolation) as error:
        status_code(context(contract), make("/mailer/sendstatistics/2", 200, {"id": 2}))
    assert error.value.inferred is None
    assert "where 404 is expected" in error.value.title


@pytest.mark.parametrize(
    ("fields", "status"),
    [("%7B%7D", 400), ("%7B%22a%22%3A%22common%22%7D", 400), ("%22common%22", 200)],
    ids=["{} answered 400", '{"a":"common"} answered 400', '"common" answered 200'],
)
def test_fields_beyond_a_list_break_an_inferred_expectation(contract: Contract, fields: str, status: int) -> None:
    """How PHP reads objects and strings in fields is inferred (sibling controller): another answer warns."""
    with pytest.raises(RuleViolation) as error:
        status_code(context(contract), make(f"/mailer/sendstatistics/1?fields={fields}", status, {"id": 1}))
    assert error.value.inferred is not None


def test_expected_status_passes(contract: Contract) -> None:
    """The status the document expects passes."""
    status_code(context(contract), make("/mailer/sendstatistics/2", 404, {"message": "Not found"}))


@pytest.mark.parametrize(
    ("status", "raw", "ctype"),
    [(200, b'{"id": 1}', "text/html"), (404, b'{"message": "Not found"}', "text/plain"), (204, b"{}", "")],
)
def test_media_type_and_empty_204(contract: Contract, status: int, raw: bytes, ctype: str) -> None:
    """Documented bodies must be application/json, and a 204 must be empty."""
    path = "/mailer/sendstatistics" if status == 204 else "/mailer/sendstatistics/1"
    with pytest.raises(RuleViolation) as error:
        content_type(context(contract), make(path, status, raw=raw, content_type=ctype))
    assert error.value.rule_id == "content-type"


def test_json_with_charset_passes(contract: Contract) -> None:
    """application/json with a charset parameter is application/json."""
    content_type(context(contract), make("/mailer/sendstatistics/1", 200, {"id": 1}))
