"""Anchor rules for code-side failures no earlier table marks (issue 12, rules-code, session 7).

Written from the tools' own output formats, not from one excerpt each:

- test runners: bats (`✗ name`, then `(in test file t.bats, line 8)` and the command that failed), gocheck
  (`FAIL: x_test.go:20: Suite.Test`, the assertion's place `x_test.go:25:` and its `... obtained` / `... expected`
  values), ctest's progress line for a failed test (`1/9 Test #1: name ....***Failed  0.03 sec`);
- documentation and style checks: Sphinx's `-W` (`Warning, treated as error:` says only where: the warning on the
  next line is the failure; Sphinx 7's `build finished with problems, ... (with warnings treated as errors)` is its
  wrapper), Spotless' failing step (`Step 'ktlint' found problem in 'A.kt':`), .NET code-style and quality analyzers
  raised to errors (`a.cs(42,13): error CA1822:`, StyleCop `SA1200`, MSTest's `MSTEST0037`, Roslynator, xUnit's);
- loading: pytest's short summary of a module that failed to collect (`ERROR tests/x.py - ImportError: ...`, no
  `::test` part), a JavaScript config or test file that Node cannot load as an ES module.

`FIRST` is tried before families.py's table. Patterns stay within RE2's syntax.
"""

from __future__ import annotations

from gardener.ingest.runner_log.anchor_rule import GENERIC, SPECIFIC, WRAPPER, Rule, rule

# .NET analyzers whose diagnostics are style or quality findings, not compiler errors: the framework's code-quality
# (CA) and code-style (IDE) rules, StyleCop (SA, SX), MSTest, xUnit and NUnit analyzers, Roslynator (RCS),
# Meziantou (MA), the threading analyzers (VSTHRD), SonarAnalyzer (S), IDisposableAnalyzers (IDISP), AsyncFixer.
DOTNET_ANALYZERS = r"(?:CA|IDE|SA|SX|RCS|MA|IDISP|VSTHRD|MSTEST|xUnit|NUnit|AsyncFixer|S)\d{3,4}"

FIRST_CODE: tuple[Rule, ...] = (
    # bats: `✗ name` (or its TAP form `not ok 3 name`, anchored elsewhere), the place, the command that failed.
    rule("test-failure", r"^\s*✗ (?P<subject>\S.*)$", GENERIC, joins=True),
    rule(
        "assertion",
        r"^\s*#?\s*\(in test file \S+, line \d+\)$|^\s*#?\s+`.+' failed(?: with status \d+)?$",
        SPECIFIC,
        joins=True,
    ),
    # gocheck: its failure header, the assertion's place on a line of its own, the compared values.
    rule("test-failure", r"^FAIL: \S+\.go:\d+: (?P<subject>[\w.]+)$", GENERIC, joins=True),
    rule("assertion", r"^\S+_test\.go:\d+:$|^\.\.\. (?:obtained|expected) \S", SPECIFIC, joins=True),
    rule("test-summary", r"^OOPS: \d+ passed, \d+ FAILED", WRAPPER, joins=True),
    # ctest's progress line for a test that failed: like its closing list (`17 - name (Failed)`, families.py) it only
    # names the test, so the first of them is the evidence unless the test's own output under it says why.
    rule(
        "test-failure",
        r"^\s*\d+/\d+ Test\s+#\d+: (?P<subject>\S+) \.*\s*\*\*\*(?:Failed|Not Run|Exception)",
        GENERIC,
        joins=True,
    ),
    # Jest's matcher hint, the first line of every failed expectation's message (`expect(received).toBe(expected) //
    # Object.is equality`), and its snapshot verdict: the assertion, wherever the `●` header was left out.
    rule(
        "assertion",
        r"^\s*expect\((?:received|value|jest\.fn\(\)|function|string|element)\)\.(?:not\.|resolves\.|rejects\.)*to\w+\("
        r"|^\s*Received value does not match stored snapshot"
        # Jasmine 1 (early Jest): `- Expected: {...} toBe: {...}`, `- Expected 1 to equal 2.`
        r"|^\s*- Expected\b",
        SPECIFIC,
        joins=True,
    ),
    # XCTest / Kiwi: the failing case's `-[Class method]` line above xcodebuild's `** TEST FAILED **`.
    rule("test-failure", r"^\s*-\[(?P<subject>\w+ \w+)\]$", GENERIC, joins=True),
    # Julia's Test summary when something failed or errored: the header says where; the first row under it is the
    # failing testset (`Overall | 28835685 12 2 ...`, `mytests | 3 1 4`).
    rule("test-failure", r"^Test Summary:\s+\|.*\b(?:Fail|Error)\b", GENERIC, header=True),
    # rspec-retry's verbose line: an example failed and is tried again (the closing count says whether it passed).
    rule("flaky", r"^RSpec::Retry: \d+(?:st|nd|rd|th) [Tt]ry (?P<subject>\S+)", SPECIFIC, joins=True),
    # Sphinx -W: the header only says where; the warning on the next line is the failure.
    rule("lint", r"^Warning, treated as error:$", SPECIFIC, header=True),
    rule("lint", r"^build finished with problems, .*\(with warnings treated as errors\)", WRAPPER, joins=True),
    # Sphinx 7+ with `-W --keep-going` prints each warning as it comes (`guide/a.rst:48: WARNING: undefined label:
    # 'x' [ref.ref]`), no header: a documentation file's warning is where the build fails (its own kind, so a link
    # check's broken links just above, another builder of the same step, do not take it in). Sphinx's link check lists
    # each broken link (`(guide/a: line   77) broken    https://... - 404 Client Error: ...`): what fails the
    # `linkcheck` builder.
    rule("docs-warning", r"^\S+\.(?:rst|md|txt|ipynb|inc):\d+: (?:WARNING|ERROR|CRITICAL): \S", SPECIFIC, joins=True),
    # (A broken row whose reason is a timeout, a refusal or a DNS failure is read as that first: the next row takes it
    # in.)
    rule(
        "lint",
        r"^\(\s*[\w/.-]+: line\s+\d+\) broken\s+(?P<subject>https?://\S+)",
        SPECIFIC,
        joins=True,
        explains=("timeout", "connection-refused", "dns"),
    ),
    # Spotless: the step (ktlint, prettier, google-java-format...) and the file it found a problem in.
    rule("lint", r"^Step '[\w. -]+' found problem in '(?P<subject>[^']+)':$", SPECIFIC, joins=True),
    # A .NET analyzer's finding raised to an error (`TreatWarningsAsErrors`, `EnforceCodeStyleInBuild`).
    rule("lint", r"\(\d+,\d+\): error " + DOTNET_ANALYZERS + r": ", SPECIFIC, joins=True),
    # pytest's short summary of a module that failed to collect (a test's error names its `::test`).
    rule("collection", r"^ERROR (?P<subject>[^\s:]+\.py) - [A-Z]\w*(?:Error|Exception)\b", SPECIFIC, joins=True),
    # Node cannot load a file as an ES module (a config or test in CommonJS under `"type": "module"`).
    rule(
        "collection",
        r"\b(?:ReferenceError: (?:module|require|exports|__dirname|__filename) is not defined in ES module scope"
        r"|Error \[ERR_REQUIRE_ESM\]: require\(\) of ES Module)",
        SPECIFIC,
        joins=True,
    ),
)

# C and C++ unit-test frameworks, other runners' assertion lines, compilers and linters the tables above miss (each
# line as its tool prints it; MSVC builds put `(12)` where others put `:12`).
MORE: tuple[Rule, ...] = (
    # Catch2 (`test.cpp:12: FAILED:`, then the expression and `with expansion:`), doctest (`test.cpp:12: ERROR:
    # CHECK( ... ) is NOT correct!`), Boost.Test (`test.cpp(12): error: in "suite/case": check ... has failed`), Unity
    # (`test_x.c:12:test_add:FAIL: Expected 4 Was 3`), cmocka (`[  ERROR   ] --- 0x3 != 0x4`), AVA's `Difference:`.
    rule(
        "assertion",
        r"^\S+(?::\d+:|\(\d+\):) FAILED:$|^\S+(?::\d+:|\(\d+\):) (?:ERROR|FATAL): (?:CHECK|REQUIRE|WARN)\w*\("
        r"|^\S+\(\d+\): (?:fatal )?error:? in \"[^\"]+\": |^\S+:\d+:\w+:FAIL(?::|$)|^\[  ERROR   \] --- "
        r"|^\s*Difference(?: \(- actual, \+ expected\))?:$",
        SPECIFIC,
        joins=True,
    ),
    rule("test-failure", r"^\[  FAILED  \] (?P<subject>\w+)$|^\s*✘ \[fail\]: (?P<subject2>\S.*)$", GENERIC, joins=True),
    # Compilers: dmd (`app.d(12): Error: `), Haxe (`Foo.hx:12: characters 5-8 : `), Cython, `go vet`'s type check,
    # rustc before 1.0 (`lib.rs:12:5: 12:8 error: `), PureScript (`at src/App.purs:12:5 - 12:8`), Rollup and Vite
    # (`"foo" is not exported by "src/lib.ts"`), Xcode's missing build input.
    rule(
        "compile-error",
        r"^\S+\.di?\(\d+(?:,\d+)?\): Error: |^(?:Error: )?\S+\.hx:\d+: (?:lines|characters) \d+-\d+ : "
        r"|^Error compiling Cython file:$|^\S+\.p[yx][xd]:\d+:\d+: \S|^vet: \S+\.go:\d+:\d+: "
        r"|^\S+\.rs:\d+:\d+: \d+:\d+ error: |^at \S+\.purs:\d+:\d+ - \d+:\d+ "
        r"|\"[\w$]+\" is not exported by \"[^\"]+\"|^(?:error: )?Build input file cannot be found: ",
        SPECIFIC,
        joins=True,
    ),
    # Vite's header: the next line is the error.
    rule("build", r"^error during build:$", GENERIC, header=True),
    # Linters: bandit (`>> Issue: [B101:assert_used]`), yapf/autopep8's diff (`+++ a.py (reformatted)`), actionlint
    # (`ci.yml:12:5: message [rule]`), Biome (`a.ts:12:5 lint/suspicious/noExplicitAny ━━━`), hlint (`A.hs:12:5:
    # Warning: Use fmap`), cspell (`a.md:12:5 - Unknown word (recieve)`), lintr (`a.R:12:5: style: [x_linter]`).
    rule(
        "lint",
        r"^>> Issue: \[B\d{3}:\w+\]|^\+\+\+ \S+\s+\(reformatted\)$|^\S+\.ya?ml:\d+:\d+: .+ \[[a-z][\w-]*\]$"
        r"|^\S+:\d+:\d+ (?:lint|format|organizeImports|assist)(?:/[\w-]+)* [━─]"
        r"|^\S+\.l?hs:\d+:\d+(?:-\d+)?: (?:Warning|Suggestion|Error): \S|^\S+:\d+:\d+ - Unknown word \("
        r"|^\S+\.[Rr](?:md)?:\d+:\d+: (?:style|warning|error): \[\w+_linter\]",
        SPECIFIC,
        joins=True,
    ),
    rule(
        "lint",
        r"^\d+ error\(s\) were found in ERB files|^CSpell: Files checked: \d+, Issues found: [1-9]",
        WRAPPER,
        joins=True,
    ),
)

# Test runners' explaining lines the tables above miss (rules-code-2, session 8), each as the tool prints it.
CODE8: tuple[Rule, ...] = (
    # Zig's plain test runner (lib/compiler/test_runner.zig): `2/4 list.test.shrink...FAIL (TestUnexpectedResult)`.
    rule("test-failure", r"^\d+/\d+ (?P<subject>\S.*?)\.\.\.FAIL \(\w+\)$", SPECIFIC, joins=True),
    # Nim's unittest (lib/pure/unittest.nim): `/w/t.nim(22, 15): Check failed: a == b`.
    rule("assertion", r"\(\d+, \d+\): Check failed: ", SPECIFIC, joins=True),
    # AVA finds nothing to run (lib/reporters/default.js): `✘ Couldn’t find any files to test`, `✘ No tests found in x`.
    rule(
        "collection",
        r"^\s*[✘✖×] (?:Couldn(?:'|’)t find any (?:matching )?(?:files to test|tests)"
        r"|No tests found in (?P<subject>\S+))",
        SPECIFIC,
        joins=True,
    ),
    # busted's plain (ASCII) output handler: `Failure -> spec/a_spec.lua @ 31` / `Error -> ...`, the test's name, then
    # the Lua error line that says why (`spec/a_spec.lua:34: Expected objects to be equal.`, `x.lua:95: bad argument`).
    rule("test-failure", r"^(?:Failure|Error) -> (?P<subject>\S+) @ \d+$", GENERIC),
    # googletest's exception in a test (`C++ exception with description "x" thrown in the test body.`) under its
    # `unknown file: Failure`, which names no place.
    rule(
        "exception",
        r"^(?:C\+\+ exception with description \".*\"|Unknown C\+\+ exception) thrown in ",
        SPECIFIC,
        joins=True,
    ),
    # black's verdict (`6 files would be reformatted, 20 files would be left unchanged.`) says what failed: in a log
    # that shows only its diff, the evidence is this line, never a diff line above it; its `would reformat x` lines,
    # where shown, say more (SPECIFIC, families.py).
    rule("lint", r"^\d+ files? would be reformatted", GENERIC, joins=True),
    # esbuild's plain diagnostic (`src/a.ts:18:14: ERROR: Expected ";" but found "x"`, under Vite's `[vite:esbuild]
    # Transform failed with 1 error:`, which only counts).
    rule("compile-error", r"^\S+\.(?:[cm]?[jt]sx?|vue|svelte|css|scss):\d+:\d+: ERROR: \S", SPECIFIC, joins=True),
    # A Lua error (families_more.py reads busted's `a_spec.lua:17: Expected ...` as an assertion) and the interpreter's
    # own parse error (`lua: src/a.lua:27: '=' expected near 'local'`).
    rule(
        "lua-error",
        r"^(?:lua[\w.]*: )?\S+\.lua:\d+: (?:bad argument|attempt to |\S+ expected (?:\(to close .*\) )?near "
        r"|unexpected symbol near |unfinished (?:long )?(?:string|comment) near )",
        SPECIFIC,
        joins=True,
    ),
)

# Words (lower case) one of which every line above contains.
HINT_WORDS = (
    "✗ ", "in test file", "' failed", "fail: ", "_test.go:", "... obtained", "... expected", "oops: ", "***failed",
    "***not run", "***exception", "(not run)", "treated as error", "found problem in", "): error ", "es module",
    "expect(", "stored snapshot", "- expected", "rspec::retry", "-[", "test summary:",
    # ("error" is in anchors.py's list: lines holding it pass the hint test anyway.)
    "failed:", ":fail", "difference", "[fail]", "[  failed  ]", ": characters ", ": lines ", ".pyx:", ".pxd:", "vet: ",
    ".purs:", "is not exported by", "build input file", ">> issue", "(reformatted)", ".yml:", ".yaml:", " lint/",
    " format/", " organizeimports", " assist/", "unknown word", "_linter]", "cspell:",
    "...fail (", "check failed:", "find any", "no tests found in", " -> ", ".lua:", "would be reformatted",
    "c++ exception", ": error: ",
)  # fmt: skip
HINT_PATTERNS: tuple[str, ...] = (r"\.l?hs:\d+:\d+(?:-\d+)?: (?:warning|suggestion): ",)

FIRST: tuple[Rule, ...] = (*FIRST_CODE, *MORE, *CODE8)
