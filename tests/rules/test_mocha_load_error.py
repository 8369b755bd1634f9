"""collect.mocha-load-error: an exception raised while mocha loads the test files stops every test before any runs,
a collection error whatever the exception's type (corpus26's Travis log, where `ReferenceError: document is not
defined` under `Mocha.loadFiles` was read as runtime.jvm-js-exception's runtime exception at P2).

Real shapes: microsoft/TypeScript#18505 (`gulp runtests`: `TypeError: describe is not a function` under
`at Array.forEach (<anonymous>)` / `at Mocha.loadFiles (...)`), elastic/kibana#5891 (`npm run mocha`: `ReferenceError:
define is not defined` under `at Array.forEach (native)` / `at Mocha.loadFiles (...)`), firebase/firebase-functions#1739
(mocha 8+'s `Exception during run: TypeError: fn is not a function`, the tests failing "before they even start").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gardener.config import Config
from tests.corpus_scoring import classified, evidence_lines
from tests.rules.excerpt_first import first_finding_of

TYPESCRIPT_18505 = (
    "/home/andy/TypeScript/src/harness/compilerRunner.ts:190\n"
    '        describe(this.testSuiteName + " tests", () => {\n'
    "        ^\n"
    "TypeError: describe is not a function\n"
    "    at CompilerBaselineRunner.initializeTests (/home/andy/TypeScript/src/harness/compilerRunner.ts:190:9)\n"
    "    at runTests (/home/andy/TypeScript/src/harness/runner.ts:30:24)\n"
    "    at require (internal/module.js:11:18)\n"
    "    at /home/andy/TypeScript/node_modules/mocha/lib/mocha.js:231:27\n"
    "    at Array.forEach (<anonymous>)\n"
    "    at Mocha.loadFiles (/home/andy/TypeScript/node_modules/mocha/lib/mocha.js:228:14)\n"
    "    at Mocha.run (/home/andy/TypeScript/node_modules/mocha/lib/mocha.js:514:10)\n"
)
KIBANA_5891 = (
    "> kibana@5.0.0-snapshot mocha /Users/Court/p/kibana\n"
    "> mocha\n"
    "\n"
    "/Users/Court/p/kibana/test/apiIntern.js:3\n"
    "define({\n"
    "^\n"
    "\n"
    "ReferenceError: define is not defined\n"
    "    at Object.<anonymous> (/Users/Court/p/kibana/test/apiIntern.js:1:1)\n"
    "    at Module._compile (module.js:435:26)\n"
    "    at require (module.js:385:17)\n"
    "    at /Users/Court/p/kibana/node_modules/mocha/lib/mocha.js:216:27\n"
    "    at Array.forEach (native)\n"
    "    at Mocha.loadFiles (/Users/Court/p/kibana/node_modules/mocha/lib/mocha.js:213:14)\n"
    "    at Mocha.run (/Users/Court/p/kibana/node_modules/mocha/lib/mocha.js:453:10)\n"
)
FIREBASE_1739 = (
    "> mocha\n\nException during run: TypeError: fn is not a function\nError: Process completed with exit code 1.\n"
)


@pytest.mark.parametrize(("text", "error"), [
    (TYPESCRIPT_18505, "describe is not a function"),
    (KIBANA_5891, "define is not defined"),
    (FIREBASE_1739, "fn is not a function"),
])
def test_an_exception_while_mocha_loads_the_files_is_a_collection_error(text: str, error: str, config: Config,
                                                                        tmp_path: Path) -> None:
    f = first_finding_of(text, config, tmp_path)
    assert (f.category, f.rule_id) == ("import-collection-error", "collect.mocha-load-error"), f
    assert error in f.title, f.title


# Near-misses: mocha's reporter crashing after the tests ran (zeromq/zeromq.js#625, `TypeError: test.titlePath is not a
# function` under `Spec.Base.epilogue`), and a test's own TypeError under the runner (`Context.<anonymous>`,
# `Runner.runTest`): neither stack leaves mocha's loading of the files.
@pytest.mark.parametrize("text", [
    "TypeError: test.titlePath is not a function\n"
    "    at /Users/runner/work/zeromq.js/zeromq.js/node_modules/.pnpm/mocha@10.4.0/node_modules/mocha/lib/reporters/"
    "base.js:327:10\n"
    "    at Array.forEach (<anonymous>)\n"
    "    at Spec.Base.epilogue (/Users/runner/work/zeromq.js/zeromq.js/node_modules/.pnpm/mocha@10.4.0/node_modules/"
    "mocha/lib/reporters/base.js:426:10)\n"
    " ELIFECYCLE  Test failed. See above for more details.\n",
    "  1) parser\n       parses a header:\n     TypeError: Cannot read properties of undefined (reading 'name')\n"
    "      at Context.<anonymous> (test/parser.test.js:12:20)\n"
    "      at Runner.runTest (node_modules/mocha/lib/runner.js:789:12)\n"
    "Error: Process completed with exit code 1.\n",
])
def test_a_reporter_crash_or_a_tests_own_exception_is_not_it(text: str, config: Config, tmp_path: Path) -> None:
    path = tmp_path / "excerpt.txt"
    path.write_text(text, encoding="utf-8")
    findings = classified(path, config)
    assert findings and all(f.rule_id != "collect.mocha-load-error" for f in findings)


def test_the_evidence_is_the_exception_not_npms_closing_line(config: Config, tmp_path: Path) -> None:
    # kibana#5891's run under `npm test`, closed by npm's own lines: `npm ERR! Test failed.` is a wrapper
    # (locator.WRAPPER_LINE), so the line the rule decides by, the ReferenceError, is the evidence
    # (whole_excerpt.pointed_at_cause).
    text = (KIBANA_5891 + "    at Object.<anonymous> (/Users/Court/p/kibana/node_modules/mocha/bin/_mocha:401:18)\n"
            "npm ERR! Test failed.  See above for more details.\n")
    f = first_finding_of(text, config, tmp_path)
    lines = text.split("\n")
    assert f.rule_id == "collect.mocha-load-error"
    assert [lines[n - 1] for n in sorted(evidence_lines(f, text))] == ["ReferenceError: define is not defined"], f
