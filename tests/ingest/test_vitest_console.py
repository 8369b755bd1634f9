"""vitest's failure report read as test results (runner_log/vitest.py), and classified by what it says."""

from __future__ import annotations

from pathlib import Path

from gardener.classify import find
from gardener.config import Config
from gardener.ingest import runner_log
from gardener.whole_excerpt import ingest_for_classify

# The shape of vitest 2/3's default reporter after a run: failed suites, failed tests (two sharing one error).
RUN = """\
 ❯ src/cart.test.ts (3 tests | 2 failed) 12ms
   × cart > total > adds tax 5ms
 ✓ src/util.test.ts (4 tests) 3ms

⎯⎯⎯⎯⎯⎯ Failed Suites 1 ⎯⎯⎯⎯⎯⎯⎯

 FAIL  src/api.test.ts [ src/api.test.ts ]
Error: Failed to load url ./client (resolved id: ./client) in /repo/src/api.test.ts. Does the file exist?
 ❯ loadAndTransform node_modules/vite/dist/node/chunks/dep-x.js:51969:17

⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯[1/3]⎯

⎯⎯⎯⎯⎯⎯⎯ Failed Tests 2 ⎯⎯⎯⎯⎯⎯⎯

 FAIL  src/cart.test.ts > cart > total > adds tax
AssertionError: expected 107 to be 110 // Object.is equality

- Expected
+ Received

- 110
+ 107

 ❯ src/cart.test.ts:14:25
     12|   it('adds tax', () => {
     13|     const cart = new Cart([item])
     14|     expect(cart.total()).toBe(110)
       |                          ^

⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯[2/3]⎯

 FAIL  src/cart.test.ts > cart > empty > is zero
 FAIL  src/cart.test.ts > cart > empty > has no items
TypeError: Cannot read properties of undefined (reading 'items')
 ❯ Cart.total src/cart.ts:9:17
 ❯ src/cart.test.ts:22:12

⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯[3/3]⎯

 Test Files  2 failed | 1 passed (3)
      Tests  3 failed | 4 passed (7)
   Duration  1.02s
Error: Process completed with exit code 1.
"""


def test_each_failure_is_a_result_named_as_vitest_junit_names_it(tmp_path: Path) -> None:
    log = tmp_path / "job.log"
    log.write_text(RUN)
    parsed = runner_log.parse(log)
    tests = {r.id: r for r in parsed.results if r.is_test}
    assert set(tests) == {"src/api.test.ts", "src/cart.test.ts::cart > total > adds tax",
                          "src/cart.test.ts::cart > empty > is zero", "src/cart.test.ts::cart > empty > has no items"}
    suite = tests["src/api.test.ts"]
    assert suite.outcome == "error" and suite.message.startswith("Error: Failed to load url ./client")
    tax = tests["src/cart.test.ts::cart > total > adds tax"]
    assert (tax.outcome, tax.error_type, tax.source_line) == ("failed", "AssertionError", 16)
    assert tax.message == "AssertionError: expected 107 to be 110 // Object.is equality" and tax.line == 14
    zero = tests["src/cart.test.ts::cart > empty > is zero"]
    assert zero.error_type == "TypeError" and zero.source_line == 34  # the shared error's line
    assert tests["src/cart.test.ts::cart > empty > has no items"].message == zero.message
    assert not [r for r in parsed.results if not r.is_test and r.is_failing]


def test_failures_are_classified_by_their_errors(tmp_path: Path) -> None:
    log = tmp_path / "job.log"
    log.write_text(RUN)
    config = Config()
    findings = find(ingest_for_classify([str(log)], config.rules).results, config)
    by_test = {r.id: f.category for f in findings for r in f.results if r.is_test}
    assert by_test["src/cart.test.ts::cart > total > adds tax"] == "assertion-failure"
    assert by_test["src/cart.test.ts::cart > empty > is zero"] == "runtime-exception"


def test_the_summary_before_the_blocks_does_not_end_the_list(tmp_path: Path) -> None:
    # On Actions stdout and stderr interleave: the totals can come between a section's title and its blocks.
    text = ("⎯⎯⎯⎯⎯⎯ Failed Suites 1 ⎯⎯⎯⎯⎯⎯⎯\n\n Test Files  1 failed | 3 passed (4)\n      Tests  8 passed (11)\n\n"
            " FAIL  test/x.test.ts > integration\nError: the fixture could not be applied\n ❯ test/util.ts:31:20\n\n"
            "⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯[1/1]⎯\n")
    log = tmp_path / "job.log"
    log.write_text(text)
    tests = [r for r in runner_log.parse(log).results if r.is_test]
    assert [(r.id, r.outcome, r.source_line) for r in tests] == [("test/x.test.ts::integration", "error", 7)]


def test_the_prefiltered_read_is_the_every_line_read(tmp_path: Path) -> None:
    log = tmp_path / "test.log"
    log.write_text("".join(f"2026-12-01T10:00:{i % 60:02d}.0000000Z {line}\n"
                           for i, line in enumerate(("noise line",) * 300 + tuple(RUN.splitlines()))))
    assert runner_log.parse(log, chunk_bytes=512) == runner_log.parse_every_line(log)


def test_a_task_runner_prefix_on_every_line_is_read_through(tmp_path: Path) -> None:
    # turbo prefixes each line of a task's output with `<package>:<task>: `.
    text = "".join(f"web:test: {line}\n" for line in (
        "⎯⎯⎯⎯⎯⎯⎯ Failed Tests 1 ⎯⎯⎯⎯⎯⎯⎯", "", " FAIL  src/a.spec.ts > api > retries",
        "Error: Test timed out in 20000ms.", " ❯ src/a.spec.ts:86:2", "⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯[1/1]⎯"))
    log = tmp_path / "job.log"
    log.write_text(text + " ERROR  run failed: command  exited (1)\n")
    tests = [r for r in runner_log.parse(log).results if r.is_test]
    assert [(r.id, r.source_line, r.line) for r in tests] == [("src/a.spec.ts::api > retries", 4, 86)]


# vitest 3's verbose reporter (and its default one outside a TTY) under pnpm's recursive run: one test passed only on
# its retry, one failed on every try (its `×` line says retry x2 too), the others passed at once.
RETRIED = """\
packages/notifications test:  ✓ src/templates.test.ts > renders the order confirmation 4ms
packages/notifications test:  ✓ src/relay.test.ts > retries a 503 from the mail relay once 1212ms (retry x1)
packages/notifications test:  √ src/relay.test.ts > signs the payload (retry x2)
packages/notifications test:  × src/relay.test.ts > drops a poisoned message 31ms (retry x2)
packages/notifications test:  ✓ src/digest.test.ts > batches notifications per hour (retry x0 in the name) 3ms
"""


def test_a_test_that_passed_on_a_retry_is_flaky_with_its_attempts(tmp_path: Path) -> None:
    log = tmp_path / "job.log"
    log.write_text(RETRIED)
    tests = {r.id: r for r in runner_log.parse(log).results if r.is_test}
    assert {rid: (r.outcome, r.attempts, r.source_line) for rid, r in tests.items()} == {
        "src/relay.test.ts::retries a 503 from the mail relay once": ("flaky", 2, 2),
        "src/relay.test.ts::signs the payload": ("flaky", 3, 3),  # no duration shown
    }  # a test failed on every try (`×`) is no flaky one; a name that mentions a retry is no retry
    assert runner_log.parse(log, chunk_bytes=64) == runner_log.parse_every_line(log)


def test_a_retried_pass_is_classified_a_flaky_test(tmp_path: Path) -> None:
    log = tmp_path / "job.log"
    log.write_text(RETRIED)
    config = Config()
    findings = find(ingest_for_classify([str(log)], config.rules).results, config)
    (flaky,) = [f for f in findings if any("retries a 503" in r.id for r in f.results)]
    assert (flaky.category, flaky.priority) == ("flaky-test", "P3")
