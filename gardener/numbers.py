"""Numbers read out of untrusted text (a line number, an exit code, a count a log prints): any run of digits
is a bounded int, never an exception.

Python's int() refuses a string of more than 4,300 digits (ValueError) and converts long runs in time
quadratic in their length, so a hostile or garbled log could crash a reader, or classify, with one long
number. No real count, line, port or exit code has more than twelve digits: a longer one reads as the cap.
"""

from __future__ import annotations

MAX_NUMBER = 10**12  # JUnit's counts are bounded the same way (ingest/junit/values.MAX_COUNT)
_DIGITS = 12


def bounded_int(digits: str) -> int:
    """The value of `digits` (ASCII digits, as a regex's `\\d+` captures), capped at MAX_NUMBER."""
    significant = digits.lstrip("0")
    if len(significant) > _DIGITS:
        return MAX_NUMBER
    return int(significant or "0")
