"""json_decode and json_encode against real PHP: every explicit case, then texts and data hypothesis makes."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contract.php import PhpJsonError, PhpJsonFlag, encode, json_decode
from tests.contract.php._oracle import PhpOracle, tag, untag
from tests.contract.php.cases import Decode, decode_params, nested
from tests.contract.php.strategies import json_data, json_texts

# Every combination of the flags the mock supports (scenarios' json_flags).
FLAG_SETS = [
    PhpJsonFlag(sum(chosen))
    for size in range(len(PhpJsonFlag) + 1)
    for chosen in itertools.combinations([flag for flag in PhpJsonFlag if flag], size)
]


@pytest.mark.parametrize("case", decode_params())
def test_php_decodes_each_case_as_expected(php: PhpOracle, case: Decode) -> None:
    """Real PHP gives each explicit case's value and error, so the expectations ours meets are PHP's own."""
    [(value, error)] = php.json_decode([case.raw], case.depth)
    assert (value, error) == (tag(case.value), case.error), untag(value)


@settings(max_examples=300, deadline=None)
@given(st.lists(json_texts(), min_size=1, max_size=25))
def test_json_decode_matches_php(php: PhpOracle, raws: list[bytes]) -> None:
    """For JSON and near-JSON bytes, our json_decode gives PHP's value (types, keys, order) and error."""
    for raw, (value, error) in zip(raws, php.json_decode(raws), strict=True):
        ours = json_decode(raw)
        assert (tag(ours.value), ours.error) == (value, error), raw


@settings(max_examples=100, deadline=None)
@given(st.lists(json_texts(), min_size=1, max_size=10), st.integers(1, 4))
def test_json_decode_with_a_small_depth_matches_php(php: PhpOracle, raws: list[bytes], depth: int) -> None:
    """With a $depth of 1 to 4, the depth error falls where PHP's does."""
    for raw, (value, error) in zip(raws, php.json_decode(raws, depth), strict=True):
        ours = json_decode(raw, depth)
        assert (tag(ours.value), ours.error) == (value, error), raw


@pytest.mark.parametrize("flags", FLAG_SETS, ids=lambda flags: str(int(flags)))
@settings(max_examples=60, deadline=None)
@given(values=st.lists(json_data(), min_size=1, max_size=10))
def test_json_encode_matches_php(php: PhpOracle, flags: PhpJsonFlag, values: list[Any]) -> None:
    """encode() prints PHP's json_encode bytes for each flag set, of Python data and of json_decode's arrays."""
    texts = [json.dumps(value).encode() for value in values]
    for value, text, printed in zip(values, texts, php.json_encode(texts, int(flags)), strict=True):
        assert printed is not None
        assert encode(value, flags) == printed
        assert encode(json_decode(text).value, flags) == printed


@pytest.mark.parametrize(("levels", "prints"), [(512, True), (513, False)])
def test_json_encode_depth_is_phps(php: PhpOracle, levels: int, prints: bool) -> None:
    """json_encode prints 512 nested arrays and refuses 513, as encode() does."""
    [printed] = php.json_encode([nested(levels)], 0, depth=1_000)
    assert (printed is not None) is prints
    value = json_decode(nested(levels), depth=1_000).value
    if prints:
        assert encode(value) == printed
    else:
        with pytest.raises(PhpJsonError, match="depth"):
            encode(value)
