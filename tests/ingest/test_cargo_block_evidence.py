"""A cargo test block without a panic: its first line of output is the evidence, not its `---- x stdout ----` header."""

from __future__ import annotations

from gardener.ingest.runner_log.cargo_lines import explain


def test_a_returned_error_is_the_evidence() -> None:
    block = ["---- tests::parses_hex stdout ----", "Error: ParseIntError { kind: InvalidDigit }", ""]
    why = explain(block)
    assert (why.message, why.at) == ("Error: ParseIntError { kind: InvalidDigit }", 1)


def test_a_doctests_compile_error_is_the_evidence() -> None:
    block = ["---- src/lib.rs - parse (line 12) stdout ----", "error[E0425]: cannot find value `input` in this scope",
             " --> src/lib.rs:14:20"]
    assert explain(block).at == 1


def test_a_panic_still_wins() -> None:
    block = ["---- tests::t stdout ----", "note: setup", "thread 'tests::t' panicked at src/lib.rs:3:5:", "boom"]
    assert explain(block).message == "boom"
