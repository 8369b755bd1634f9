"""The failure-listing readers: mocha, ExUnit, minitest (rake and Rails), TAP (prove) and Pester (issue 12 item 1).

Before them the generic layer read these logs' assertion lines as incidents: one finding for the two or
three failing tests of a run (minitest, TAP, Pester, ExUnit), a test lost (mocha's TypeError, Rails'
NoMethodError), ids that were no test's name, npm's `Test failed.` joined as a test. Each excerpt in
tests/data/logs/listings/ cites its public sources in that folder's README.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gardener.classify import find
from gardener.config import Config
from gardener.ingest import runner_log
from gardener.whole_excerpt import ingest_for_classify

DATA = Path(__file__).resolve().parents[1] / "data" / "logs" / "listings"

# (id, outcome, evidence line, error type, file, line) of each failing test, from reading each excerpt by hand.
EXPECTED = {
    "mocha.log": [
        ("Basic Tests - Gift Card API should return content type as json, server as kestrel", "failed", 22,
         "AssertionError", "test/api.spec.js", 31),
        ("Basic Tests - Gift Card API should not be gzip compressed", "failed", 27, "TypeError", "test/api.spec.js",
         52),
        ("reporter shows reason for failed assertion", "failed", 34, "AssertionError", "test/aTest.js", 4),
    ],
    "exunit.log": [
        ("test/kv/registry_test.exs::KV.RegistryTest::test removes buckets on exit", "failed", 8, "exit",
         "test/kv/registry_test.exs", 23),
        ("test/kv/bucket_test.exs::KV.BucketTest::test store values by key", "failed", 18, "ExUnit.AssertionError",
         "test/kv/bucket_test.exs", 9),
    ],
    "minitest.log": [
        ("minitest-rg::test_0002_fails", "failed", 13, "Minitest::Assertion",
         "/tmp/minitest-rg/test/test_minitest-rg.rb", 13),
        ("minitest-rg::test_0003_error", "error", 20, "RuntimeError", "/tmp/minitest-rg/test/test_minitest-rg.rb", 18),
        ("TestRouteGenerator::test_route_generator", "failed", 25, "Minitest::Assertion",
         "/home/ci/minitest-rails/test/generators/test_route_generator.rb", 7),
    ],
    "rails-test.log": [
        ("IPControllerTest::test_fail", "failed", 10, "Minitest::Assertion",
         "/home/runner/work/vts/vts/test/integration/ip_controller_test.rb", 10),
        ("AbcControllerTest::test_should_get_def", "error", 19, "NoMethodError",
         "test/controllers/abc_controller_test.rb", 6),
    ],
    "prove.log": [
        ("t/01-cart.t::total includes tax", "failed", 7, "", "t/01-cart.t", 14),
        ("t/01-cart.t::discount applies", "failed", 13, "", "t/01-cart.t", 22),
    ],
    "pester.log": [
        ("Get-CartTotal.adds tax to the total", "failed", 5, "", "/home/runner/work/shop/shop/tests/Cart.Tests.ps1", 9),
        ("Get-CartTotal.applies the discount", "failed", 9, "", "/home/runner/work/shop/shop/tests/Cart.Tests.ps1", 15),
    ],
}
# The category of each failing test's finding.
CATEGORIES = {
    "mocha.log": ["assertion-failure", "runtime-exception", "assertion-failure"],
    "exunit.log": ["runtime-exception", "assertion-failure"],
    "minitest.log": ["assertion-failure", "runtime-exception", "assertion-failure"],
    "rails-test.log": ["assertion-failure", "runtime-exception"],
    "prove.log": ["assertion-failure", "assertion-failure"],
    "pester.log": ["assertion-failure", "assertion-failure"],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_failing_test_is_a_result_with_its_name_message_and_line(name: str) -> None:
    parsed = runner_log.parse(DATA / name)
    failing = [r for r in parsed.results if r.is_failing]
    got = [(r.id, r.outcome, r.source_line, r.error_type, r.file, r.line) for r in failing]
    assert got == EXPECTED[name]
    assert all(r.is_test and r.message and r.details for r in failing)
    assert parsed == runner_log.parse_every_line(DATA / name)  # the prefilter changes nothing


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_failing_test_is_its_own_finding_with_its_evidence_line(name: str) -> None:
    config = Config()
    findings = find(ingest_for_classify([str(DATA / name)], config.rules).results, config)
    by_test = {r.id: f for f in findings for r in f.results if r.is_failing}
    expected = EXPECTED[name]
    assert list(by_test) == [e[0] for e in expected] or set(by_test) == {e[0] for e in expected}
    assert [by_test[e[0]].category for e in expected] == CATEGORIES[name]
    for test, _, line, *_ in expected:
        assert line in [r.source_line for r in by_test[test].results]
    # No wrapper (npm's `Test failed.`, prove's `(Wstat: ...)`, `rake aborted!`) is a test of a finding.
    assert {r.id for f in findings for r in f.results} == {e[0] for e in expected}


PASSING = {
    "mocha": "  Cart\n    ✓ totals the lines\n    ✓ applies tax\n\n\n  2 passing (12ms)\n\n",
    "exunit": "$ mix test\n....\n\nFinished in 0.05 seconds (0.00s async, 0.05s sync)\n"
              "1 doctest, 3 tests, 0 failures\n",
    "minitest": "Run options: --seed 4201\n\n# Running:\n\n....\n\nFinished in 0.002s, 2000 runs/s.\n\n"
                "4 runs, 6 assertions, 0 failures, 0 errors, 0 skips\n",
    "prove": "t/00-load.t ....... ok\nt/01-cart.t ....... ok\nAll tests successful.\n"
             "Files=2, Tests=9,  0 wallclock secs\nResult: PASS\n",
    "tap": "1..3\nok 1 - cart starts empty\nnot ok 2 - refunds # TODO not written yet\nok 3 - items are counted\n",
    "pester": "Starting discovery in 1 files.\nDiscovery found 3 tests in 40ms.\nRunning tests.\n"
              "[+] /src/tests/Cart.Tests.ps1 512ms (80ms|380ms)\nTests completed in 520ms\n"
              "Tests Passed: 3, Failed: 0, Skipped: 0 NotRun: 0\n",
}


@pytest.mark.parametrize("runner", sorted(PASSING))
def test_a_passing_run_has_no_failing_result(tmp_path: Path, runner: str) -> None:
    log = tmp_path / "job.log"
    log.write_text(PASSING[runner], encoding="utf-8")
    results = runner_log.parse(log).results
    assert not [r for r in results if r.is_failing]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_log_cut_inside_its_last_block_keeps_every_test(tmp_path: Path, name: str) -> None:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines(keepends=True)
    last_line = EXPECTED[name][-1][2]
    for cut in (last_line, last_line + 1):  # at the last test's message, and just after it
        log = tmp_path / name
        log.write_text("".join(lines[:cut]), encoding="utf-8")
        parsed = runner_log.parse(log)
        ids = [r.id for r in parsed.results if r.is_test and r.is_failing]
        assert ids == [e[0] for e in EXPECTED[name]]
        assert parsed == runner_log.parse_every_line(log)


def test_prove_without_v_reads_the_diagnostics_alone(tmp_path: Path) -> None:
    # Without -v prove prints no `not ok` lines: the `#   Failed test` diagnostics (stderr) name the failures.
    log = tmp_path / "job.log"
    log.write_text(
        "t/01-cart.t .. 1/4 \n#   Failed test 'total includes tax'\n#   at t/01-cart.t line 14.\n"
        "#          got: '100'\n#     expected: '107'\n#   Failed test at t/01-cart.t line 22.\n"
        "# Looks like you failed 2 tests of 4.\nt/01-cart.t .. Dubious, test returned 2 (wstat 512, 0x200)\n",
        encoding="utf-8")
    failing = [r for r in runner_log.parse(log).results if r.is_failing]
    assert [(r.id, r.source_line, r.line) for r in failing] == [
        ("t/01-cart.t::total includes tax", 2, 14), ("t/01-cart.t::line 6", 6, 22)]


def test_a_node_tap_yaml_block_is_the_message_and_a_bail_out_an_error(tmp_path: Path) -> None:
    log = tmp_path / "job.log"
    log.write_text(
        "TAP version 13\n# Subtest: cart\nnot ok 1 - should be equal\n  ---\n  operator: equal\n"
        "  expected: 107\n  actual: 100\n  at: Test.<anonymous> (/src/test/cart.js:9:5)\n  ...\n"
        "Bail out! database unreachable\n", encoding="utf-8")
    failing = [r for r in runner_log.parse(log).results if r.is_failing]
    assert [(r.id, r.outcome, r.source_line) for r in failing] == [
        ("should be equal", "failed", 5), ("Bail out!", "error", 10)]
    assert failing[0].message.splitlines() == ["operator: equal", "expected: 107", "actual: 100",
                                               "at: Test.<anonymous> (/src/test/cart.js:9:5)"]


def test_a_tap_yaml_block_gives_the_line_that_says_what_failed_as_evidence(tmp_path: Path) -> None:
    # node's old test runner puts the error inside `stack: |-` after its metadata; node:test's TAP reporter writes
    # `error: |-` and the message on the next line (lib/internal/test_runner/reporter/tap.js). The evidence is that
    # line, not `duration_ms:`; the message (and so the key) stays the whole block.
    log = tmp_path / "job.log"
    log.write_text(
        "not ok 8 addons/async-resource/test\n  ---\n  duration_ms: 0.205\n  severity: fail\n  stack: |-\n"
        "    module.js:550\n        throw err;\n    Error: Cannot find module './build/Release/binding'\n"
        "        at Function.Module._resolveFilename (module.js:548:15)\n  ...\n"
        "not ok 9 - adds numbers\n  ---\n  duration_ms: 0.51\n  error: |-\n    Expected values to be strictly equal:\n"
        "  code: 'ERR_ASSERTION'\n  ...\n", encoding="utf-8")
    failing = [r for r in runner_log.parse(log).results if r.is_failing]
    assert [(r.id, r.source_line) for r in failing] == [("addons/async-resource/test", 8), ("adds numbers", 15)]
    assert failing[0].message.splitlines()[0] == "duration_ms: 0.205"


def test_nested_pester_output_names_the_test_by_its_blocks(tmp_path: Path) -> None:
    # Pester 4 and Pester 5's Detailed output nest the `[-]` line under Describing/Context.
    log = tmp_path / "job.log"
    log.write_text(
        "Describing Get-CartTotal\n  Context with tax\n    [-] adds tax to the total 23ms\n"
        "      Expected 107, but got 100.\n      at <ScriptBlock>, C:\\src\\Cart.Tests.ps1: line 9\n"
        "      9:         $total | Should -Be 107\n    [+] keeps the items 3ms\n"
        "  [-] Context without items failed\n    RuntimeException: no items\n"
        "Tests Passed: 1, Failed: 2, Skipped: 0, Pending: 0, Inconclusive: 0\n", encoding="utf-8")
    failing = [r for r in runner_log.parse(log).results if r.is_failing]
    assert [(r.id, r.outcome, r.source_line, r.file, r.line, r.error_type) for r in failing] == [
        ("Get-CartTotal.with tax.adds tax to the total", "failed", 4, "C:\\src\\Cart.Tests.ps1", 9, ""),
        ("Get-CartTotal.without items", "error", 9, None, None, "RuntimeException"),
    ]


def test_an_exunit_setup_all_failure_is_an_error_of_the_module(tmp_path: Path) -> None:
    log = tmp_path / "job.log"
    log.write_text(
        "\n  1) KV.RegistryTest: failure on setup_all callback, all tests have been invalidated\n"
        "     ** (RuntimeError) registry not started\n     stacktrace:\n"
        "       test/kv/registry_test.exs:7: KV.RegistryTest.__ex_unit_setup_all_0/1\n\n"
        "Finished in 0.1 seconds\n3 tests, 0 failures, 3 invalid\n", encoding="utf-8")
    [result] = [r for r in runner_log.parse(log).results if r.is_failing]
    assert (result.id, result.outcome, result.error_type, result.source_line) == (
        "KV.RegistryTest", "error", "RuntimeError", 3)
    assert (result.file, result.line) == ("test/kv/registry_test.exs", 7)


def test_a_mocha_hook_failure_is_an_error(tmp_path: Path) -> None:
    log = tmp_path / "job.log"
    log.write_text(
        '  0 passing (2s)\n  1 failing\n\n  1) Orders\n       "before all" hook for "lists orders":\n'
        "     Error: connect ECONNREFUSED 127.0.0.1:5432\n      at TCPConnectWrap.afterConnect [as oncomplete]"
        " (node:net:1494:16)\n\n", encoding="utf-8")
    [result] = [r for r in runner_log.parse(log).results if r.is_failing]
    hook = 'Orders "before all" hook for "lists orders"'
    assert (result.id, result.outcome, result.source_line) == (hook, "error", 6)
    assert result.file is None  # node's own frame is not where it failed


# Fake credentials assembled from pieces so this file holds no literal a scanner flags.
TOKEN = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"


def test_secrets_and_mentions_in_listings_never_reach_the_output(tmp_path: Path) -> None:
    log = tmp_path / "job.log"
    log.write_text(
        "  1 failing\n\n  1) login for @octocat\n       accepts the token:\n"
        f"     AssertionError: expected 'Bearer {TOKEN}' to equal 'x' (cc @octocat)\n"
        "      at Context.<anonymous> (test/login.spec.js:9:5)\n\n"
        f"  1) Failure:\nLoginTest#test_token [test/login_test.rb:4]:\n"
        f"Expected \"{TOKEN}\" to be nil, ping @octocat\n\n"
        "1 runs, 1 assertions, 1 failures, 0 errors, 0 skips\n"
        f"not ok 1 - token {TOKEN} for @octocat\n#   Failed test 'token'\n#   at t/login.t line 3.\n"
        f"[-] Login.uses {TOKEN} 3ms\n Expected @octocat, but got {TOKEN}.\n", encoding="utf-8")
    parsed = runner_log.parse(log)
    assert len([r for r in parsed.results if r.is_failing]) == 4
    done = subprocess.run([sys.executable, "-m", "gardener", "classify", "--json", str(log)], capture_output=True,
                          text=True, timeout=120, cwd=tmp_path, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["findings"]
    assert TOKEN not in done.stdout and TOKEN[4:20] not in done.stdout
    assert "@octocat" not in done.stdout


def test_an_exunit_linked_process_crash_is_named_by_its_exception(tmp_path: Path) -> None:
    # `** (EXIT from #PID<...>) an exception was raised:` names no exception: the next `** (X)` line does.
    log = tmp_path / "job.log"
    log.write_text(
        "  1) test start_link/1 starts the worker (MyApp.WorkerTest)\n     test/my_app/worker_test.exs:8\n"
        "     ** (EXIT from #PID<0.312.0>) an exception was raised:\n         ** (ArgumentError) argument error\n"
        "             (my_app 0.1.0) lib/my_app/worker.ex:22: MyApp.Worker.init/1\n", encoding="utf-8")
    [result] = [r for r in runner_log.parse(log).results if r.is_failing]
    assert (result.id, result.error_type, result.source_line) == (
        "test/my_app/worker_test.exs::MyApp.WorkerTest::test start_link/1 starts the worker", "ArgumentError", 3)
    assert (result.file, result.line) == ("test/my_app/worker_test.exs", 8)


RAILS_REPORTER_CRASH = """\
Run options: --seed 5120

# Running:

..F

Failure:
FormTagTest#test_select_is_wrapped [/app/test/form_tag_test.rb:18]:
Expected "<div>" to equal "<span>".


/gems/railties-5.1.7/lib/rails/test_unit/reporter.rb:70:in `method': undefined method `test_select_is_wrapped' \
for class `Minitest::Result' (NameError)
\tfrom /gems/railties-5.1.7/lib/rails/test_unit/reporter.rb:70:in `format_rerun_snippet'
\tfrom /gems/minitest-5.11.3/lib/minitest.rb:786:in `record'
Done.
"""


def test_an_exception_escaping_the_run_after_a_block_is_the_log_s_own_failure(tmp_path: Path) -> None:
    log = tmp_path / "rails.log"
    log.write_text(RAILS_REPORTER_CRASH, encoding="utf-8")
    parsed = runner_log.parse(log)
    assert parsed == runner_log.parse_every_line(log)
    test, crash = [r for r in parsed.results if r.is_failing]
    assert test.id == "FormTagTest::test_select_is_wrapped" and test.is_test
    assert crash.id.startswith("log:rails:NameError:") and not crash.is_test
    assert (crash.outcome, crash.error_type, crash.source_line) == ("error", "NameError", 12)
    assert "format_rerun_snippet" in crash.details and "minitest.rb:786" in crash.details
    assert "Done." not in crash.details
    # The test's own block is unchanged: the crash is not part of its message.
    assert test.message == 'Expected "<div>" to equal "<span>".'
    # A Ruby crash with no minitest block right before it is not minitest's to read.
    from gardener.ingest.runner_log.minitest import MinitestReader

    reader = MinitestReader(str(log), "log")
    for number, line in enumerate(RAILS_REPORTER_CRASH.split('"<span>".\n')[1].splitlines(), 1):
        reader.feed(number, line, None)
    assert reader.finish() == ()


# Cypress's retried attempts (round 10's cypress scenario). Real shapes: GSA/catalog.data.gov#1535 (every attempt
# fails: `(Attempt 1 of 3) Test Dataset is present` ... `1) Test Dataset is present`), kuceb/cypress-plugin-retries#58
# (`(retry 1/2 ) use combined filters ... (example #4)` printed twice, then `1) ...`; `√ ... (example #3) (4496ms)`),
# Cypress's guide on test retries (a pass after a failed attempt is its flaky test).
CYPRESS_ATTEMPTS = {
    "a pass after one failed attempt (Cypress 13)": (
        "  Sign-in\n    ✓ shows the sign-in form (612ms)\n    (Attempt 1 of 3) signs in with a magic link\n"
        "    ✓ signs in with a magic link (2341ms)\n\n\n  2 passing (6s)\n",
        [("signs in with a magic link", 2)]),
    "a pass after two failed attempts, cypress-plugin-retries' words": (
        "Search for a candidate\n    √ use combined filters to search for a candidate (example #3) (4496ms)\n"
        "    (retry 1/2 ) use combined filters to search for a candidate (example #4)\n"
        "    (retry 1/2 ) use combined filters to search for a candidate (example #4)\n"
        "    (retry 2/2 ) use combined filters to search for a candidate (example #4)\n"
        "    √ use combined filters to search for a candidate (example #4) (5120ms)\n",
        [("use combined filters to search for a candidate (example #4)", 3)]),
    # Near-misses: every attempt failed (the listing reads the failure), and a pass of another test.
    "every attempt fails (GSA/catalog.data.gov, its compose prefix off)": (
        "  Prepare\n    ✓ Test Org is present (12234ms)\n"
        "    (Attempt 1 of 3) Test Dataset is present\n    (Attempt 2 of 3) Test Dataset is present\n"
        "    1) Test Dataset is present\n\n    ✓ Test Dataset is present (1200ms)\n", []),
    "a later test passes, not the retried one": (
        "    (retry 1/2 ) use combined filters to search for a candidate (example #4)\n"
        "    1) use combined filters to search for a candidate (example #4)\n"
        "    √ use combined filters to search for a candidate (example #5) (4100ms)\n", []),
}


@pytest.mark.parametrize("case", list(CYPRESS_ATTEMPTS))
def test_cypress_pass_after_a_failed_attempt_is_flaky(tmp_path: Path, case: str) -> None:
    text, expected = CYPRESS_ATTEMPTS[case]
    log = tmp_path / "job.log"
    log.write_text(text, encoding="utf-8")
    flaky = [(r.id, r.attempts) for r in runner_log.parse(log).results if r.outcome == "flaky"]
    assert flaky == expected
