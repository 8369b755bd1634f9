"""A run whose every counted test is a test file the runner could not load is a run in which no test of the project ran
(the priority guide: a load failure is "P0 when ... no test can run at all"), however few it counts: unittest counts its
stand-in for each module it could not import as one test (`Ran 1 test`), Dart/Flutter's tally `+0 -1` counts the one
file that never loaded. A tally with any real test in it (a pass, or a test beside the stand-ins) keeps P1."""

from __future__ import annotations

from pathlib import Path

from gardener.priority_load import only_load_failures
from tests.factories import first_judgement

# Python 2's unittest (Netflix/vmaf#5): the one discovered module fails to import.
VMAF_PY2 = """======================================================================
ERROR: feature_test (unittest.loader.ModuleImportFailure)
----------------------------------------------------------------------
ImportError: Failed to import test module: feature_test
Traceback (most recent call last):
  File "/usr/lib/python2.7/unittest/loader.py", line 252, in _find_tests
    module = self._get_module_from_name(name)
  File "/usr/lib/python2.7/unittest/loader.py", line 230, in _get_module_from_name
    __import__(name)
  File "/root/Desktop/vmaf-master/feature/test/feature_test.py", line 9, in <module>
    import config
ImportError: No module named config

----------------------------------------------------------------------
Ran 1 test in 0.000s

FAILED (errors=1)"""
# Python 3.8 on Windows (Stewart86/roadtaxTracker#17): a glob unittest took as a module name.
ROADTAX_WINDOWS = (r"""PS E:\python\RoadTax\roadtaxTracker> py -m unittest test/*.py
E
======================================================================
ERROR: test/* (unittest.loader._FailedTest)
----------------------------------------------------------------------
ImportError: Failed to import test module: test/*
Traceback (most recent call last):
  File "C:\Users\stewart.wong\AppData\Local\Programs\Python\Python38-32\Lib\unittest\loader.py", """
                   r"""line 154, in loadTestsFromName
    module = __import__(module_name)
ModuleNotFoundError: No module named 'test/*'


----------------------------------------------------------------------
Ran 1 test in 0.000s""")
# Near miss (denballakh/ranger-tools#14): two stand-ins among 17 tests, 15 of which ran and passed.
RANGER_TOOLS = """E...............E
======================================================================
ERROR: test_buffer (unittest.loader._FailedTest)
----------------------------------------------------------------------
ImportError: Failed to import test module: test_buffer
======================================================================
ERROR: test_dat (unittest.loader._FailedTest)
----------------------------------------------------------------------
ImportError: Failed to import test module: test_dat
----------------------------------------------------------------------
Ran 17 tests in 0.120s

FAILED (errors=2)"""
# Flutter on Windows (flutter/flutter#88677): both test files fail to load, nothing passes.
FLUTTER_TWO_FILES = r"""PS D:\Android_Project\test_issue> flutter test
00:06 +0 -1: loading D:\Android_Project\test_issue\test\simple_test.dart [E]
  Failed to load "D:\Android_Project\test_issue\test\simple_test.dart": Connection closed before test suite loaded.
00:06 +0 -2: loading D:\Android_Project\test_issue\test\widget_test.dart [E]
  Failed to load "D:\Android_Project\test_issue\test\widget_test.dart": Connection closed before test suite loaded.
00:06 +0 -2: Some tests failed."""
# Flutter (flutter/cocoon#654): the one test file cannot load its harness.
FLUTTER_HARNESS = """00:00 +0: loading /Users/aaclarke/dev/cocoon/app/test/roll_test.dart
Compiler message:


Failed to load test harness. Are you missing a dependency on flutter_test?


00:05 +0 -1: loading /Users/aaclarke/dev/cocoon/app/test/roll_test.dart [E]
  Failed to load "/Users/aaclarke/dev/cocoon/app/test/roll_test.dart":
  Compilation failed
  Test: /Users/aaclarke/dev/cocoon/app/test/roll_test.dart
  Shell: /Users/aaclarke/dev/flutter/bin/cache/artifacts/engine/darwin-x64/flutter_tester


00:05 +0 -1: Some tests failed."""


def test_unittest_counting_only_its_stand_ins_ran_no_test() -> None:
    assert "stand-in" in only_load_failures(VMAF_PY2)
    assert "stand-in" in only_load_failures(ROADTAX_WINDOWS)


def test_dart_tally_of_only_unloaded_files_ran_no_test() -> None:
    assert "+0 -2" in only_load_failures(FLUTTER_TWO_FILES)
    assert "+0 -1" in only_load_failures(FLUTTER_HARNESS)


def test_a_tally_with_real_tests_in_it_is_not_read_as_nothing_ran() -> None:
    assert only_load_failures(RANGER_TOOLS) == ""
    # A pass in Dart's tally (`+3`), and a load failure the tally does not end on.
    assert only_load_failures(FLUTTER_TWO_FILES.replace("+0 -2: Some", "+3 -2: Some")) == ""
    assert only_load_failures(FLUTTER_HARNESS.replace("+0 -1: Some", "+0 -2: Some")) == ""


def test_the_load_failure_is_p0_end_to_end(tmp_path: Path) -> None:
    for text in (VMAF_PY2, FLUTTER_TWO_FILES):
        category, priority, reason = first_judgement(tmp_path, text)
        assert (category, priority) == ("import-collection-error", "P0"), reason
    # The same two files failing in a run where three tests passed: other tests ran.
    category, priority, _ = first_judgement(tmp_path, FLUTTER_TWO_FILES.replace("+0 -2: Some", "+3 -2: Some"))
    assert (category, priority) == ("import-collection-error", "P1")
