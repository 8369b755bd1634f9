"""The number mask's scan (normalize._sub_numbers: str.find on the text with its digits mapped to "0") finds the
runs RE2 finds for `\\d+(?:[.,]\\d+)*` and masks each as the callback on the regex's matches did."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from gardener import normalize
from gardener import regex as re

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _by_regex(text: str) -> str:
    return _NUMBER.sub(lambda m: normalize._mask_number(m.string, *m.span()), text)


# Digits, separators, the characters the mask looks at around a number, and digits RE2's \d does not take.
_ALPHABET = "0123456789.,<>_aZ :-/\u0663\uff11é"


@settings(max_examples=400)
@given(st.text(alphabet=_ALPHABET, max_size=40))
@example("1.2.3")
@example("1..2,")
@example("v1.2,3x")
@example("<n>.5x")
@example("a,1.5")
@example("12\u0663")
def test_the_scan_masks_as_the_regex_does(text: str) -> None:
    assert normalize._sub_numbers(text) == _by_regex(text)


def test_a_key_full_of_numbers() -> None:
    key = "pkg99/test_mod.py::TestThing2499::test_case_99983 :: AssertionError: assert 99983 == 99984.5, 1,000"
    assert normalize._sub_numbers(key) == _by_regex(key) == (
        "pkg99/test_mod.py::TestThing2499::test_case_99983 :: AssertionError: assert <n> == <n>, <n>"
    )
