"""A test framework's own word that a test FAILED (an expectation did not hold), as opposed to ERRORED.

Several test frameworks list a failing test under a header that says which of two kinds it is, and keep the
kinds apart by documented definition: a failure is an assertion that did not hold, an error is an exception or a
PHP/runtime error that escaped the test.

- PHPUnit: `There was 1 failure:` / `There were 12 errors:` over the numbered blocks;
- minitest: `  1) Failure:` / `  1) Error:` over each block;
- Ruby's test-unit: `Failure: test_x(TestY)` / `Error: test_x(TestY): RuntimeError: ...`;
- Python's unittest: `FAIL: test_x (mod.TestY)` / `ERROR: test_x (mod.TestY)` over each traceback;
- NUnit's console: `1) Failed : Ns.Class.Method` / `2) Error : Ns.Class.Method`;
- testthat: `── Failure (test-x.R:3:3): name ──` / `── Error (...)` (`1. Failure (at test-x.R#3): name` before 3e);
- clojure.test: `FAIL in (adds-test) (core_test.clj:7)` / `ERROR in (...)`;
- Julia's Test: `name: Test Failed at /x/runtests.jl:12` / `name: Error During Test at ...`;
- Robot Framework: `Total Adds Up    | FAIL |` over the message of the keyword that failed (it has no error kind:
  an exception a keyword raised names itself, `NoSuchElementException: ...`, and is named by its words first);
- Maven surefire: `testX(com.acme.FooTest)  Time elapsed: 0.01 s  <<< FAILURE!` / `<<< ERROR!` (not the class's
  `Tests run: ..., Failures: 1 ... <<< FAILURE!` summary, which says it for any kind).

A message under the failure kind's header is therefore an assertion's, even when its words are only what the test
said (`$this->fail('this fails')`, minitest's `flunk`, a custom matcher's text). The nearest header above the line
decides: a block under an error kind's header is not read as a failure.

Pure; RE2 (gardener.regex), compiled on first use.
"""

from __future__ import annotations

from collections.abc import Sequence

from gardener import regex as re
from gardener.text import markdown_unquoted

_FAILURE_HEADER = re.lazy(
    r"^\s*(?:There (?:was|were) [1-9]\d* failures?:|(?:\d+\) )?Failure:\s*$|Failure: \w+\(\S+\)|FAIL: \w+ \(\S+\)"
    r"|\d+\) Failed : \S|── Failure \(|\d+\. Failure(?: \(at [^)]*\))?: |FAIL in \(|\S[^\n]*: Test Failed at \S)"
    # (surefire 2's `testX(com.acme.CartTest)  Time elapsed`, 3's `[ERROR] com.acme.CartTest.testX -- Time elapsed`)
    r"|^\s*(?:\[\w+\]\s*|Error:\s*)?\S+\s+(?:-- )?Time elapsed: [\d.,]+ s(?:ec)?\s+(?P<mark><<< FAILURE!)\s*$"
    # Robot Framework's test status line (`Total Adds Up    | FAIL |`), its failure message under it.
    r"|^\S[^\n]*\s(?P<robot>\| FAIL \|)\s*$"
)
_ERROR_HEADER = re.lazy(
    r"^\s*(?:There (?:was|were) [1-9]\d* (?:errors?|warnings?|risky tests?|incomplete tests?|skipped tests?):"
    r"|(?:\d+\) )?Error:\s*$|Error: \w+\(\S+\)|ERROR: \w+ \(\S+\)|\d+\) Error : \S|── Error \("
    r"|\d+\. Error(?: \(at [^)]*\))?: |ERROR in \(|\S[^\n]*: Error During Test at \S)"
    r"|<<< ERROR!\s*$"
)


def failure_header(before: Sequence[str]) -> str:
    """The framework's header saying the block the lines `before` lead into is a failure (an assertion that did not
    hold), or '' when the nearest kind header says error, or there is none (pure)."""
    for text in reversed(before):
        line = markdown_unquoted(text)
        if _ERROR_HEADER.search(line) is not None:
            return ""
        if (found := _FAILURE_HEADER.search(line)) is not None:
            return (found.group("mark") or found.group("robot") or found.group(0)).strip()
    return ""
