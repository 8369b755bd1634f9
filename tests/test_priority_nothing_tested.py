"""Priority from what the evidence says about how much could run (the corpus priority guide: a load failure is
"P0 when conftest fails to load or no test can run at all"; a refused service is P0 when every test that needs it
fails). P0: pytest's session set-up (a conftest whose import fails), a whole job log with no sign of a test running,
a service refusing in a suite-level set-up hook (mocha's "before all"). P1 stays: tests that ran and failed elsewhere
(a failing test is a test that ran), a refusal in one test's own setUp."""

from __future__ import annotations

from pathlib import Path

from tests.factories import first_judgement


def test_a_conftest_that_cannot_import_stops_the_session(tmp_path: Path) -> None:
    category, priority, reason = first_judgement(tmp_path, "\n".join([
        "==================================== ERRORS ====================================",
        "________________________ ERROR collecting test session _________________________",
        "src/pkg/conftest.py:12: in <module>",
        "    from pkg.tests import fixtures",
        "src/pkg/tests/fixtures.py:4: in <module>",
        "    import hypothesis_jsonschema",
        "E   ModuleNotFoundError: No module named 'hypothesis_jsonschema'",
        "=========================== short test summary info ============================",
        "ERROR  - ModuleNotFoundError: No module named 'hypothesis_jsonschema'",
    ]))
    assert (category, priority) == ("import-collection-error", "P0")
    assert "conftest" in reason


def _script_log(tail: list[str]) -> str:
    """One step's log that installs, then runs a test script whose first import fails."""
    install = [f"2025-01-02T10:00:{n:02d}.0000000Z  + package-{n}==1.{n}.0" for n in range(45)]
    run = [
        "2025-01-02T10:01:00.0000000Z uv run python tests/run_checks.py",
        "2025-01-02T10:01:01.0000000Z Traceback (most recent call last):",
        '2025-01-02T10:01:01.0000000Z   File "/home/runner/work/ts/ts/tests/run_checks.py", line 3, in <module>',
        "2025-01-02T10:01:01.0000000Z     import tsbootstrap",
        *(f'2025-01-02T10:01:01.0000000Z   File "/home/runner/work/ts/ts/src/tsbootstrap/m{n}.py", line {n + 3}, '
          f"in <module>\n2025-01-02T10:01:01.0000000Z     from tsbootstrap import m{n + 1}" for n in range(14)),
        '2025-01-02T10:01:01.0000000Z   File "/home/runner/work/ts/ts/src/tsbootstrap/__init__.py", line 5, '
        "in <module>",
        "2025-01-02T10:01:01.0000000Z     from statsforecast import models",
        "2025-01-02T10:01:01.0000000Z ModuleNotFoundError: No module named 'statsforecast'",
    ]
    step = ["2025-01-02T09:59:59.0000000Z ##[group]Run uv sync && uv run python tests/run_checks.py",
            "2025-01-02T09:59:59.0000000Z ##[endgroup]"]
    cleanup = ["2025-01-02T10:01:03.0000000Z Post job cleanup.", "2025-01-02T10:01:03.0000000Z /usr/bin/git version",
               *(f"2025-01-02T10:01:03.0000000Z /usr/bin/git config --local --unset-all key{n}" for n in range(8))]
    return "\n".join([*step, *install, *run, *tail,
                      "2025-01-02T10:01:02.0000000Z ##[error]Process completed with exit code 1.", *cleanup])


def test_a_whole_log_where_no_test_ran_is_p0(tmp_path: Path) -> None:
    category, priority, reason = first_judgement(tmp_path, _script_log([]))
    assert (category, priority) == ("import-collection-error", "P0") and "no test running" in reason


def test_tests_that_ran_and_failed_keep_p1(tmp_path: Path) -> None:
    ran = ["2025-01-02T10:01:01.5000000Z --- FAIL: TestParse (0.00s)"]
    category, priority, _ = first_judgement(tmp_path, _script_log(ran))
    assert (category, priority) == ("import-collection-error", "P1")


MOCHA_HOOK = "\n".join([
    "  Orders API",
    "Connection fails:  Error: connect ECONNREFUSED 127.0.0.1:27017",
    "    1) \"before all\" hook for \"lists orders\"",
    "",
    "  0 passing (31ms)",
    "  1 failing",
    "",
    "  1) Orders API",
    "       \"before all\" hook for \"lists orders\":",
    "     MongoNetworkError: connect ECONNREFUSED 127.0.0.1:27017",
])
UNITTEST_SETUP = "\n".join([
    "ERROR: test_lists_orders (shop.tests.OrdersTest)",
    "----------------------------------------------------------------------",
    "Traceback (most recent call last):",
    '  File "/home/travis/build/a/shop/shop/tests.py", line 12, in setUp',
    "    self.client.flushdb()",
    "ConnectionError: Error 111 connecting to localhost:6379. Connection refused.",
])


def test_a_refusal_in_a_suites_before_all_hook_stops_the_whole_suite(tmp_path: Path) -> None:
    category, priority, reason = first_judgement(tmp_path, MOCHA_HOOK)
    assert (category, priority) == ("connection-refused", "P0") and "shared set-up" in reason


def test_a_refusal_in_one_tests_setup_keeps_p1(tmp_path: Path) -> None:
    category, priority, _ = first_judgement(tmp_path, UNITTEST_SETUP)
    assert (category, priority) == ("connection-refused", "P1")
