"""Every alternative of families_more.py's anchor rules reaches its kind through match_anchor (the anchor table
test checks one example per rule; these are the other output shapes each rule folds in)."""

from __future__ import annotations

import pytest

from gardener.ingest.runner_log.anchors import match_anchor
from gardener.ingest.runner_log.grouping import error_type_of


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        (r"D:\a\lib\tests\parser_test.cc(41): error: Value of: parser.Parse(\"\")", "assertion"),
        ("       expected: Right (-5)", "assertion"),
        ("        but got: Left \"unexpected '-'\"", "assertion"),
        ("\tError: Expected 100 to equal 107.", "assertion"),
        ("spec/stack_spec.lua:17: Expected objects to be the same.", "assertion"),
        ("Condition not satisfied:", "assertion"),
        ('      expected to find text "Receipt" (RSpec::Expectations::ExpectationNotMetError)', "assertion"),
        ("[info] - divides numbers *** FAILED ***", "test-failure"),
        ("[info] x render the index page", "test-failure"),
        ("Failure → spec/stack_spec.lua @ 14", "test-failure"),
        ("  parses negative integers FAILED [1]", "test-failure"),
        ("CalculatorSpec > adds numbers FAILED", "test-failure"),
        ("C:/msys64/mingw64/bin/ld.exe: cannot find -lcurl: No such file or directory", "compile-error"),
        ('File "src/parser.ml", line 42, characters 10-19:', "compile-error"),
        ("/w/src/lib.nim(12, 8) Error: undeclared identifier: 'parseIntt'", "compile-error"),
        ("src/shop_cart.erl:23:5: function total/2 undefined", "compile-error"),
        ("In src/cart.cr:14:12", "compile-error"),
        ("ld: symbol(s) not found for architecture x86_64", "compile-error"),
        ("Error: CHANGELOG.md:3 MD022/blanks-around-headings Headings should be surrounded by blank lines", "lint"),
        ("docs/usage.md:41:1 error MD012/no-multiple-blanks Multiple consecutive blank lines", "lint"),
        ('  12:5  ×  Unexpected unknown property "colr"  property-no-unknown', "lint"),
        (">>  51:1  ✖  Expected indentation of 1 tab   indentation", "lint"),
        (" 2:3     Expected indentation of 4 spaces (indentation)", "lint"),
        ("[error] src/broken.ts: SyntaxError: ',' expected. (12:3)", "lint"),
        ("\tLongMethod - [onCreate] at /w/app/src/main/kotlin/ui/MainActivity.kt:42:9", "lint"),
        ("> Analysis failed with 2 weighted issues.", "lint"),
        ("‘docker-agent-7’ is offline", "runner-lost"),
        ("Agent linux-7 is offline", "runner-lost"),
        ("[ERROR] Failed to execute goal ...checkstyle: You have 1 Checkstyle violation. -> [Help 1]", "lint"),
        ("[ERROR] /w/src/main/java/shop/Cart.java:14:5: Missing a Javadoc comment. [MissingJavadocMethod]", "lint"),
        ("/w/app/src/main/kotlin/App.kt:30:5: Needless blank line(s) (no-consecutive-blank-lines)", "lint"),
        (
            "/w/Sources/App.swift:22:1: error: Line Length Violation: Line should be 120 characters (line_length)",
            "compile-error",  # anchors.py's diagnostic rule; the rule pack's lint.analyzers names it a lint
        ),
        (
            "src/buffer.c:44:9: error: Array 'buf[16]' accessed at index 16, out of bounds. [arrayIndexOutOfBounds]",
            "compile-error",  # as above
        ),
        ("ERROR: src/app.ts[12, 5]: Missing semicolon", "lint"),
        ("┃ [R] → Modules should have a @moduledoc tag.", "lint"),
        ("    - The requested package acme/widgets 3.1.* could not be found.", "composer"),
        ("    - acme/site-kit dev-master requires acme/widgets 3.1.* -> no matching package found.", "composer"),
        (
            'Your bundle only supports platforms ["x86_64-darwin-21"] but your local platform is x86_64-linux.',
            "bundler",
        ),
        ("Bundler::GemNotFound: Could not find rake-13.0.6 in any of the sources", "bundler"),
        ("Agent went offline during the build", "runner-lost"),
        ("FATAL: java.io.IOException: Remote call on weaver failed", "runner-lost"),
        ("Failed to start an instance: INVALID_ARGUMENT: Not enough resources to schedule a task", "runner-lost"),
        ("Aborted by admin", "cancelled"),
        ("Finished: FAILURE", "exit-code"),
        ("Your build has been stopped.", "exit-code"),
        ("Command exited with code 1", "exit-code"),
    ],
)
def test_each_output_shape_anchors_as_its_kind(line: str, kind: str) -> None:
    anchor = match_anchor(line)
    assert anchor is not None, line
    assert error_type_of(anchor.rule, anchor.subject) == kind, line


@pytest.mark.parametrize(
    "line",
    [
        "src/shop_cart.erl:3:1: Warning: variable 'X' is unused",  # an Erlang warning is not a compile error
        'File "tests/test_a.py", line 3, in test_x',  # a Python frame is not an OCaml location
        "x = 1",
    ],
)
def test_lookalikes_are_not_these_kinds(line: str) -> None:
    anchor = match_anchor(line)
    assert anchor is None or anchor.rule.kind not in ("compile-error", "lint"), line


@pytest.mark.parametrize(
    "line",
    [
        "10:30  Starting the dev server (watch)",  # a time of day, not a stylelint report line
        " ! [rejected]        main -> main (fetch first)",  # git's refusal, not a specs2 failure
        "[  PASSED  ] 12 tests.",
        "Finished: SUCCESS",
        "CalculatorSpec > adds numbers PASSED",
    ],
)
def test_lines_of_passing_or_other_output_are_not_test_or_lint_anchors(line: str) -> None:
    anchor = match_anchor(line)
    assert anchor is None or anchor.rule.kind not in ("test-failure", "assertion", "lint", "exit-code"), line
