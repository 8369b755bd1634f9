"""More anchor rules for tool families no console reader covers (issue 12, ci-log-rules).

The same kind of table as families.py, for output shapes that table missed: googletest's failure
header, sbt's specs2 and ScalaTest listings, the MSVC and Apple linkers, markdownlint's other
front ends (the Ruby `mdl`, markdownlint-cli2, GitHub's `Error: ` annotation form), stylelint's
Windows glyph, prettier failing to parse a file, detekt's report, golangci-lint's annotation form,
Composer's download errors, Bundler's platform check, and CI systems losing their agent (Jenkins,
Cirrus, GitLab, Azure). `FIRST` is tried before families.py's table (its lines are specific enough
never to shadow a rule there); `LAST` after it, before the CI systems' exit lines.

Patterns stay within RE2's syntax (no lookarounds, no backreferences).
"""

from __future__ import annotations

from gardener.ingest.runner_log.anchor_rule import GENERIC, SPECIFIC, WRAPPER, Rule, rule

# The linters golangci-lint names at the end of a report line.
GO_LINTERS = (
    "gofmt|goimports|gofumpt|govet|errcheck|staticcheck|unused|gosimple|ineffassign|revive|stylecheck|gocritic"
    "|misspell|gosec|typecheck|lll|dupl|golint|deadcode|varcheck|structcheck|unparam|nakedret|prealloc|gocyclo"
    "|goconst|exhaustive|nolintlint|whitespace|wsl|godot|errorlint|bodyclose|noctx|unconvert|goerr113|forcetypeassert"
)

FIRST: tuple[Rule, ...] = (
    # rules-5: Ginkgo/Gomega, CppUTest, Bazel's test summary and Perl's @INC (issue 12's held-out misses).
    # Gomega's failed expectation (`[FAILED] Expected` / `Expected error:`, the values on the lines below), CppUTest's
    # `expected <8>` / `but was  <0>` under its `file:42: error: Failure in TEST(Group, Name)` header.
    rule(
        "assertion",
        r"^\s*(?:\[FAILED\] )?Expected(?: error:)?\s*$|^\s+expected <.*>$|^\s+but was\s+<",
        SPECIFIC,
        joins=True,
    ),
    rule(
        "test-failure",
        r"^\S+:\d+: error: Failure in TEST\((?P<subject>\w+, ?\w+)\)"
        r"|^\s*• (?:\[FAILED\]|\[PANICKED\]|Failure(?: in Spec \w+ \(\w+\))?) \[[\d.]+ seconds\]$"
        r"|^(?:FAIL|TIMEOUT): (?P<subject2>//\S+) \(",
        GENERIC,
        joins=True,
    ),
    rule("timeout", r"^(?P<subject>//\S+)\s+TIMEOUT in [\d.]+s$", SPECIFIC, joins=True),
    rule("exception", r"^\s*\[PANICKED\] Test Panicked", SPECIFIC, joins=True),
    rule("perl-load", r"\bCan't locate (?P<subject>\S+\.pm) in @INC", SPECIFIC, joins=True),
    rule(
        "test-summary",
        r"^FAIL! -- \d+ Passed \| \d+ Failed|^Summarizing \d+ Failures?:$|^Test Suite Failed$"
        r"|^INFO: Build completed, \d+ tests? FAILED|^Executed \d+ out of \d+ tests?: "
        r"|^(?:FAILED|ERROR): Build did NOT complete successfully|^BEGIN failed--compilation aborted",
        WRAPPER,
        joins=True,
    ),
    # Few rules, each an alternation of one kind and rank: every hinted line tries each rule in turn.
    # Failed expectations: googletest (`x_test.cc:27: Failure`, on MSVC `x_test.cc(41): error: Value of: ...`), hspec
    # and clojure.test (`expected: x` / `but got: y`), Jasmine/Karma (`Error: Expected 100 to equal 107.`), busted
    # (`a_spec.lua:17: Expected objects to be the same.`), Spock (`Condition not satisfied:`), Cucumber's RSpec
    # expectation.
    rule(
        "assertion",
        r"^\S+:\d+: Failure$|^\S+\(\d+\): error: (?:Value of:|Expected|Failed|Death test)"
        r"|^\s+(?:expected: \S|but got: \S)|^\s*(?:Error: )?Expected .+ to (?:equal|be|contain|have|match|throw)\b"
        r"|^\S+\.lua:\d+: Expected |^Condition not satisfied:$"
        r"|\((?:RSpec::Expectations::ExpectationNotMetError|Minitest::Assertion|Test::Unit::AssertionFailedError)\)$",
        SPECIFIC,
        joins=True,
    ),
    # Failure headers (the expectation under them says more): googletest's `[  FAILED  ] Suite.Name (0 ms)`,
    # ScalaTest's `- name *** FAILED ***`, specs2's `x name` (sbt's `[info] ` is stripped by match_anchor), busted's
    # `Failure → spec/a_spec.lua @ 14`, hspec's `name FAILED [1]`, Gradle's `Spec > name FAILED`.
    rule(
        "test-failure",
        r"^\[  FAILED  \] (?P<subject>[\w/.]+)(?:, where [^\n]*)? \(\d+ ms\)$"
        r"|^(?:\[(?:info|error)\])?\s*- (?P<subject2>.+) \*\*\* FAILED \*\*\*$"
        r"|^\[error\]\s+[x!] (?P<subject3>\S.*)$"
        r"|^Failure → (?P<subject4>\S+) @ \d+|^\s+(?P<subject5>\S.*) FAILED \[\d+\]$|^(?P<subject6>\S+ > .+) FAILED$",
        GENERIC,
    ),
    # specs2's `x name` (never Vite's closing `x Build failed in 1.21s`: its `error during build:` below says why).
    rule("test-failure", r"^x (?P<subject>\S.*)$", GENERIC, unless=r"^x Build failed in [\d.]+m?s$"),
    # ScalaTest's and specs2's message with its file (`2 did not equal 3 (CalculatorSuite.scala:14)`).
    rule("assertion", r"^(?:\[(?:info|error)\])?\s+\S.* \([\w$]+\.scala:\d+\)$", SPECIFIC),
    rule(
        "test-summary",
        r"sbt\.TestsFailedException: Tests unsuccessful|^\[error\] Failed: Total \d+, Failed [1-9]"
        r"|^\[info\] \*\*\* \d+ TESTS? FAILED \*\*\*",
        WRAPPER,
        joins=True,
    ),
    # Compile and link errors: MSVC's linker (`error LNK2019: ...`), MinGW's `ld.exe: cannot find`, OCaml (`File
    # "a.ml", line 4, characters 2-9:`), Nim (`a.nim(12, 8) Error: `), Erlang (`src/a.erl:23:5: function f/2
    # undefined`; its warnings say `Warning:`), Crystal (`In src/a.cr:14:12`).
    rule(
        "compile-error",
        r"\b(?:fatal )?error LNK\d{4}: |\bld\.exe: cannot find \S"
        r"|^(?:# )?File \"[^\"]+\.mli?\", line \d+, characters \d+-\d+:$|^\S+\.nim\(\d+, \d+\) Error: "
        r"|^(?:# )?File \"(?:[^\"]*/)?dune(?:-project|-workspace)?\", line \d+, characters \d+-\d+:$"
        r"|^\S+\.[eh]rl:\d+:(?:\d+:)? [a-z]|^In \S+\.cr:\d+:\d+$",
        SPECIFIC,
        joins=True,
    ),
    # The link failed (the linker's lines above say why): gcc's driver, Apple's ld.
    rule(
        "compile-error",
        r"\bcollect2(?:\.exe)?: error: ld returned \d+ exit status|^ld: symbol\(s\) not found for architecture ",
        WRAPPER,
        joins=True,
    ),
    # Linters and formatters: markdownlint-cli (`a.md:12:81 MD013/line-length ...`), markdownlint-cli2 with a
    # severity, the Ruby mdl (`a.md:5: MD009 ...`), any of them as a GitHub annotation (`Error: a.md:3 MD022/...`);
    # stylelint's Windows glyph, grunt's `>>` and its verbose form (`2:3  Expected indentation (indentation)`);
    # prettier failing to parse (`[error] src/a.ts: SyntaxError: ...`); detekt (`\tLongMethod - [f] at /x/A.kt:42:9`);
    # Checkstyle/PMD, ktlint, SwiftLint, cppcheck/clang-tidy, TSLint and Credo (see lint.analyzers in the rules).
    rule(
        "lint",
        r"^(?:Error: )?[\w./\\-]+\.(?:md|markdown|mdx):\d+(?::\d+)?:? (?:error |warning )?MD\d{3}\b"
        r"|^\s+\d+:\d+\s+×\s+\S.*\s\s[\w@/-]+$|^\s*>>\s+\d+:\d+\s+[×✖]\s+\S.*\s\s[\w@/-]+$"
        r"|^\s+\d+:\d+\s{2,}(?:⚠\s+)?[A-Z].*\S \([a-z][\w@/-]*\)$"
        r"|^\[error\] (?P<subject>\S+\.\w+): SyntaxError: "
        r"|^\s*\w+ - (?:\d+/\d+ - )?\[[^\]]*\] at \S+\.kts?:\d+:\d+$|Analysis failed with \d+ (?:weighted )?issues"
        r"|You have \d+ (?:Checkstyle|PMD|CPD) violations?"
        r"|^\[(?:ERROR|WARN(?:ING)?)\] \S+\.java:\d+(?::\d+)?: .+ \[[A-Z]\w+\]$"
        r"|^\S+\.kts?:\d+:\d+: .+ \([a-z][a-z0-9]*(?:[-:_][a-z0-9]+)+\)$"
        r"|^.*\.swift:\d+(?::\d+)?: (?:error|warning): .*Violation: .*\(\w+\)$"
        r"|^\S+\.(?:c|cc|cpp|cxx|h|hh|hpp):\d+:\d+: (?:error|warning|style|performance|portability): "
        r".+ \[[a-z][\w.-]*\]$"
        r"|^(?:ERROR|WARNING): (?:\([\w-]+\) )?\S+\.[jt]sx?\[\d+, \d+\]: |^\s*┃ \[[A-Z]\] [↑↗→↘↓] ",
        SPECIFIC,
        joins=True,
    ),
    # Composer: a host answering 5xx while a package downloads (`could not be downloaded (HTTP/2 502 )`).
    rule("registry-outage", r"could not be downloaded[^\n]*\(HTTP/[\d.]+ 50[0-4]", SPECIFIC, joins=True),
    # Composer's problem lines and exceptions.
    rule(
        "composer",
        r"^\s+- (?P<subject>[\w.-]+/[\w.-]+)\[[^\]]*\] requires |^\s+- Conclusion: don't install "
        r"|^\s*\[?Composer\\(?:Downloader|Json|Repository)\\\w+Exception"
        r"|^\s+- The requested package (?P<subject2>[\w.-]+/[\w.-]+)[^\n]* could not be found"
        r"|^\s+- (?P<subject3>[\w.-]+/[\w.-]+) \S+ requires [^\n]*-> (?:no matching package found|satisfiable by)",
        SPECIFIC,
        joins=True,
    ),
    # Bundler: RubyGems lacks the Bundler the lockfile names, the lockfile's platforms leave this one out, a gem
    # the lockfile names is missing.
    rule(
        "bundler",
        r"find_spec_for_exe': (?:C|c)(?:an't|ould not) find '(?P<subject>[\w.-]+)' \("
        r"|^(?:remote:)?\s*Your bundle only supports platforms "
        r"|^Could not find (?P<subject2>[\w.-]+-\d[\w.]*)\b.* in any of the sources"
        r"|^Bundler::(?:VersionConflict|GemNotFound|GitError|ProductionError|InstallError)\b",
        SPECIFIC,
        joins=True,
    ),
    # yarn finds no version in range.
    rule("yarn", r"^error Couldn't find any versions for ", SPECIFIC),
    # The CI system lost its agent or could not start one: nothing the job's code did.
    rule(
        "runner-lost",
        r"Backing channel '[^']*' is disconnected|Agent went offline during the build|^Cannot contact \S+: "
        r"|hudson\.remoting\.(?:ChannelClosedException|RequestAbortedException)|^ERROR: Connection was broken"
        r"|Remote call on \S+ failed|no workspace from node |and has channel null"
        r"|Failed to start an instance: |There has been a runner system failure|^ERROR: Preparation failed: "
        r"|The agent did not connect within|No agent found in pool|^Agent lost$|wrapper script does not seem to be"
        r" touching the log file|^(?:[‘'][\w.@-]+[’']|(?:Agent|Node) [\w.@-]+) is offline$",
        SPECIFIC,
        joins=True,
        absorbs=("cancelled",),
    ),
    rule("cancelled", r"^Finished: ABORTED$|^Aborted by \S+$|^Build was aborted$", GENERIC, joins=True),
)

LAST: tuple[Rule, ...] = (
    # golangci-lint in its GitHub Actions format: the annotation keeps only the message and the linter
    # (after families.py's rule for its `file.go:12:2: message (linter)` form).
    rule("lint", r"^\s*(?:Error: )?\S.* \((?:" + GO_LINTERS + r")\)$", SPECIFIC, joins=True),
    # CI systems' verdicts that name no exit code (Jenkins, Travis, AppVeyor): the job failed; the cause is above.
    rule(
        "exit-code",
        r"^Build step '[^']*' marked build as failure|^Finished: FAILURE$|^Your build has been stopped\.$"
        r"|^Command exited with code [1-9]\d*|^ERROR: Build step failed with exception"
        # Composer's wrapper around a script it ran (`Script phpunit handling the test event returned with error
        # code 255`).
        r"|^Script .{1,200} handling the [\w-]+ event returned with error code [1-9]\d*",
        WRAPPER,
    ),
    # An exception inside a test runner's failure block, indented (mocha's `     TypeError: Cannot read ...`).
    rule("exception", r"^\s{2,}(?P<subject>[A-Z]\w*(?:Error|Exception))(?: \[\w+\])?: \S", GENERIC),
)

# Words (lower case) one of which every line above contains ("error" and "exception" are in anchors.py's list).
HINT_WORDS = (
    "characters ", ".nim(", ".erl:", ".hrl:", ".cr:", "expected", "but got", "condition not satisfied",
    "expectationnotmet", "minitest::assertion", "assertionfailederror", "failure →", "failed [",
    ": failure", "[  failed  ]", "*** failed ***", "] x ", "] ! ", ".scala:", "testsfailedexception",
    "symbol(s) not found", "collect2", "ld.exe", ">> ", " md0", " md1", " md2", " md3", " md4", "×", "] at ",
    "analysis failed", "could not be downloaded", " requires ", "conclusion: ", "only supports platforms",
    "could not find", "bundler::", "backing channel", "agent went offline", "cannot contact", "hudson.remoting",
    "failed to start an instance", "runner system failure", "agent did not connect", "no agent found", "agent lost",
    "violation", ".kt:", ".kts:", "┃ [", ".swift:", "style:", "performance:", "portability:", "requested package",
    "satisfiable by", "no matching package", "find_spec_for_exe", "couldn't find any versions", "wrapper script",
    "finished: aborted", "remote call on", "no workspace from node", "channel null", "marked build as failure",
    "finished: failure", "build has been stopped", "aborted by", "build was aborted",
    "failure in test(", "[panicked]", "handling the ", "fail! -- ", "summarizing ", "can't locate", "executed ",
    "did not complete", "is offline",
)  # fmt: skip
HINT_PATTERNS = (r"\((?:" + GO_LINTERS + r")\)$", r"^\s+\d+:\d+\s{2,}", r"^x \S")
