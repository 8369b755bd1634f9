"""Whose code a stack runs through: the test runner's own, the platform's, or the project's."""

from __future__ import annotations

from gardener.rules.frames import frames_of, runner_cannot_start, runner_own_stack

JEST_REPORTER = """TypeError: Cannot read properties of undefined (reading 'map')
    at SummaryReporter.printTotals (/ci/app/node_modules/@jest/reporters/build/SummaryReporter.js:211:30)
    at ReporterDispatcher.onRunComplete (/ci/app/node_modules/@jest/core/build/ReporterDispatcher.js:80:9)
    at runJest (/ci/app/node_modules/@jest/core/build/runJest.js:404:3)
    at processTicksAndRejections (node:internal/process/task_queues:95:5)"""

PROJECT_TYPEERROR = """TypeError: Cannot read properties of undefined (reading 'total')
    at formatReceipt (src/receipt.js:14:22)
    at Object.<anonymous> (src/receipt.test.js:9:5)
    at Promise.then.completed (/ci/app/node_modules/jest-circus/build/utils.js:298:28)"""

SUREFIRE_BOOTER = """[ERROR] org.apache.maven.surefire.booter.SurefireBooterForkException: closed
[ERROR] \tat org.apache.maven.surefire.booter.ForkedBooter.runSuitesInProcess(ForkedBooter.java:507)
[ERROR] \tat org.apache.maven.surefire.booter.ForkedBooter.execute(ForkedBooter.java:495)
[ERROR] \tat java.base/java.lang.Thread.run(Thread.java:833)"""

JUNIT_TEST = """java.lang.NullPointerException: Cannot invoke "Ledger.total()" because "ledger" is null
\tat com.acme.ledger.SettlementTest.settles(SettlementTest.java:41)
\tat org.junit.platform.launcher.core.DefaultLauncher.execute(DefaultLauncher.java:86)
\tat org.apache.maven.surefire.junitplatform.JUnitPlatformProvider.invoke(JUnitPlatformProvider.java:184)"""

MOCHA_BIN = """Error: Cannot find module './lib/cli'
Require stack:
- /ci/app/node_modules/mocha/bin/mocha.js
    at Module._resolveFilename (node:internal/modules/cjs/loader:1075:15)
    at Object.<anonymous> (/ci/app/node_modules/.bin/mocha:3:1)
    at Module._compile (node:internal/modules/cjs/loader:1254:14)"""

PROJECT_IMPORT = """Cannot find module '../api/client' from 'src/cart/cart.test.js'
    at Resolver._throwModNotFoundError (node_modules/jest-resolve/build/resolver.js:427:11)
    at Object.require (src/cart/cart.test.js:3:1)"""


def test_a_stack_entirely_in_the_runner_is_the_runner_crashing() -> None:
    assert runner_own_stack(JEST_REPORTER)
    assert runner_own_stack(SUREFIRE_BOOTER)  # Maven's level tag before each frame
    assert frames_of(JEST_REPORTER) == frames_of(JEST_REPORTER.replace("/ci/app/", "C:/ci/app/"))


def test_one_project_frame_makes_it_the_projects_exception() -> None:
    assert not runner_own_stack(PROJECT_TYPEERROR)
    assert not runner_own_stack(JUNIT_TEST)
    counts = frames_of(JUNIT_TEST)
    assert (counts.runner, counts.project) == (2, 1)
    assert frames_of(SUREFIRE_BOOTER).platform == 1  # `java.base/java.lang.Thread.run`: the JDK's module


def test_python_frames_in_pytest_and_the_standard_library() -> None:
    text = (
        'Traceback (most recent call last):\n  File "/usr/lib/python3.11/runpy.py", line 198, in _run_module_as_main\n'
        '  File "/venv/lib/python3.11/site-packages/_pytest/main.py", line 270, in wrap_session\n'
        '  File "/venv/lib/python3.11/site-packages/pluggy/_hooks.py", line 493, in __call__\n'
    )
    assert runner_own_stack(text)
    assert not runner_own_stack(text + '  File "/ci/app/tests/conftest.py", line 12, in pytest_configure\n')


def test_the_runner_that_cannot_load_itself_cannot_start() -> None:
    assert runner_cannot_start(MOCHA_BIN)
    assert runner_cannot_start("Error: Cannot find module '/ci/app/node_modules/jest/bin/jest.js'")
    assert runner_cannot_start("/usr/bin/python3: No module named pytest")
    assert not runner_cannot_start(PROJECT_IMPORT)  # the project's test imports a missing module
    assert not runner_cannot_start(JEST_REPORTER)  # the runner ran, then crashed: no entry point failed to load


def test_text_without_frames_is_nobodys() -> None:
    assert frames_of("at least one test failed\nexpected at most 3 calls") == frames_of("")
    assert not runner_own_stack("TypeError: x is not a function")
