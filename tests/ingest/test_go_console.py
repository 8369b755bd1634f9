"""go test output in CI logs (and in gotestsum / go-junit-report JUnit): test results, not log incidents."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from gardener.ingest import ingest, junit, runner_log
from gardener.ingest.dedupe import dedupe
from gardener.model import Counts, Result

LOGS = Path(__file__).parent.parent / "data" / "logs"
DIALECTS = Path(__file__).parent.parent / "data" / "junit" / "dialects"
CART = "example.com/shop/internal/cart"


def by_id(results: tuple[Result, ...] | list[Result]) -> dict[str, Result]:
    return {r.id: r for r in results}


def parse_text(tmp_path: Path, text: str) -> dict[str, Result]:
    path = tmp_path / "go.log"
    path.write_text(text, encoding="utf-8")
    return by_id(runner_log.parse(path).results)


def test_gotestsum_log_gives_one_result_per_test_named_like_the_junit_case() -> None:
    parsed = runner_log.parse(LOGS / "go-gotestsum.log")
    results = by_id(parsed.results)
    assert {i: r.outcome for i, r in results.items() if not i.startswith("log:")} == {
        f"{CART}::TestTotals/empty": "passed",
        f"{CART}::TestTotals/discount": "failed",
        f"{CART}::TestRounding": "passed",
        "example.com/shop/internal/queue::TestWorkerPool": "failed",
        "example.com/shop/internal/orders::TestSubmit": "failed",
        "example.com/shop/internal/slug::TestSlugify": "passed",
        "example.com/shop/internal/slug::TestSlow": "skipped",
    }
    # The parent failing only through its subtest, and gotestsum's epilogue repeats, add nothing.
    assert f"{CART}::TestTotals" not in results
    assert len(parsed.results) == 8


def test_testify_failure_is_its_error_field_located_at_the_assertion() -> None:
    failed = by_id(runner_log.parse(LOGS / "go-gotestsum.log").results)[f"{CART}::TestTotals/discount"]
    assert failed.message == "Not equal: expected: 900 actual : 1000"
    assert (failed.file, failed.line) == ("totals_test.go", 52)
    assert "Error Trace:" in failed.details and "--- FAIL: TestTotals/discount" in failed.details


def test_race_report_is_kept_whole_and_names_both_accesses() -> None:
    race = by_id(runner_log.parse(LOGS / "go-gotestsum.log").results)["example.com/shop/internal/queue::TestWorkerPool"]
    assert race.error_type == "data race"
    assert race.message == "WARNING: DATA RACE: read in queue.(*Pool).Size, previous write in queue.(*Pool).Add"
    assert race.line == 27 and race.file is not None and race.file.endswith("internal/queue/pool.go")
    assert "Previous write at 0x00c0000a4018" in race.details  # the whole report, not a cut
    assert "known to be flaky" in race.details  # the test's own log lines stay evidence, not the message


def test_panic_belongs_to_the_running_test_with_its_goroutine_dump() -> None:
    panic = by_id(runner_log.parse(LOGS / "go-gotestsum.log").results)["example.com/shop/internal/orders::TestSubmit"]
    assert (panic.error_type, panic.message) == ("panic", "panic: runtime error: index out of range [3] with length 3")
    assert panic.file is not None and panic.file.endswith("internal/orders/order.go") and panic.line == 58
    assert "goroutine 7 [running]:" in panic.details and "created by testing.(*T).Run" in panic.details


def test_package_that_does_not_compile_is_one_incident_naming_the_compiler_error() -> None:
    results = runner_log.parse(LOGS / "go-gotestsum.log").results
    (build,) = [r for r in results if r.id.startswith("log:")]
    assert build.error_type == "compile-error"
    assert build.message == "internal/tax/rate.go:31:9: undefined: roundCents"
    assert (build.file, build.line) == ("internal/tax/rate.go", 31)
    assert dict(build.properties)["subject"] == "example.com/shop/internal/tax"
    assert "FAIL\texample.com/shop/internal/tax [build failed]" in build.details
    assert "too many return values" in build.details


def test_step_is_explained_by_its_first_failure_and_the_exit_line_is_no_incident() -> None:
    parsed = runner_log.parse(LOGS / "go-gotestsum.log")
    (step,) = parsed.steps
    assert step.status == "FAILED" and step.exit_code == 1
    assert step.key_error.startswith("internal/tax/rate.go:31:9: undefined: roundCents")
    assert not [r for r in parsed.results if r.error_type == "exit-code"]


def test_without_v_the_output_is_indented_under_the_fail_line(tmp_path: Path) -> None:
    results = parse_text(
        tmp_path,
        "--- FAIL: TestParse (0.00s)\n"
        "    --- FAIL: TestParse/currency (0.00s)\n"
        '        parse_test.go:41: Parse("12.50 EUR") = 1250, want 1250 EUR\n'
        "FAIL\n"
        "FAIL\texample.com/money\t0.004s\n"
        "make: *** [Makefile:14: test] Error 1\n",
    )
    assert list(results) == ["example.com/money::TestParse/currency"]
    failed = results["example.com/money::TestParse/currency"]
    assert failed.message == 'parse_test.go:41: Parse("12.50 EUR") = 1250, want 1250 EUR'
    assert (failed.file, failed.line) == ("parse_test.go", 41)


def test_a_failure_line_wins_over_the_test_s_log_lines(tmp_path: Path) -> None:
    results = parse_text(
        tmp_path,
        "=== RUN   TestRefund\n"
        "    orders_test.go:30: refunding order 7\n"
        "    orders_test.go:34: refund total = 1200, want 1000\n"
        "    orders_test.go:36: cleanup done\n"
        "--- FAIL: TestRefund (0.00s)\n",
    )
    assert results["TestRefund"].message == "orders_test.go:34: refund total = 1200, want 1000"  # no package: pasted


def test_panic_without_a_fail_line_is_the_running_test_s() -> None:
    results = runner_log.parse(LOGS / "go-test-panic.log").results
    panic = by_id(results)["github.com/acme/shop/internal/checkout::TestCheckoutFlow"]
    assert panic.outcome == "failed" and panic.message.startswith("panic: runtime error: invalid memory address")
    assert not [r for r in results if r.id.startswith("log:")]  # `make: *** ... Error 1` wraps the failures


def test_epilogue_alone_names_the_failures_with_their_packages(tmp_path: Path) -> None:
    """gotestsum's default format prints failures only after the run, with module-relative packages."""
    results = parse_text(
        tmp_path,
        "✓  internal/api (120ms)\n"
        "✖  internal/cart (31ms)\n"
        "\n"
        "=== Failed\n"
        "=== FAIL: internal/cart TestTotals/discount (0.00s)\n"
        "    totals_test.go:52: total = 1000, want 900\n"
        "    --- FAIL: TestTotals/discount (0.00s)\n"
        "\n"
        "=== FAIL: internal/cart TestTotals (0.00s)\n"
        "\n"
        "DONE 9 tests, 2 failures in 1.204s\n",
    )
    assert list(results) == ["internal/cart::TestTotals/discount"]
    assert results["internal/cart::TestTotals/discount"].message == "totals_test.go:52: total = 1000, want 900"


def test_gotestsum_junit_reads_the_failure_from_the_console_text_and_folds_parents() -> None:
    parsed = junit.parse(DIALECTS / "gotestsum-subtests.xml")
    results = by_id(parsed.results)
    assert f"{CART}::TestTotals" not in results  # failed only through TestTotals/discount
    assert parsed.counts == Counts(cases=6, failures=5, errors=0, skipped=0)  # the file still counts it
    assert results[f"{CART}::TestTotals/discount"].message == "Not equal: expected: 900 actual : 1000"
    build = results["example.com/shop/internal/tax::TestMain"]
    assert (build.message, build.error_type) == ("internal/tax/rate.go:31:9: undefined: roundCents", "compile-error")
    submit = results["example.com/shop/internal/orders::TestSubmit"]
    assert submit.message == "panic: runtime error: index out of range [3] with length 3"
    refund = results["example.com/shop/internal/orders::TestRefund"]
    assert (refund.message, refund.file, refund.line) == (
        "orders_test.go:34: refund total = 1200, want 1000",
        "orders_test.go",
        34,
    )


def test_console_and_junit_of_one_run_are_one_result_per_failure() -> None:
    ing = ingest([str(LOGS / "go-gotestsum.log"), str(DIALECTS / "gotestsum-subtests.xml")])
    merged = dedupe(ing.results)
    failing = [r.id for r in merged if r.is_failing and not r.id.startswith("log:")]
    assert len(failing) == len(set(failing))
    discount = by_id(merged)[f"{CART}::TestTotals/discount"]
    assert discount.source.kind == "junit" and dict(discount.properties)["job_log"].endswith("go-gotestsum.log")


def test_memory_stays_bounded_by_the_result_cap_not_the_log(tmp_path: Path) -> None:
    """Passing tests' output is dropped at their `--- PASS` line; results stop at the reader's cap."""

    def write(path: Path, tests: int) -> None:
        with path.open("w", encoding="utf-8") as fh:
            for i in range(tests):
                fh.write(f"=== RUN   TestCase{i}\n    case_test.go:10: {'chatty output ' * 8}\n")
                fh.write(f"--- PASS: TestCase{i} (0.00s)\n")
            fh.write("PASS\nok  \texample.com/big\t9.000s\n")

    def peak(path: Path) -> int:
        tracemalloc.start()
        runner_log.parse(path)
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    small, large = tmp_path / "small.log", tmp_path / "large.log"
    write(small, 3_000)
    write(large, 12_000)
    assert peak(large) < 1.5 * peak(small) + 1_000_000  # four times the tests, not four times the memory


def test_a_panic_outside_go_test_output_stays_a_log_incident_and_ends_with_its_dump(tmp_path: Path) -> None:
    path = tmp_path / "server.log"
    path.write_text(
        "api-1  | listening on :8080\n"
        "panic: runtime error: invalid memory address or nil pointer dereference\n"
        "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a1b2c]\n"
        "\n"
        "goroutine 1 [running]:\n"
        "main.main()\n"
        "\t/src/cmd/api/main.go:42 +0x1c\n"
        "Error: connect ECONNREFUSED 127.0.0.1:8080\n",
        encoding="utf-8",
    )
    results = runner_log.parse(path).results
    assert [r.error_type for r in results] == ["go-panic", "connection-refused"]


def test_a_panic_in_a_test_ends_where_its_goroutine_dump_does(tmp_path: Path) -> None:
    results = parse_text(
        tmp_path,
        "=== RUN   TestServe\n"
        "--- FAIL: TestServe (0.00s)\n"
        "panic: boom [recovered]\n"
        "\n"
        "goroutine 7 [running]:\n"
        "example.com/api.TestServe(0xc000102340)\n"
        "\t/src/api/serve_test.go:19 +0x45\n"
        "FAIL\texample.com/api\t0.014s\n"
        "Error: connect ECONNREFUSED 127.0.0.1:5432\n",
    )
    assert results["example.com/api::TestServe"].message == "panic: boom"
    assert [r.error_type for r in results.values() if r.id.startswith("log:")] == ["connection-refused"]
