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


# Windows paths (session 11, excerpts-11): a JS stack printed on Windows names the same packages with backslashes.
# mocha run from a global install on Windows (adamgruber/mochawesome#207): every frame is mocha's or node's own.
MOCHA_WINDOWS = r"""Error: invalid reporter "mochawesome"
    at Mocha.reporter (C:\Users\jlowe\AppData\Roaming\npm\node_modules\mocha\lib\mocha.js:174:13)
    at Object.<anonymous> (C:\Users\jlowe\AppData\Roaming\npm\node_modules\mocha\bin\_mocha:220:7)
    at Module._compile (module.js:635:30)
    at Object.Module._extensions..js (module.js:646:10)"""
# jest-cli's reporter throwing on Windows (a jest-cli 0.x run quoted in tests/data/classify/corpus20.jsonl).
JEST_CLI_WINDOWS = r"""  - TypeError: Cannot read property 'push' of undefined
        at ..\..\AppData\Roaming\npm\node_modules\jest-cli\src\reporters\VerboseLogger.js:78:22
        at Array.forEach (native)
        at groupTestsBySuites (..\..\AppData\Roaming\npm\node_modules\jest-cli\src\reporters\VerboseLogger.js:64:15)
        at onTestResult (..\..\AppData\Roaming\npm\node_modules\jest-cli\src\TestRunner.js:213:41)"""
# Near miss: a test file's own frame first, then mocha's (petkaantonov/bluebird#465, on Windows): the project's failure.
BLUEBIRD_WINDOWS_TEST = r"""Possibly unhandled AssertionError: false == true
    at assertErrorHasLongTraces (C:\Users\ys\Desktop\bluebird\test\mocha\api_exceptions.js:8:5)
    at C:\Users\ys\Desktop\bluebird\test\mocha\api_exceptions.js:91:17
    at next (C:\Users\ys\Desktop\bluebird\node_modules\mocha\lib\runner.js:299:14)"""


def test_windows_paths_are_owned_as_their_posix_form() -> None:
    for stack in (MOCHA_WINDOWS, JEST_CLI_WINDOWS, BLUEBIRD_WINDOWS_TEST):
        assert frames_of(stack) == frames_of(stack.replace("\\", "/"))
    assert frames_of(MOCHA_WINDOWS).runner == 2
    assert runner_own_stack(MOCHA_WINDOWS) and runner_own_stack(JEST_CLI_WINDOWS)


def test_a_windows_test_file_frame_keeps_it_the_projects_failure() -> None:
    assert frames_of(BLUEBIRD_WINDOWS_TEST).project == 2
    assert not runner_own_stack(BLUEBIRD_WINDOWS_TEST)
