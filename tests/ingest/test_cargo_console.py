"""cargo test output in CI logs: test results named by binary and test path, crashes as incidents."""

from __future__ import annotations

from pathlib import Path

from gardener.ingest import runner_log
from gardener.model import Result

LOGS = Path(__file__).parent.parent / "data" / "logs"


def by_id(results: tuple[Result, ...]) -> dict[str, Result]:
    return {r.id: r for r in results}


def test_cargo_tests_are_results_of_their_binary() -> None:
    results = by_id(runner_log.parse(LOGS / "jenkins-cargo.log").results)
    tests = {i: r.outcome for i, r in results.items() if not i.startswith("log:")}
    assert tests == {
        "imgtool::resize::tests::halves": "passed",
        "imgtool::resize::tests::keeps_ratio": "failed",
        "imgtool::parse::tests::reads_png_header": "passed",
        "imgtool::parse::tests::slow_fuzz": "skipped",
        "codec::decodes_gif": "passed",
    }
    assert not any(" ..." in i for i in results)  # the progress line is not a (pytest) test id


def test_failed_test_carries_its_panic_message_and_location() -> None:
    failed = by_id(runner_log.parse(LOGS / "jenkins-cargo.log").results)["imgtool::resize::tests::keeps_ratio"]
    assert failed.message == "assertion `left == right` failed: ratio drifted left: (640, 479) right: (640, 480)"
    assert (failed.file, failed.line) == ("src/resize.rs", 88)
    assert failed.details.startswith("---- resize::tests::keeps_ratio stdout ----")


def test_a_binary_killed_by_a_signal_is_one_incident_naming_it_and_cargo_s_wrappers_are_none() -> None:
    incidents = [r for r in runner_log.parse(LOGS / "jenkins-cargo.log").results if r.id.startswith("log:")]
    crash = next(r for r in incidents if r.error_type == "crash")
    assert crash.id.startswith("log:jenkins-cargo:crash:codec-")
    assert dict(crash.properties)["subject"] == "codec"
    assert "(signal: 11, SIGSEGV: invalid memory reference)" in crash.message
    assert "test decodes_gif ... ok" in crash.details  # how far the binary got
    assert [r.error_type for r in incidents] == ["crash", "registry-denied"]  # no `--lib` hint, no `2 targets failed`


def test_a_pasted_stdout_block_is_the_test_s_failure(tmp_path: Path) -> None:
    path = tmp_path / "panic.txt"
    path.write_text(
        "---- tests::parse_ttl stdout ----\n"
        "thread 'tests::parse_ttl' panicked at 'called `Option::unwrap()` on a `None` value', src/ttl.rs:17:30\n"
        "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n",
        encoding="utf-8",
    )
    (failed,) = runner_log.parse(path).results
    assert (failed.id, failed.outcome) == ("tests::parse_ttl", "failed")
    assert failed.message == "called `Option::unwrap()` on a `None` value"  # the pre-1.73 one-line form
    assert (failed.file, failed.line) == ("src/ttl.rs", 17)


def test_nextest_status_lines_and_captured_output_are_results_of_their_binary() -> None:
    parsed = runner_log.parse(LOGS / "cargo-nextest.log")
    results = by_id(parsed.results)
    assert {i: (r.outcome, r.attempts) for i, r in results.items()} == {
        "thumbd::tests::parse_minutes": ("passed", 1),
        "thumbd::tests::parse_compound_ttl": ("failed", 1),
        "thumbnailer::decode::decodes_progressive_jpeg": ("failed", 1),
        "thumbnailer::decode::decodes_gif": ("flaky", 3),
        "thumbd::tests::slow": ("skipped", 1),
    }  # the libtest lines inside a STDOUT block and the final recap add nothing
    failed = results["thumbd::tests::parse_compound_ttl"]
    assert failed.message == "assertion `left == right` failed left: Some(90) right: Some(5400)"
    assert (failed.file, failed.line) == ("src/lib.rs", 42)
    crashed = results["thumbnailer::decode::decodes_progressive_jpeg"]
    assert (crashed.error_type, crashed.message) == ("crash", "test process killed by SIGSEGV")
    assert parsed.counts.failures == 2 and parsed.counts.flaky == 1


def test_an_uncaptured_panic_is_the_failing_test_s_evidence(tmp_path: Path) -> None:
    # `cargo test -- --nocapture`: the panic is printed as it happens, under the test's thread name, before the
    # progress lines; the `failures:` list then has no `---- x stdout ----` block.
    log = tmp_path / "job.log"
    log.write_text(
        "     Running tests/limits.rs (target/debug/deps/limits-6d4d2f03647f2001)\n\nrunning 2 tests\n"
        "thread 'tests::threshold' panicked at tests/limits.rs:89:9:\nassertion `left == right` failed\n"
        "  left: 3\n right: 4\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n"
        "test tests::parses ... ok\ntest tests::threshold ... FAILED\n\nfailures:\n\n"
        "failures:\n    tests::threshold\n\n"
        "test result: FAILED. 1 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n\n"
        "error: test failed, to rerun pass `--test limits`\n"
    )
    results = by_id(runner_log.parse(log).results)
    assert {i: r.outcome for i, r in results.items()} == {"limits::tests::parses": "passed",
                                                          "limits::tests::threshold": "failed"}
    failed = results["limits::tests::threshold"]
    assert failed.source_line == 5 and "left == right" in failed.message
    assert (failed.file, failed.line) == ("tests/limits.rs", 89)


def test_a_panic_naming_its_thread_id_is_read_as_before(tmp_path: Path) -> None:
    # Rust 1.88+ prints the thread's id after its name; the message still ends at the backtrace.
    log = tmp_path / "job.log"
    log.write_text(
        "     Running tests/runtime.rs (target/debug/deps/runtime-6d4d2f03647f2001)\n\nrunning 1 test\n"
        "test shutdown_order ... FAILED\n\nfailures:\n\n---- shutdown_order stdout ----\n\n"
        "thread 'shutdown_order' (62269) panicked at tests/runtime.rs:312:5:\nreceiver was not launched\n"
        "stack backtrace:\n   0: __rustc::rust_begin_unwind\n\nfailures:\n    shutdown_order\n\n"
        "test result: FAILED. 0 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s\n"
    )
    failed = by_id(runner_log.parse(log).results)["runtime::shutdown_order"]
    assert failed.message == "receiver was not launched" and (failed.file, failed.line) == ("tests/runtime.rs", 312)
