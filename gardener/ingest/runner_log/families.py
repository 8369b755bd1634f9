"""Anchor rules for the tool families no console reader covers: the lines that explain a failure.

A log no ecosystem reader claims (RSpec, ExUnit, mocha, TAP, PHPUnit, dotnet test, Pester,
xcodebuild, R CMD check, composer, bundler, compilers, formatters and linters) still says why it
failed, on a line its tool always prints the same way: a failure block's assertion line, a compiler
diagnostic, a resolver's verdict, a linter's report line. Those are SPECIFIC anchors, so the
wrapper that follows them (`The command "rake" exited with 1.`, `make: *** [...] Error 2`) joins
their incident instead of becoming its evidence. Each family's summary and closing lines
(`3 examples, 1 failure`, `FAILURES!`, `** TEST FAILED **`) are WRAPPERs: they say that something
failed, never what.

Patterns stay within RE2's syntax (no lookarounds, no backreferences) so they move to the linear
engine unchanged. The table sits between anchors.py's specific rules and its wrappers.
"""

from __future__ import annotations

from gardener.ingest.runner_log import (
    families_build,
    families_code,
    families_deps,
    families_env,
    families_lint,
    families_more,
    families_summary,
    families_tools,
)
from gardener.ingest.runner_log.anchor_rule import GENERIC, SPECIFIC, WRAPPER, Rule, rule

FAMILY_RULES: tuple[Rule, ...] = (
    *families_env.FIRST,
    *families_deps.FIRST,
    *families_code.FIRST,
    *families_summary.FIRST,
    *families_tools.FIRST,
    *families_build.FIRST,
    *families_lint.FIRST,
    *families_more.FIRST,
    # ---- compilers and type checkers: the project's own code does not build.
    # javac (`Foo.java:12: error:`), Maven's compiler plugin (`[ERROR] /x/Foo.java:[12,5] ...`), sbt (Scala 2 and 3).
    rule(
        "compile-error",
        r"^\S+\.java:\d+: error: |^\[ERROR\] \S+\.(?:java|kt|scala|groovy):\[\d+,\d+\] "
        r"|^\[error\] \S+\.(?:scala|java):\d+:\d+: |^e: (?:file://)?\S+\.kts?:\d+:\d+ |^e: .+\.kts?: \(\d+, \d+\): "
        # Scala 3's header (`[error] -- [E007] Type Mismatch Error: /x/Money.scala:41:10`): the box below says what.
        r"|^\[error\] -- (?:\[E\d+\] )?(?:[A-Z]\w* )*Error: \S+\.scala:\d+:\d+",
        SPECIFIC,
        joins=True,
    ),
    # C# (`Foo.cs(12,5): error CS0103:`), tsc (`a.ts(1,2): error TS2322:`, `a.ts:1:2 - error TS2322:`),
    # mypy (`a.py:12: error:`), the linker, Elixir's `** (CompileError)`, rustc's closing line.
    rule(
        "compile-error",
        r"\): error (?:CS|FS|BC)\d+: |\): error TS\d+: | - error TS\d+: |^\S+\.pyi?:\d+: error: "
        r"|undefined reference to |^Undefined symbols for architecture |^\s*\*\* \(CompileError\) "
        r"|^\s+TS\d{4}: |^\s*\(\d+,\d+\): error TS\d{4}: |^<unknown>:0: error: "
        r"|\(\d+(?:,\d+)?\) ?: (?:fatal )?error C\d{4}: ?"
        r"|^\[error\] \S+\.(?:scala|java):\d+: error: "
        r"|Module compiled with Swift [\d.]+ cannot be imported",
        SPECIFIC,
        joins=True,
    ),
    # The build tool's closing line: a compile failed (the diagnostics above say which and why).
    rule("compile-error", r"^error: could not compile `|^error: aborting due to ", WRAPPER, joins=True),
    # ---- formatters and linters (before the go build rule: golangci-lint names its linter).
    rule(
        "lint",
        r"^\s*\S+\.go:\d+(?::\d+)?: .+ \((?:gofmt|goimports|gofumpt|govet|errcheck|staticcheck|unused|gosimple"
        r"|ineffassign|revive|stylecheck|gocritic|misspell|gosec|typecheck|lll|dupl|golint)\)$"
        r"|^diff -u \S+\.go\.orig \S+\.go$",
        SPECIFIC,
        joins=True,
    ),
    # go build / vet (`./main.go:12:2: undefined: foo`).
    rule(
        "compile-error",
        r"^\.{0,2}[/\\]?[\w./\\-]+\.go:\d+:\d+: \S|^\.?[/\\]?[\w./\\-]+\.go:\d+: (?:undefined|cannot|too many"
        r"|not enough|missing|invalid|syntax error|imported and not used|declared (?:and|but) not used)",
        SPECIFIC,
        joins=True,
    ),
    rule(
        "lint",
        # black / ruff format, prettier, eslint and stylelint, flake8 / ruff / pylint / pycodestyle, rubocop,
        # codespell, shellcheck, isort, markdown link checkers (markdown-link-check, lychee).
        r"^would reformat (?P<subject>\S+)|^Would reformat: (?P<subject2>\S+)"
        r"|^\[warn\] Code style issues found|^\[warn\] (?P<subject3>\S+\.\w+)$"
        r"|The following files had format violations"
        r"|^(?:[\w@./-]+ [\w:.-]+: )?\s+\d+:\d+\s+error\s+\S.*\s\s(?:[\w@/-]+|\([\w-]+\))$"
        r"|^\S+\.pyi?:\d+:\d+: [A-Z]+\d+:? "
        r"|^\S+\.(?:rb|rake|gemspec):\d+:\d+: [CWEF]: "
        r"|^\S+:\d+: (?P<subject4>[\w']+) ==> \S"
        r"|\bSC\d{4} \((?:error|warning|info|style)\):"
        r"|^ERROR: \S+ Imports are incorrectly sorted"
        r"|^\s*\[✖\] \S+|^\s*✗ \[(?:\d{3}|ERR|TIMEOUT)\] \S+"
        r"|^FOUND \d+ ERRORS? (?:AND \d+ WARNINGS? )?AFFECTING \d+ LINES?|^\s*\d+ \| ERROR \| "
        r"|^A TOTAL OF [1-9]\d* ERRORS? AND \d+ WARNINGS? WERE FOUND"
        r"|\bSC\d{4}: |^\s+(?:Error|error): \d+:\d+ \[[\w-]+\] "
        r"|\bSC\d{4}:(?:info|warning|error|style):"
        r"|^\S+\.ya?ml:\d+:\d+: \[(?:error|warning)\] |Found errors in \[[\w-]+\] linter!",
        SPECIFIC,
        joins=True,
    ),
    # Symfony Console (phpstan, composer, artisan) heads an exception with where it was thrown; the message
    # under it is the failure.
    rule("lint", r"^In \S+ line \d+:$", SPECIFIC, joins=True, header=True),
    rule(
        "lint",
        r"^Oh no! .*$|^\d+ files? would be reformatted|^✖ \d+ problems? \(\d+ errors?"
        r"|^\d+ files? inspected, \d+ offenses? detected|^Found \d+ errors?\.|^ERROR: \d+ dead links? found"
        r"|^\d+ (?:errors?|problems?) found|^Error: Process completed with exit code \d+ \(lint\)",
        WRAPPER,
        joins=True,
    ),
    # ---- dependency resolution that is not pip's or npm's.
    rule(
        "composer",
        r"Your requirements could not be resolved to an installable set of packages"
        r"|Your lock file does not contain a compatible set of packages",
        GENERIC,
        joins=True,
    ),
    # The problem lines under it name the package and the conflict.
    rule(
        "composer",
        r"^\s+- (?:Root composer\.json requires (?P<subject>\S+)|Installation request for (?P<subject2>\S+)"
        r"|(?P<subject3>[\w.-]+/[\w.-]+) v?[\w.-]+ requires )",
        SPECIFIC,
        joins=True,
    ),
    # A problem's first line when installing from a lock file only says which package is pinned (`- x/y is locked to
    # version v8.0.1 and an update of this package was not requested.`); the `requires` line under it says why.
    rule("composer", r"^\s+- (?P<subject>[\w.-]+/[\w.-]+) is locked to version \S+ ", GENERIC, joins=True),
    rule(
        "bundler",
        r"Could not find gem '(?P<subject>[^']+)'"
        r"|Bundler could not find compatible versions for gem \"(?P<subject2>[^\"]+)\""
        r"|An error occurred while installing (?P<subject3>\S+) \(|Gem::Ext::BuildError: "
        r"|Could not find (?P<subject4>[\w.-]+-\d[\w.]*) in (?:any of the sources|locally installed gems)"
        r"|Bundler::GemNotFound|Your bundle is locked to |^Could not find compatible versions$",
        SPECIFIC,
        joins=True,
    ),
    rule("nuget", r"\berror NU\d{4}:(?: |$)|^\s*NU1\d{3}: \S", SPECIFIC, joins=True),
    # A package host answering 5xx (npm's `http fetch 503 <url>`, pip's `HTTP error 503 while getting`).
    rule(
        "registry-outage",
        r"(?:HTTP error |http fetch |status code |code E|ERR! |npm error )50[0-4]\b|\b50[0-4] Server Error: ",
        SPECIFIC,
        joins=True,
    ),
    rule(
        "bundler",
        r"requires ruby version .* which is incompatible with the"
        r"|^Your Ruby version is [\d.]+, but your Gemfile specified",
        SPECIFIC,
        joins=True,
    ),
    # Ruby cannot load a file or gem the code requires (`cannot load such file -- x (LoadError)`).
    rule("ruby-load", r"(?:cannot load such file|no such file to load) -- (?P<subject>\S+)", SPECIFIC),
    # ---- credentials refused by a git host or an API (before the generic error lines).
    rule(
        "auth",
        r"Permission to \S+ denied to |The requested URL returned error: 40[13]\b|Authentication failed for '"
        r"|could not read Username for|\bBad credentials\b|Resource not accessible by integration",
        SPECIFIC,
        joins=True,
    ),
    # Go's checksum database refusing a module, CMake's find_package failing.
    rule(
        "dependency-resolution",
        r"verifying \S+: checksum mismatch"
        r"|Could not find a package configuration file provided by \"(?P<subject>[^\"]+)\""
        r"|^\s*By not providing \"Find(?P<subject2>\w+)\.cmake\"",
        SPECIFIC,
        joins=True,
    ),
    rule("cmake", r"^CMake Error at \S+:\d+", GENERIC, joins=True),
    rule("cmake", r"^\s+Unknown CMake command \"", SPECIFIC, joins=True),
    # Gradle/Maven: an artifact no repository has (`> Could not find com.x:y:1.0.`).
    rule(
        "dependency-resolution",
        r"Could not (?:find|resolve) (?P<subject>[\w.-]+:[\w.-]+:[\w.+-]+)\.?$",
        SPECIFIC,
        joins=True,
    ),
    rule("dependency-resolution", r"While constructing the build plan, the following exceptions", SPECIFIC, joins=True),
    # ---- a command the job needs is not there (never installed, or a failed install above left it out).
    rule(
        "command-not-found",
        r"(?:^|: )(?P<subject>[\w.+-]+): command not found$"
        r"|^(?:/bin/)?(?:ba|da)?sh: \d+: (?P<subject2>[\w.+-]+): not found$"
        r"|'(?P<subject3>[\w.+-]+)' is not recognized as an internal or external command"
        r"|^Command not found: (?P<subject4>[\w.+-]+)$"  # poetry run, pdm run
        r"|The term '(?P<subject5>[\w.+-]+)' is not recognized as (?:a|the) name of a cmdlet",  # PowerShell
        SPECIFIC,
    ),
    # ---- test frameworks' failure blocks: the line that says what was expected.
    rule(
        "assertion",
        r"^\s+(?:(?P<subject>AssertionError)(?: \[ERR_ASSERTION\])?: |Assertion with \S+ failed"
        r"|Failure/Error: |Failed asserting that |Expected:? .+, but (?:got|was) |But was:\s"
        r"|Assert\.\w+\(\) Failure|Expected strings to be the same|Expected \$\w+, but got |Actual:\s)"
        r"|\(`actual`\) not (?:equal|identical) to "
        r"|^AssertionError \[ERR_ASSERTION\]: |XCTAssert\w* failed|^Failed asserting that |\bAssert\.\w+ failed\. "
        r"|^error \{ AssertionError: |^\s*Expected equality of these values:|^\s*Value of: \S"
        r"|\bCypressError: Timed out retrying|^(?:flutter: )?The following TestFailure was thrown",
        SPECIFIC,
    ),
    # A failure block's header: testthat (`── Failure (test-foo.R:12:3): name ──`), minitest (`  1) Failure:`),
    # TAP (`not ok 3 - x`, prove's `#   Failed test 'x'`), dotnet test (`  Failed Ns.Class.Method [12 ms]`),
    # xUnit's runner (`Ns.Class.Method [FAIL]`), Pester (`[-] Describe it 12ms`), XCTest's `Test Case '-[X y]'
    # failed`. GENERIC: the assertion line under it (a few lines down) says more and becomes the evidence.
    rule(
        "test-failure",
        r"^\s*── (?:Failure|Error) \((?P<subject>[^)]+)\): |^\s*\d+\) (?:Failure|Error):$"
        r"|^\s*not ok \d+ (?:- )?(?P<subject2>[^#]*)|^\s*Failed (?P<subject3>[\w.`+<>]+(?:\(.*\))?) \[[\d.]+ ?m?s\]"
        r"|\s(?P<subject4>[\w.]+) \[FAIL\]$|^\s*\[-\] (?P<subject5>.+) \d+(?:\.\d+)?m?s"
        r"|^Test Case '(?P<subject6>[^']+)' failed|^\s*failed (?P<subject7>\S+) .*\([\dhms ]+\)$"
        r"|^\s*\S+\.t\s+\(Wstat: \d+ Tests: \d+ Failed: [1-9]",
        GENERIC,
    ),
    # testthat's numbered listing (`7. Failure (at test-x.R#144): name`, `1. Error: name (@test-x.R#9)`).
    rule("test-failure", r"^\s*\d+\. (?:Failure|Error)(?: \(at [^)]*\))?: \S", SPECIFIC, joins=True),
    rule("test-failure", r"^#\s+Failed test\b", SPECIFIC, joins=True),
    # (Julia: families_code's header rule reads a `Test Summary: |` header with a Fail or Error column; one without
    # (`| Pass  Total  Time`, `| Pass  Broken  Total`) closes a passing run; `Some tests did not pass` is a summary.)
    # ctest's list of failing tests (`17 - qa_tracking (Failed)`): the test, not why (GENERIC: the test's own output
    # above it, a SPECIFIC line, says more; its `***Failed` progress line, first, is as good).
    rule(
        "test-failure",
        r"^\s*\d+ - (?P<subject>\S+) "
        r"\((?:Failed|failed|SEGFAULT|Timeout|Subprocess aborted|Child aborted|OTHER_FAULT|Not Run)\)",
        GENERIC,
        joins=True,
    ),
    # ExUnit's raised exception inside a failure block (`** (RuntimeError) boom`).
    rule("exception", r"^\s+\*\* \((?P<subject>[A-Z][\w.]*)\)(?: \S|$)", SPECIFIC),
    # R CMD check: the check that failed; its output follows.
    # (R CMD check may print the check's time before its verdict: `... [242s] ERROR`.)
    rule("r-check", r"^\* checking .* \.\.\. (?:\[[\w/.]+\] )?(?:ERROR|WARNING)$", GENERIC, joins=True),
    # R stopping on an error (an example, a vignette, an Rscript step): `Error in f(x) : msg` (the message may
    # wrap to the next line), then `Calls: ...` and `Execution halted`, which join it.
    rule("r-error", r"^Error in \S.* :(?: \S|$)", SPECIFIC, joins=True),
    rule("r-error", r"^Execution halted$", WRAPPER, joins=True),
    # ---- closing lines: how many failed, and which step. Never the evidence when a cause is shown.
    rule(
        "test-summary",
        # RSpec, ExUnit and minitest's counts only when something failed (`312 examples, 0 failures` is a green run;
        # `0 examples, 0 failures, 1 error occurred outside of examples` and `4 runs, 6 assertions, 1 failures` are not)
        r"^\d+ (?:examples?|tests?|runs?), (?:[1-9]\d* failures?|0 failures?, [1-9]"
        r"|\d+ assertions?, (?:[1-9]|0 failures?, [1-9]))|^FAILURES!$|^ERRORS!$"
        r"|^Tests: \d+, Assertions: \d+, (?:Failures|Errors): \d+|^\s+\d+ failing$"
        r"|^Failed!\s+- Failed:\s+\d+|^Tests Passed: \d+, Failed: [1-9]|^Failed \d+/\d+ (?:subtests|test programs)"
        r"|^Result: FAIL$|^\*\* (?:TEST|BUILD|ARCHIVE) FAILED \*\*$|^Testing failed:$|^rspec \./\S+:\d+ "
        r"|^\[ FAIL [1-9]\d* \| |^Status: \d+ ERRORs?|R CMD check found ERRORs|^Dubious, test returned"
        r"|^\S+ \.+ Dubious, test returned|^Failed examples:$|^\d+ failures?, \d+ errors?|^Test Run Failed\.$"
        r"|^\s+Failed:\s+[1-9]\d*$",
        WRAPPER,
        joins=True,
    ),
    # ---- any-ci-log-2: families that scored weakest (stylelint, markdownlint, cabal, the linker).
    # stylelint's report line (`  3:5  ✖  Unexpected unknown property "colr"   property-no-unknown`) and
    # markdownlint-cli's (`README.md:12:81 MD013/line-length Line length [Expected: 80; Actual: 95]`).
    rule(
        "lint",
        r"^\s+\d+:\d+\s+✖\s+\S.*\s\s[\w@/-]+$|^[\w./-]+\.(?:md|markdown|mdx):\d+(?::\d+)? MD\d{3}(?:/[\w/-]+)? ",
        SPECIFIC,
        joins=True,
    ),
    # cabal's solver (`Error: cabal: Could not resolve dependencies:`, then `[__1] rejecting: ...`); cabal >= 3.10 says
    # `Error: [Cabal-7107]` on a line of its own and the words alone on the next.
    rule(
        "cabal",
        r"\bcabal(?:\.exe)?: Could not resolve dependencies\b|^\[__\d+\] (?:unknown package|rejecting|fail) "
        r"|^Could not resolve dependencies:$",
        SPECIFIC,
        joins=True,
    ),
    # GNU ld / lld / Apple ld: a library or symbol the link needs is not there.
    rule(
        "compile-error",
        r"\bld(?:\.lld|\.gold|\.bfd)?: (?:error: )?(?:cannot find -l\S+|unable to find library -l\S+"
        r"|undefined symbol: \S)|^ld: library not found for -l\S+|^\S*\bld(?:\.lld|\.gold|\.bfd)?: error: \S",
        SPECIFIC,
        joins=True,
    ),
    *families_more.LAST,
    # ---- CI systems' own "the step failed" lines (GitHub's, GitLab's and Jenkins' are in anchors.py).
    rule(
        "exit-code",
        r"^The command \"(?P<subject>.+)\" (?:failed and )?exited with [1-9]\d*|^Done\. Your build exited with [1-9]"
        r"|^Exited with code (?:exit status )?[1-9]\d*|exited with code '[1-9]\d*'\."
        r"|^(?:🚨 )?Error: The command exited with status [1-9]|^##\[error\].* failed with return code"
        r"|^Exit code: [1-9]|\bexitcode=[1-9]",
        WRAPPER,
    ),
)

# Words (lower case) one of which every line above contains: the anchor table's quick first test.
FAMILY_HINT_WORDS = (
    "would reformat", "would be reformatted", "code style", "[warn] ", "==>", "imports are incorrectly",
    "[✖]", "✗ [", "dead link", "oh no", "offenses", "problem", "found ", "requirements could not",
    "lock file does not", "root composer.json", "could not find", "an error occurred while installing",
    "gem::", "bundler", "bundle is locked", "assert", "failure/error", "expected", "but was", "undefined reference",
    "undefined symbols", "compileerror", "ts1", "ts2", "ts5", "ts6", "ts7", "could not compile", "not ok ", "[fail]",
    "[-] ", "test case '",
    "checking ", "status: ", "error in ", "execution halted",
    "r cmd check", "dubious", "examples:", "result: fail", "testing failed",
    "rspec ./", "command not found", "not found", "is not recognized", "failures", "exited with", "[ fail ",
    "failing", "diff -u ", "exited", "return code", "actual", "error nu", "incompatible with the", "ruby version",
    "requested url returned error", "nu1", "authentication failed", "could not read username", "bad credentials",
    "resource not accessible", "cannot load such file", "no such file to load", "a total of", "expected equality",
    "value of: ", "cypresserror", "testfailure", "checksum mismatch", "package configuration file", "findpackage",
    "by not providing", "cmake error", "format violations",
    "constructing the build plan", "unknown cmake command", "daemon has disappeared", "linter!", ".yml:",
    ".yaml:", "test run failed", "exitcode=", "test summary:", "did not pass",
    "wstat", "segfault", "subprocess aborted", "exit code", "<unknown>:0", "module compiled with",
    "installation request", "is locked to", " requires ",
    "found ", "| error |", " line ", "sc2", "sc1", "http error 50", "http fetch 50",
    "status code 50", "code e50", "err! 50", "error 50", "server error",
    "✖", " md0", " md1", " md2", " md3", " md4", "could not resolve dependencies", "[__", "ld: ",
    "ld.lld: ", "ld.gold: ", "ld.bfd: ", *families_more.HINT_WORDS, *families_lint.HINT_WORDS,
    *families_code.HINT_WORDS,
    *families_summary.HINT_WORDS,
    *families_tools.HINT_WORDS,
    *families_build.HINT_WORDS,
    *families_deps.HINT_WORDS,
    *families_env.HINT_WORDS,
)  # fmt: skip
FAMILY_HINT_PATTERNS = (
    r"^e: ",
    r"\.go:\d+(?::\d+)?: ",
    r"\.pyi?:\d+:\d+: [a-z]+\d+",
    r"\.(?:rb|rake|gemspec):\d+:\d+: [cwef]: ",
    r"\bsc\d{4} \(",
    r"^\s+\d+:\d+\s+error\s",
    r"^\s*\d+\) (?:failure|error):$",
    r"^\s*\d+ (?:examples?|tests?|runs?), ",
    r"^── ",
    r"^\s+\*\* \(",
    *families_more.HINT_PATTERNS,
    *families_code.HINT_PATTERNS,
    *families_lint.HINT_PATTERNS,
)
