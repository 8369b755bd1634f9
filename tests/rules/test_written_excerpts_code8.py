"""Compile, lint and test-framework rules (rules-code-2, session 8), on excerpts written from the tools' own sources.

Each excerpt in tests/data/rules/written_excerpts_code8.jsonl follows the output format of one tool family as its
formatter or reporter prints it (`modelled_on` names that source file), with made-up names and values: compilers and
type checkers (gfortran/flang, OCaml/dune, Zig, Dart/Flutter, GHC, Elm, Nim, Crystal, Swift, kapt, Scala 3, ts-node,
esbuild/Vite, svelte-check, CloudFormation templates), linters and formatters (scalafmt/scalafix, clj-kondo, cljfmt,
ShellCheck/shfmt, hadolint, markdownlint, yamllint, codespell, eslint/prettier/stylelint, RuboCop, golangci-lint, go
vet/staticcheck/golint, ktlint/detekt, clang-tidy/clang-format, cppcheck, Checkstyle/SpotBugs, dune @fmt, dart format,
ameba, swift-format, elm-review, lychee, dialyzer, black, ruff, pylint, isort), test frameworks (hspec/tasty, Julia,
Crystal spec, XCTest/Swift Testing, MUnit, elm-test, kaocha, AVA, node:test, uvu, Jasmine, Karma, tap, Test::More,
busted, bats, googletest, Catch2, doctest, ctest, EUnit, common_test, testthat), parse errors of interpreted languages
and modules that cannot load. The tests check that a rule names the family's format, not one corpus item; the
boundary cases pin where the same words belong elsewhere.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gardener.config import Config
from tests.corpus_scoring import evidence_lines
from tests.rules.excerpt_first import assert_explained_by_its_rule, first_finding_of, written

ITEMS = written("written_excerpts_code8")


@pytest.mark.parametrize("item", ITEMS, ids=[str(i["id"]) for i in ITEMS])
def test_excerpt_is_explained_by_its_rule(item: dict[str, str], config: Config, tmp_path: Path) -> None:
    assert_explained_by_its_rule(item, config, tmp_path)


def test_every_excerpt_cites_the_tool_source_it_follows() -> None:
    for item in ITEMS:
        assert item["modelled_on"].startswith("https://github.com/"), item["id"]
        assert "/blob/" in item["modelled_on"], item["id"]  # a file of the tool, not a thread
    assert len({i["rule"] for i in ITEMS}) >= 30


# The line a finding gives as its evidence is the one that explains it, never the wrapper after it.
@pytest.mark.parametrize(
    ("name", "explaining"),
    [
        ("c8-gfortran-quoted", "Error: Symbol 'wp' at (1)"),
        ("c8-zig-expect", "failed:"),
        ("c8-zig-leak", "...FAIL (TestUnexpectedResult)"),
        ("c8-nim-test", "Check failed: tokens.len == 3"),
        ("c8-dart-analyze-old", "error • "),
        ("c8-flutter-verbose", "Error: No named parameter"),
        ("c8-kapt", "error: Not sure how to convert a Cursor"),
        ("c8-scalafmt-cli", "error: --test failed"),
        ("c8-clj-kondo", "error: Unresolved symbol"),
        ("c8-shellcheck-gcc", " [SC"),
        ("c8-shfmt", "--- scripts/build.sh.orig"),
        ("c8-ava-nofiles", "find any files to test"),
        ("c8-busted-error", "attempt to index a nil value"),
    ],
)
def test_the_evidence_is_the_explaining_line(name: str, explaining: str, config: Config, tmp_path: Path) -> None:
    item = next(i for i in ITEMS if i["id"] == name)
    first = first_finding_of(item["excerpt"], config, tmp_path)
    lines = item["excerpt"].split("\n")
    assert any(explaining in lines[n - 1] for n in evidence_lines(first, item["excerpt"])), name


BOUNDARIES = [
    # The same `** (UndefinedFunctionError) ... (module X is not available)` inside an ExUnit run that listed its
    # tests is one test's runtime error (a process the test started crashed), not a task that could not start.
    (
        "1) test starts a worker (Pool.WorkerTest)\n     test/pool/worker_test.exs:12\n"
        "     ** (EXIT from #PID<0.210.0>) an exception was raised:\n"
        "         ** (UndefinedFunctionError) function Pool.Conn.open/1 is undefined"
        " (module Pool.Conn is not available)\n"
        "\nFinished in 0.05 seconds\n3 tests, 1 failure\n\n"
        "** (UndefinedFunctionError) function Pool.Conn.open/1 is undefined (module Pool.Conn is not available)",
        "runtime-exception",
    ),
    # Before a test runs, the same line from a Mix task stops everything.
    (
        "** (UndefinedFunctionError) function Cov.start/2 is undefined (module Cov is not available)\n"
        "    (mix 1.16.0) lib/mix/tasks/test.ex:540: Mix.Tasks.Test.do_run/3",
        "import-collection-error",
    ),
    # clj-kondo that found nothing fails no job; a later failure explains it.
    (
        "linting took 40ms, errors: 0, warnings: 0\n"
        "FAIL in (add-test) (core_test.clj:9)\nexpected: (= 5 (add 2 2))\n  actual: (not (= 5 4))\n"
        "Ran 3 tests containing 7 assertions.\n1 failures, 0 errors.",
        "assertion-failure",
    ),
    # scalac's own error under sbt stays a compile error: only a scalafix rule in brackets makes it a lint finding.
    (
        "[error] /w/src/main/scala/api/Routes.scala:5:1: error: not found: value routez\n"
        "[error] (Compile / compileIncremental) Compilation failed",
        "compile-error",
    ),
    # tsc errors inside node_modules typings that say the project lacks Node's types (@types/node) are the project's
    # setup, a compile error; the same place with the package's own broken typings is the dependency's (c8 excerpts).
    (
        "> tsc\nnode_modules/ws-proxy/lib/index.d.ts(1,23): error TS2688: Cannot find type definition file for"
        " 'node'.\n"
        "node_modules/ws-proxy/lib/index.d.ts(2,21): error TS2307: Cannot find module 'events'.",
        "compile-error",
    ),
    # Julia's LoadError around a missing package is not the test code's runtime error (the import or dependency
    # rules name it); around the test code's own UndefVarError it is (runtime.julia-load-error).
    (
        "ERROR: LoadError: ArgumentError: Package Foo not found in current path.\n"
        "- Run `import Pkg; Pkg.add(\"Foo\")` to install the Foo package.",
        "not runtime-exception",
    ),
]


@pytest.mark.parametrize(("text", "category"), BOUNDARIES, ids=[f"boundary{n}" for n in range(len(BOUNDARIES))])
def test_boundaries(text: str, category: str, config: Config, tmp_path: Path) -> None:
    got = first_finding_of(text, config, tmp_path).category
    assert got != category.removeprefix("not ") if category.startswith("not ") else got == category


# was a defect: redact's `password: x` key read `pass` in Julia's `Some tests did not pass: 1 passed` and replaced the
# count with [REDACTED:secret] (seen in c13-julia-002's signature); fixed: a count of tests is never a secret
def test_a_test_count_after_did_not_pass_is_not_redacted_as_a_secret() -> None:
    from gardener.redact import clean

    line = "ERROR: LoadError: Some tests did not pass: 1 passed, 0 failed, 1 errored, 0 broken."
    assert clean(line) == line
    assert clean("Test Count: 5, Pass: 4, Fail: 1") == "Test Count: 5, Pass: 4, Fail: 1"
    assert clean("auth: 2 failed") == "auth: 2 failed"
    # A secret after a secret word still goes, a number too when nothing says it counts tests.
    assert clean("pass: hunter2 passed") == "pass: [REDACTED:secret] passed"
    assert clean("DB_PASS=1234") == "DB_PASS=[REDACTED:secret]"
    assert clean("password: 1234") == "password: [REDACTED:secret]"
