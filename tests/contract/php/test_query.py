"""$_GET without PHP: every rule's explicit case, the assignments in order, max_input_vars."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contract.php import MAX_INPUT_VARS, Assignment, PhpArray, parse_query
from tests.contract.php._oracle import tag
from tests.contract.php.cases import PARSE, Parse
from tests.contract.php.strategies import query_strings


@pytest.mark.parametrize("case", list(PARSE.values()), ids=list(PARSE))
def test_each_rule_fills_get_as_php7(case: Parse) -> None:
    """Each explicit case gives PHP 7's $_GET: keys, their order, nesting and byte values."""
    assert tag(parse_query(case.query).get) == tag(case.get)


def test_assignments_are_kept_in_order() -> None:
    """Every registered variable is listed in query order, with its bracket indices and raw value."""
    query = parse_query(b"fields=a&x[]=1&fields[k][]=b&=dropped&fields=c")
    assert query.assignments == (
        Assignment("fields", (), b"a"),
        Assignment("x", (None,), b"1"),
        Assignment("fields", ("k", None), b"b"),
        Assignment("fields", (), b"c"),
    )
    assert [assignment.is_array for assignment in query.all("fields")] == [False, True, False]
    assert query.value("fields") == b"c"
    assert query.value("missing") is None


def test_a_name_that_is_not_utf8_keeps_its_bytes() -> None:
    """Names are text with surrogate escapes for bytes that are not UTF-8, so nothing is lost."""
    query = parse_query(b"%FFa=1")
    assert list(query.get) == ["\udcffa"]
    assert query.assignments[0].name.encode("utf-8", "surrogateescape") == b"\xffa"


def test_max_input_vars_truncates_and_says_so() -> None:
    """Past max_input_vars pieces PHP drops the rest; the query says it was truncated."""
    long = parse_query(b"&".join(b"v%d=1" % i for i in range(MAX_INPUT_VARS + 1)))
    assert (len(long.get), long.truncated) == (MAX_INPUT_VARS, True)
    assert not parse_query(b"a=1").truncated


def test_a_hostile_query_is_read_in_bounded_work() -> None:
    """A megabyte of brackets and pieces is read at once: max_input_vars and the nesting limit bound the work."""
    query = parse_query(b"a" + b"[" * 1_000_000 + b"=1&" + b"b[]=1&" * 100_000)
    assert isinstance(query.value("b"), PhpArray)
    assert query.truncated


@settings(max_examples=300, deadline=None)
@given(query_strings() | st.binary(max_size=100))
def test_any_query_gives_an_array_of_bytes_and_arrays(raw: bytes) -> None:
    """No query raises; $_GET holds only bytes and nested arrays."""
    todo: list[object] = [parse_query(raw).get]
    while todo:
        item = todo.pop()
        assert isinstance(item, bytes | PhpArray)
        if isinstance(item, PhpArray):
            todo.extend(item.values())


def test_names_lists_each_base_name_once_in_order() -> None:
    """names() gives the variables assigned, first appearance first, arrays by their base name."""
    assert parse_query(b"b=1&a[]=2&b=3&a[x]=4").names() == ("b", "a")


def test_without_reads_as_if_the_variables_were_never_sent() -> None:
    """without() drops variables (the mock's own controls) from $_GET and from the assignments alike."""
    query = parse_query(b"__scenario=x&fields=%5B%22id%22%5D&__code[]=1")
    rest = query.without({"__scenario", "__code"})
    assert rest.get == {"fields": b'["id"]'}
    assert [assignment.name for assignment in rest.assignments] == ["fields"]
    assert rest == parse_query(b"fields=%5B%22id%22%5D")
