"""A load failure that every test of the run fails on. The labelling rule (tests/data/classify/README.md, "Labelling
guide: priority" and the seventh set's decisions): an import or load error is P1, P0 when no test can run at all.
When the run's own summary counts every test it ran as failed (vstest's `Total tests: 9` / `Failed: 9`, unittest's
`Ran 9 tests` / `FAILED (errors=9)`, or any summary priority_evidence reads), and the finding is the failure to load
what those tests need (an assembly, a module), no test got as far as testing anything: P0. A summary with any
passing test, or fewer than three tests, keeps the default.

`only_load_failures` reads the counts that hold nothing but load failures, however few (unittest's stand-ins for
modules it could not import, Dart's `+0 -1` for a file that never loaded): no test of the project ran, P0.

Both are pure and read only the text; priority.py applies them to import/collection errors.
"""

from __future__ import annotations

from gardener import regex as re
from gardener.numbers import bounded_int
from gardener.priority_evidence import summary_counts
from gardener.redact.text import cut_raw

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


# unittest's stand-in for a test module it could not import (`ERROR: tests.test_x (unittest.loader._FailedTest)`;
# Python 2 named it `unittest.loader.ModuleImportFailure`): its summary counts the stand-in as a test it ran.
_UNITTEST_STAND_IN = re.lazy(
    r"(?m)^(?:ERROR|FAIL): (?P<module>\S+) \(unittest\.loader\.(?:_FailedTest|ModuleImportFailure)\)")
_UNITTEST_RAN = re.lazy(r"(?m)^Ran (?P<ran>\d+) tests? in ")
# The Dart / Flutter test runner's progress line: passed (`+N`), skipped (`~N`) and failed (`-N`) so far, then what it
# is doing; a test file that cannot load fails as `loading <file> [E]`.
_DART_LOAD_FAILED = re.lazy(r"(?m)^[ \t]*\d+:\d\d \+\d+(?: ~\d+)? -\d+: loading (?P<file>\S+) \[E\]")
_DART_TALLY = re.lazy(r"(?m)^[ \t]*\d+:\d\d \+(?P<passed>\d+)(?: ~\d+)? -(?P<failed>\d+): Some tests failed\.")


def only_load_failures(text: str) -> str:
    """Why every test the runner counted is a test file it could not load, in words, else '' (pure). unittest counts
    each module it could not import as one test (`Ran 1 test` for the only module); Dart's `+0 -1` counts the one file
    that never loaded. When the count holds nothing else, no test of the project ran, however few it counts."""
    ran = [bounded_int(m.group("ran")) for m in _UNITTEST_RAN.finditer(text)]
    modules = {m.group("module") for m in _UNITTEST_STAND_IN.finditer(text)}
    if len(ran) == 1 and modules and ran[0] == len(modules):
        return (f"each of the {ran[0]} tests unittest ran is its stand-in for a test module it could not import "
                "(unittest.loader), so no test of the project ran")
    tally = list(_DART_TALLY.finditer(text))
    files = {m.group("file") for m in _DART_LOAD_FAILED.finditer(text)}
    if len(tally) == 1 and files and tally[0].group("passed") == "0" and bounded_int(tally[0].group("failed")) == len(
            files):
        return f"the test runner's tally (+0 -{len(files)}) counts only the test files that could not load"
    return ""


# A load failure that escaped the test runner's own loading step, which loads every test file before any runs: the
# whole run stopped there, no test ran (issue 12 item 3). RSpec's `load_spec_files` (rspec-core 2 and 3, any spec
# file raising while it loads), Rake's test loader (minitest / test-unit under `rake test` require every file first),
# mocha's `Mocha.loadFiles`, and a Python runner's command entry the exception left (Django's `test` command,
# unittest's `main`, nose's `core`), or a test-runner script's own top level (`run_tests.py ... in <module>`).
_SUITE_LOADING = re.lazy(
    r"(?m)in [`'](?:block (?:\(\d+ levels\) )?in )?(?:RSpec::Core::Configuration#)?load_spec_files'"
    r"|[/\\]rake_test_loader\.rb:\d+:in "
    r"|^[ \t]*at (?:Array\.forEach \(<anonymous>\)\n[ \t]*at )?Mocha\.loadFiles \("
    r"|[/\\]django[/\\]core[/\\]management[/\\]commands[/\\]test\.py\", line \d+, in (?:handle|run_from_argv|execute)\b"
    r"|[/\\]unittest[/\\]main\.py\", line \d+, in (?:__init__|parseArgs|createTests|_do_discovery)\b"
    r"|[/\\]nose[/\\]core\.py\", line \d+, in "
    r"|^[ \t]*File \"(?:[^\"\n]*[/\\])?(?:run_?tests?|run-tests|runtests|test_?runner)\.py\", line \d+, in <module>"
)


# A runner's header over one test's error (unittest's and nose's `ERROR: name`, `FAIL: name`): the runner listed the
# failure as a test's and went on, whatever runner frames its traceback holds (nose importing a module that calls
# unittest.main()).
_LISTED_AS_A_TEST = re.lazy(r"(?m)^(?:ERROR|FAIL): \S")


def suite_load_aborted(text: str) -> str:
    """Why the load failure in `text` stopped the whole run before any test, in words (the runner's loading step its
    stack passes through), else '' (pure)."""
    found = _SUITE_LOADING.search(text)
    if found is None or _LISTED_AS_A_TEST.search(text) is not None:
        return ""
    return f"its stack leaves the test runner's own loading of the suite (`{cut_raw(found.group(0).strip(), 80)}`)"
