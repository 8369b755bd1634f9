"""A load failure that every test of the run fails on. The labelling rule (tests/data/classify/README.md, "Labelling
guide: priority" and the seventh set's decisions): an import or load error is P1, P0 when no test can run at all.
When the run's own summary counts every test it ran as failed (vstest's `Total tests: 9` / `Failed: 9`, unittest's
`Ran 9 tests` / `FAILED (errors=9)`, or any summary priority_evidence reads), and the finding is the failure to load
what those tests need (an assembly, a module), no test got as far as testing anything: P0. A summary with any
passing test, or fewer than three tests, keeps the default.

`every_test_failed` is pure and reads only the text; priority.py applies it to import/collection errors.
"""

from __future__ import annotations

from gardener import regex as re
from gardener.numbers import bounded_int
from gardener.priority_evidence import summary_counts

# vstest's console summary: `Total tests: 9` then `Failed: 9` (a `Passed: N` line when any passed).
_VSTEST_TOTAL = re.lazy(r"Total tests: (?P<total>\d+)[ \t]*\n[^\n]*?\bFailed: (?P<failed>\d+)\b")
_VSTEST_PASSED = re.lazy(r"(?m)^[^\n]*?\bPassed: [1-9]")
# unittest's: `Ran 9 tests in 0.01s` then `FAILED (errors=9)` (failures and errors both count).
_UNITTEST = re.lazy(
    r"Ran (?P<ran>\d+) tests? in [^\n]*\n(?:[^\n]*\n){0,3}?[^\n]*?FAILED \((?:failures=(?P<failures>\d+))?(?:, )?"
    r"(?:errors=(?P<errors>\d+))?(?:, skipped=\d+)?\)"
)
EVERY_TEST_MIN = 3  # one or two failing tests of one or two say little about a whole run


def every_test_failed(text: str) -> str:
    """Why every test the run ran failed, in words (the summary's count), else ''."""
    failed = ran = 0
    if (m := _VSTEST_TOTAL.search(text)) is not None and _VSTEST_PASSED.search(text) is None:
        failed, ran = bounded_int(m.group("failed")), bounded_int(m.group("total"))
    elif (m := _UNITTEST.search(text)) is not None:
        failed = bounded_int(m.group("failures") or "0") + bounded_int(m.group("errors") or "0")
        ran = bounded_int(m.group("ran"))
    else:
        failed, ran = summary_counts(text)
    if ran < EVERY_TEST_MIN or failed != ran:
        return ""
    return f"the run's summary counts all {ran} of its tests failing"
