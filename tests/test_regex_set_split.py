"""A PatternSet too big for one RE2 Set (its memory budget) is split into several that answer together (rules-env:
the shipped rule pack's `text` Set had reached RE2's default 8 MiB budget, so one more rule made its Set fail to
compile and every result fell back to searching each pattern; Sets now get a larger budget, and splitting keeps a
pack that outgrows even that)."""

from __future__ import annotations

from gardener import regex as re

# Each pattern costs RE2 a few thousand instructions (`[^\n]{0,300}`): a few hundred of them are over RE2's default
# budget, which the test gives the Set.
SMALL_BUDGET = 8 << 20
BIG = tuple((f"w{n:03}x[^\\n]{{0,300}}y{n:03}z", 0) for n in range(400))


def test_a_set_over_the_budget_is_split_and_answers_as_each_pattern_would() -> None:
    found = re.PatternSet(BIG, memory=SMALL_BUDGET)
    assert len(found._sets) > 1  # it did not fit in one
    text = "w007x-----y007z and w398x y398z but w120x y121z"
    assert found.matching(text) == frozenset(
        i for i, (source, flags) in enumerate(BIG) if re.compile(source, flags).search(text)) == {7, 398}


def test_a_small_set_is_one_set() -> None:
    found = re.PatternSet((("a+b", 0), ("c", 0), ("x", re.IGNORECASE)))
    assert len(found._sets) == 1
    assert found.matching("aab X") == {0, 2}


def test_the_default_budget_holds_what_re2s_default_did_not() -> None:
    assert len(re.PatternSet(BIG)._sets) == 1
