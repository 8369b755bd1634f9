"""The JUnit reader's string fast path agrees with the patterns it stands in front of.

split_variant answers most parametrized names without its regex (the first branch of _VARIANT
done with str methods); it is checked against the patterns themselves on names built from the
characters that matter.
"""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from gardener.ingest.junit import values

# Brackets, parentheses, every character RE2's \s matches and some it does not (\v, NBSP).
_NAME = st.text(alphabet=st.sampled_from("ab_1[]() \t\n\f\r\v\u00a0.,#"), max_size=16)


def _by_pattern(name: str) -> tuple[str, str]:
    match = values._VARIANT.match(name) or values._PHPUNIT_DATA_SET.match(name)
    return (name, "") if match is None else (match.group(1), match.group(2))


@given(_NAME)
@example("test_x[a-1]")
@example("[x]")
@example("a[]")
@example("a b[1]")
@example("add(int, int)[2]")
@example("a\v[1]")
@example("a\u00a0b[1]")
@example("testX with data set #1")
def test_split_variant_matches_its_pattern(name: str) -> None:
    assert values.split_variant(name) == _by_pattern(name)

