"""Tests of mockserver/record/shapes.py: reading the target's flags and map shapes from its bytes."""

from __future__ import annotations

from contract.php import PhpJsonFlag
from mockserver.record.shapes import read_encoding

VIEW = "/mailer/sendstatistics/1"


def test_php_defaults_are_read_from_php_bytes() -> None:
    """`\\u` escapes, `\\/` and `[]` maps: no flag, no object section, every answer reproduced."""
    body = b'{"id":1,"click_statistic":{"https:\\/\\/a.ru\\/x":2},"errors":[],"open_time":[]}'
    encoding = read_encoding(
        [(VIEW, body, True), ("/mailer/sendstatistics", b'{"statistics":[{"id":1,"letter_title":"\\u0410"}]}', False)]
    )
    assert encoding.flags == PhpJsonFlag.NONE
    assert encoding.objects == {}
    assert encoding.unmatched == ()


def test_raw_utf8_and_slashes_are_flags() -> None:
    """Raw Cyrillic and unescaped slashes read as JSON_UNESCAPED_UNICODE and JSON_UNESCAPED_SLASHES."""
    body = '{"statistics":[{"id":1,"letter_title":"Акция / скидки"}]}'.encode()
    encoding = read_encoding([("/mailer/sendstatistics", body, False)])
    assert encoding.flag_names == ["JSON_UNESCAPED_UNICODE", "JSON_UNESCAPED_SLASHES"]


def test_objects_when_empty_and_always_are_told_apart() -> None:
    """`{}` for empty maps beside `[7]` is when-empty; `{"0": 7}` is always."""
    empty = read_encoding([(VIEW, b'{"open_time":{},"errors":[7]}', True)])
    assert empty.objects == {"open_time": "when-empty"}
    assert empty.unmatched == ()
    always = read_encoding([(VIEW, b'{"errors":{"0":7}}', True)])
    assert always.objects == {"errors": "always"}


def test_bytes_no_flags_reproduce_are_unmatched() -> None:
    """A pretty-printed answer is counted as not reproducible byte for byte."""
    encoding = read_encoding([(VIEW, b'{\n    "id": 1\n}', True)])
    assert encoding.unmatched == (VIEW,)
