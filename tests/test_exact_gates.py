"""Cheap answers that stand in for a regex pass give what the pass gives (session 10's classify speed work):
`PatternSet.any_match` is `bool(matching(...))`, and the zero-tests gate never rules out a text _ZERO_TESTS matches."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gardener import regex
from gardener.priority import _ZERO_TESTS, _may_say_zero_tests
from tests.test_regex_set_split import BIG as SPLIT

_PATTERNS = ((r"INTERNALERROR", 0), (r"^(?P<file>[^\s:]+\.py)$", 0), (r"(?m)^boom$", 0), ("CASE", regex.IGNORECASE))


def test_any_match_is_whether_matching_found_one() -> None:
    one = regex.PatternSet(_PATTERNS)
    texts = ["tests/test_x.py", "tests/test_x.py::test_a", "INTERNALERROR> x", "x\nboom\n", "a case", "", "é.py"]
    for text in texts:
        assert one.any_match(text) == bool(one.matching(text)), text
    assert one.any_match("tests/test_x.py") is True
    assert one.any_match("tests/test_x.py::test_a") is False  # `.py` is in it, but not at its end


def test_any_match_over_a_set_split_in_halves() -> None:
    halves = regex.PatternSet(SPLIT, memory=8 << 20)  # test_regex_set_split's patterns, over that budget
    assert len(halves._sets) > 1  # the budget forced a split: the answer is every half's
    for text in ("w007x-----y007z", "w398x y398z and w000x y000z", "w120x y121z", "nothing here"):
        assert halves.any_match(text) == bool(halves.matching(text)), text


_ZERO = ["collected 0 items", "no tests ran", "NO TESTS RAN", "Ran 0 tests", "Tests:  0 total", "No tests found for x",
         "0 specs executed", "no te\u017fts ran", "nO TeSTs ran", "x\n0 items collected\n"]


def test_zero_tests_gate_claims_every_branch_wherever_the_text_is_cut() -> None:
    for text in _ZERO:
        assert _ZERO_TESTS.search(text) is not None, text
        for cut in range(len(text) + 1):  # message + line break + details, wherever the reader cut them
            message, details = text[:cut], text[cut:]
            if _ZERO_TESTS.search(f"{message}\n{details}") is not None:
                assert _may_say_zero_tests(message, details), (text, cut)
        assert _may_say_zero_tests(text, "") and _may_say_zero_tests("", text)


def test_zero_tests_gate_leaves_alone_what_cannot_match() -> None:
    for message, details in [("AssertionError: assert 1 == 2", "line 10, in test_x"), ("3 tests ran", ""),
                             ("Ran 3 tests", "no test\ns ran"), ("", "")]:
        assert not _may_say_zero_tests(message, details)
        assert _ZERO_TESTS.search(f"{message}\n{details}") is None


@given(st.text(alphabet=st.sampled_from(list("0 notesranNOTESRAN\u017f\u212aTsitem:\n.x")), max_size=40),
       st.text(alphabet=st.sampled_from(list("0 notesranNOTESRAN\u017f\u212aTsitem:\n.x")), max_size=40))
def test_zero_tests_gate_never_rules_out_a_match(message: str, details: str) -> None:
    if _ZERO_TESTS.search(f"{message}\n{details}") is not None:
        assert _may_say_zero_tests(message, details)
