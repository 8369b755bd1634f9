"""Tools' own closing counts and verdicts, and the report lines they summarise (issue 12, rules-7).

A long log often ends a failing step with the tool's summary: cargo's `error: could not compile `x` (lib) due to 3
previous errors`, Julia's `Some tests did not pass`, cabal's `Tests failed for`, Playwright's `3 failed` list, RSpec's
`rspec ./spec/x_spec.rb:12 # ...` rerun list, luacheck's `Total: 2 warnings / 1 error in 3 files`, Bazel's `Build did
NOT complete successfully`, Rust x.py's `failed to run: ...`. Those say how many failed, never what: they are WRAPPERs
(locator.SUMMARY_LINE lists them for the locator), so the report lines above them (SPECIFIC here when no other table
reads them: Julia's `Test Failed at`, luacheck's indented report line, Rust tidy's `tidy error:`) are the evidence,
and a summary that anchored alone makes the locator look up its step for the line that explains it.

Each line is written after the tool's own output format (its source; tests/data/rules/long_log_locating.jsonl cites
them). Patterns stay within RE2's syntax.
"""

from __future__ import annotations

from gardener.ingest.runner_log.anchor_rule import SPECIFIC, WRAPPER, Rule, rule

FIRST: tuple[Rule, ...] = (
    # Julia's Test stdlib: `name: Test Failed at /x/runtests.jl:12` (then `Expression:` / `Evaluated:`),
    # `name: Error During Test at /x/runtests.jl:12` (then the exception).
    rule(
        "test-failure",
        r"^(?:(?P<subject>.+?): )?(?:Test Failed|Error During Test) at \S+\.jl:\d+",
        SPECIFIC,
        joins=True,
    ),
    # luacheck's report line, indented under its `Checking x.lua   2 warnings` header (`    a.lua:12:7: unused
    # variable x`), and Rust's tidy (`tidy error: /x/a.rs:412: trailing whitespace`).
    rule("lint", r"^\s+\S+\.lua:\d+:\d+: \S|^tidy error: \S", SPECIFIC, joins=True),
    # The summaries themselves (locator.SUMMARY_LINE lists them all; cargo's `could not compile` and clang-tidy's
    # count are families.py's and the rules' own wrappers).
    rule(
        "summary",
        r"Some tests did not pass: \d+ passed|\berrored during testing$"
        r"|^(?:Error: )?(?:cabal(?:\.exe)?: )?Tests failed for |^\s*\d+ (?:failed|flaky)$|^rspec \./\S+:\d+ # "
        r"|^Total: \d+ warnings? / \d+ errors? in \d+ files?|^failed to run: |^Build completed unsuccessfully"
        r"|^some tidy checks failed|Build did NOT complete successfully|^Target //\S+ failed to build"
        r"|^\d+ warnings? treated as errors?$",
        WRAPPER,
        joins=True,
    ),
)

# Words (lower case) one of which every line above contains.
HINT_WORDS = (
    "test failed at", "error during test at", ".lua:", "tidy error", "did not pass", "errored during testing",
    "tests failed for", " failed", "rspec ./", "total: ", "could not compile", "failed to run", "unsuccessfully",
    "tidy checks failed", "did not complete successfully", "failed to build", "treated as error",
)  # fmt: skip
