"""Numbers read out of untrusted text never raise, whatever their length (fuzz-6: a >4,300-digit run crashed
twelve readers and classify)."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from gardener.numbers import MAX_NUMBER, bounded_int

digits = st.text(alphabet="0123456789", min_size=1, max_size=6_000)


@given(digits)
@example("9" * 5_000)
@example("0" * 5_000)
@example("0" * 5_000 + "42")
def test_any_run_of_digits_is_a_bounded_int(text: str) -> None:
    value = bounded_int(text)
    assert 0 <= value <= MAX_NUMBER
    if len(text.lstrip("0")) <= 12:
        assert value == int(text.lstrip("0") or "0")
    else:
        assert value == MAX_NUMBER
