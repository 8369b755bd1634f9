"""classify_all keeps one key base per verdict when keys.base_reads_result says the base reads nothing of the result
(only the rule, its captures and the verdict's line): then any two results get the same base from that verdict."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gardener.rules.keys import base_reads_result, key_base
from gardener.rules.loader import builtin_rules
from tests.rules.helpers import failing_test

_RULES = builtin_rules().rules
_KEYED = [r for r in _RULES if r.key][:20]
_UNKEYED = [r for r in _RULES if not r.key][:20]
_LINES = ["", "error: could not compile `app`", "  = note: see issue #123", "src/a.rs:3:1: note: expanded from here",
          "help: consider borrowing", "E   AssertionError: assert 1 == 2", "note:", "##[error]Process completed"]
_TEXT = st.text(alphabet="abc: =\nEnote1#[]", max_size=30)


@settings(max_examples=300)
@given(
    rule=st.sampled_from([None, *_KEYED, *_UNKEYED]),
    line=st.sampled_from(_LINES) | _TEXT,
    captures=st.sampled_from([(), (("host", "db.internal"), ("port", "5432")), (("module", "pkg_1"),)]),
    first=st.tuples(_TEXT, _TEXT, st.sampled_from(["", "KeyError", "note"])),
    second=st.tuples(_TEXT, _TEXT, st.sampled_from(["", "ValueError", "help"])),
)
def test_a_base_that_reads_no_result_is_the_same_for_any_result(rule, line, captures, first, second) -> None:  # type: ignore[no-untyped-def]
    one = failing_test("tests/test_a.py::test_one", first[0], details=first[1], error_type=first[2])
    other = failing_test("tests/test_b.py::test_other", second[0], details=second[1], error_type=second[2])
    if not base_reads_result(rule, line):
        assert key_base(rule, line, captures, one) == key_base(rule, line, captures, other)


def test_a_note_line_reads_the_message_it_annotates() -> None:
    line = "  = note: see issue #123"
    assert base_reads_result(None, line)
    a = failing_test("t::a", "error[E0308]: mismatched types")
    b = failing_test("t::b", "error[E0599]: no method named `x`")
    assert key_base(None, line, (), a) != key_base(None, line, (), b)
