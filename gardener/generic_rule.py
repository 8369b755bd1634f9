"""The generic layer's verdict: a failing log result no rule names, named from its explaining line's words.

classify.py asks `named_verdict` when the rule pack's verdict leaves a failing log result `unclassified` (no
rule matched, or only a wrapper rule of the `unclassified` category such as an exit code), and when a rule
that names only a failure's shape or phase (a loose assertion or exception pattern, a download that failed)
decided on the same line whose own words state a cause (a compiler's diagnostic, a 401, `Permission denied`):
`_outranks`. The result's evidence line (its message's first line, which the locator chose as the line that
explains the failure) is read by line_category.name_line with the few lines before it in the result's text as
context. When its words name a category, the verdict's winner becomes a generic rule of that category
(`generic.<category>`) whose root cause quotes the deciding words, so the finding says why; its priority is
the category's default, which the run's evidence then moves as for any rule (priority_evidence.py).

The generic winner is weak evidence: classify.py marks it a wrapper, so a result from the same
input that a real rule names still takes it in (cluster.absorb_wrappers). It is keyed as a result
no rule matched is, by its explaining line: the same key as before when no rule matched at all
(an issue filed for it still matches), and no longer an exit code's wrapper line that many causes
share. Only log results are asked: a JUnit case with no rule stays `unclassified`.
"""

from __future__ import annotations

import functools

from gardener import regex as re
from gardener.dependency_build import CODE_LEVEL, around, building_words, dependency_words
from gardener.ingest.runner_log.locator import NAMED_RANK, is_wrapper_line, rank
from gardener.line_category import Named, also_names, name_by_step, name_line
from gardener.model import Result
from gardener.redact.text import cut_raw
from gardener.refusing_layer import credentials_outrank
from gardener.rules.engine import Hit, Verdict
from gardener.rules.model import Rule
from gardener.tool_crash import own_bug_around

UNCLASSIFIED = "unclassified"
DEPENDENCY = "dependency-install-failure"
# How many lines before the evidence line are its context (a test's failure header, a loading banner).
CONTEXT_LINES = 8
AFTER_LINES = 6  # and after it (rustc's ` --> src/x.rs:3:5`, what CMake says under its `CMake Error at`)
_CONTEXT_CHARS = 2_000


# A whole job's log (not an excerpt someone pasted) is at least this long: what it does not show did not happen.
WHOLE_LOG_LINES = 40
# Any sign that a test ran: a count of tests or passes, a test's pass mark (`ok 1`, `PASSED`, `✓`).
_A_TEST_RAN = re.lazy(
    r"(?i)\b[1-9]\d* (?:passed|passing|tests?|examples?|specs?|assertions?)\b|\bTests? run: [1-9]"
    r"|(?m:^\s*(?:ok \d|PASS\b|✓|✔))|\bPASSED\b|\btest \S+ \.\.\. ok\b"
    # A test that ran and failed is a test that ran: vitest's `Failed Tests 5` / `FAIL  file > suite > test`, jest's
    # and vitest's `Tests: 5 failed`, mocha's `3 failing`, go's `--- FAIL:`, pytest's `=== 1 failed`.
    r"|\bFailed Tests [1-9]|(?m:^\s*FAIL\s+\S+ > )|\bTests:?\s+[1-9]\d* failed\b|\b[1-9]\d* failing\b"
    r"|(?m:^\s*--- FAIL: )|(?m:^=+ [1-9]\d* failed\b)"
    # prove's: a test file that passed (`t/00_pod.t ..... ok`; under --timer `[08:26:11] base/cond.t .. ok   2 ms
    # (...)`, git's `t0002-x.sh .. ok` scripts too), its summary's count (`Files=3, Tests=42`, `(Wstat: 0 Tests: 10
    # Failed: 10)`).
    r"|(?m:^(?:\[[\d:]+\] )?\S+\.(?:t|pl|sh) \.+ ok(?:\s*$|\s+\d+ ms\b))|\bTests[=:] ?[1-9]")


# A runner's own word that none ran (RSpec's `0 examples, 0 failures, 1 error occurred outside of examples`).
_NONE_RAN = re.lazy(r"(?i)\b0 (?:examples|tests|specs)\b|\bno (?:examples|tests|specs) (?:found|ran|were run)\b"
                    r"|\bcollected 0 items\b|\bran 0 tests\b|\bcouldn.t find any (?:test )?files to test\b"
                    r"|\bno test files (?:found|were found)\b|\bNo subtests run\b")


# A WSGI/ASGI server importing the application (gunicorn's `gunicorn/app/wsgiapp.py` frames, uvicorn's importer): the
# job starts or deploys a service, it runs no tests, so a log without one shows none missing.
_APP_SERVER_LOADING = re.lazy(r"/gunicorn/app/wsgiapp\.py\b|/uvicorn/importer\.py\b")


def shows_a_test_running(text: str) -> bool:
    """Any sign in `text` that a test ran: a count of tests or passes, a test's pass mark (pure)."""
    return _A_TEST_RAN.search(text) is not None


def nothing_tested(r: Result) -> bool:
    """The runner says no test ran, or a whole job's log shows no sign that any did (pure): a loading failure
    there stopped every test. A web server failing to import the app it serves (a deploy) is no test run."""
    if _A_TEST_RAN.search(r.details) is not None:
        return False  # cargo's doc-tests `running 0 tests` after `12 passed`: some ran
    if _NONE_RAN.search(r.details) is not None:
        return True
    return r.details.count("\n") + 1 >= WHOLE_LOG_LINES and _APP_SERVER_LOADING.search(r.details) is None


@functools.cache
def _rule(category: str, words: str, stopped: bool = False, overruled: str = "") -> Rule:
    said = cut_raw(words.replace("{", "(").replace("}", ")"), 220 if overruled else 120)
    return Rule(
        id=f"generic.{category}",
        category=category,
        precedence=0,
        match=(),
        root_cause=(f"Rule {overruled} named this failure, but {said}: it is a {category}."
                    if overruled else
                    f"No rule knows this tool's output; the explaining line's own words (`{said}`) "
                    f"name it a {category}."
                    + (" The job's whole log shows no test running: it stopped every test (P0)." if stopped else "")),
        priority="P0" if stopped else None,
        origin="generic",
    )


def _context(r: Result, first: str) -> list[str]:
    """Up to CONTEXT_LINES lines before `first` in the result's details."""
    at = r.details.find(first) if first else -1
    if at <= 0:
        return []
    return r.details[max(0, at - _CONTEXT_CHARS):at].split("\n")[-CONTEXT_LINES - 1:-1]


def _after(r: Result, first: str) -> list[str]:
    """Up to AFTER_LINES lines after `first` in the result's details (a diagnostic's place under it)."""
    at = r.details.find(first) if first else -1
    if at < 0:
        return []
    return r.details[at:at + _CONTEXT_CHARS].split("\n")[1:AFTER_LINES + 1]


def evidence_line(r: Result) -> str:
    text = r.message.strip()
    return text.split("\n", 1)[0].strip() if text else ""


def plain_named(r: Result) -> Named | None:
    """What the result's evidence line's words name, with its context, before the build it sits in is read (pure)."""
    first = evidence_line(r)
    named = name_line(first, _context(r, first), _after(r, first)) if first else None
    if named is None and first and (step := dict(r.properties).get("step", "")):
        named = name_by_step(step)  # the line says nothing of its own: the step's command says what it was doing
    return named


# A header whose own words are only that something failed (stack's `Error: [S-4804]`, a bare `error:`, R CMD check's
# `* checking package dependencies ... ERROR`): what failed is said on the lines under it.
_BARE_HEADER = re.lazy(r"(?i)^\s*(?:fatal )?error:?\s*(?:\[[\w.-]+\])?\s*:?\s*$|\.\.\.\s*ERROR\s*$")
_BELOW_LINES = 3


def _named_below(after: list[str]) -> Named | None:
    """What the first of the few lines under a bare header names by its own words, else None."""
    for text in [a for a in after if a.strip()][:_BELOW_LINES]:
        if (named := name_line(text)) is not None:
            return Named(named.category, f"{named.words} (under the error's header)")
    return None


def _around(r: Result) -> list[str]:
    """The evidence line and the lines around it in the result's details (dependency_build.around's reach)."""
    first = evidence_line(r)
    before, after = around(r.details, first)
    return [*reversed(before), first, *after]


def in_dependency_build(r: Result, category: str) -> str:
    """Why a code-level failure of `category` on the result's evidence line is a dependency's (it is located in a
    fetched package, or raised while a package manager built one: dependency_build.py), in words; else ''."""
    first = evidence_line(r)
    return (dependency_words(category, first, *around(r.details, first)) or "") if first else ""


def named_of(r: Result) -> Named | None:
    """What the result's evidence line's words name, with its context (pure)."""
    named = plain_named(r)
    if named is None and (first := evidence_line(r)) and _BARE_HEADER.search(first):
        named = _named_below(_after(r, first))
    if named is not None and (why := in_dependency_build(r, named.category)):
        # The code that fails is a dependency's, being built or fetched (dependency_build.py).
        named = Named(DEPENDENCY, f"{named.words} ({why})")
    elif named is None and (words := building_words((evidence_line(r),))):
        named = Named(DEPENDENCY, f"{words} (a package manager's build of a dependency failed)")
    elif named is None and (words := own_bug_around(_around(r))):
        # Words of its own name nothing, but the tool says it crashed on its own bug (tool_crash.py): its crash.
        named = Named("runtime-exception", f"the tool itself crashed and says so (`{words}`)")
    return named


# The categories a rule may name only by a loose pattern (`expected` in gfortran's `Error: Unexpected ELSE statement
# at (1)`, a download that failed with a 401), and which of a line's own stated causes outrank each: a compiler's
# diagnostic is not a test's assertion, but a missing header under an install is still the install's failure.
_STATED_OVER: dict[str, frozenset[str]] = {
    "assertion-failure": frozenset(("compile-error", "auth-error", "permission-denied", "out-of-memory",
                                    "disk-full", "registry-access-failure", "lint-failure")),
    "runtime-exception": frozenset(("compile-error", "auth-error", "permission-denied", "out-of-memory",
                                    "disk-full", "registry-access-failure")),
    "dependency-install-failure": frozenset(("auth-error", "permission-denied", "out-of-memory", "disk-full",
                                             "registry-access-failure")),
}

# A test failure's shapes, which a loose pattern finds in quoted source lines as well as in the failure itself.
_TEST_SHAPES = frozenset(("assertion-failure", "runtime-exception"))


def _outranks(named: Named, winner_category: str, winner_line: str, evidence: str) -> bool:
    """The evidence line's own words state a cause where the rule's names a phase, and the rule decided on that
    same line or a weaker one; or a test failure's rule decided on a line that explains nothing (a quoted source
    line such as jest's `6 |     expect(true).toBe(true);`) while the evidence line's words name another category
    (pure)."""
    if named.category == winner_category or (also_names(evidence, winner_category)
                                             and not credentials_outrank(named.category, winner_category, evidence)):
        return False
    decided = winner_line.strip()
    if winner_category in _TEST_SHAPES and rank(decided) == 0 and rank(evidence) >= NAMED_RANK:
        return not is_wrapper_line(decided)
    if named.category not in _STATED_OVER.get(winner_category, ()):
        return False
    return decided == evidence or evidence in decided or rank(decided) < rank(evidence)


def named_over_before_v7(r: Result, winner: Hit) -> bool:
    """Whether the generic layer before key-v7 (before it read the dependency build a failure sits in) named `r` over
    the rule of `winner` (pure): key_changes.overruled_by_context gives back that rule's key only where it did not."""
    named = plain_named(r)
    return named is not None and _outranks(named, winner.rule.category, winner.line, evidence_line(r))


def may_be_named(r: Result) -> bool:
    """Whether the generic layer may name `r` at all: a failing (or flaky) log result. classify_all's memo key
    holds this, since the rule pack's fields alone do not tell a log incident from a report's error."""
    return r.source.kind == "log" and (r.is_failing or r.outcome == "flaky")


def named_verdict(r: Result, verdict: Verdict) -> Verdict | None:
    """A verdict naming the category of a failing log result the rules left unclassified, or whose explaining
    line's own words state a cause a rule of a phase category outranks only by precedence (pure); else None."""
    winner = verdict.winner
    if not may_be_named(r):
        return None
    if winner is not None and winner.rule.category == UNCLASSIFIED and not winner.rule.wrapper:
        return None  # a rule named a cause the taxonomy has no category for (an external 5xx): it stands
    named = named_of(r)
    overruled = ""
    if winner is not None and winner.rule.category in CODE_LEVEL and not winner.rule.wrapper and (
            why := in_dependency_build(r, winner.rule.category)):
        # A rule names the code's failure (a compile error, a panic), but the code is a dependency's being built:
        # the dependency's build failed (dependency_build.py). Its key before key-v7: key_changes.overruled_by_context.
        named = Named(DEPENDENCY, f"the failing code is a dependency's that a package manager was building or fetched "
                                  f"({why})")
        overruled = winner.rule.id
    elif winner is not None and winner.rule.category == "assertion-failure" and not winner.rule.wrapper and (
            words := own_bug_around(_around(r))):
        # An assertion in a tool that says it crashed on its own bug is the tool crashing (tool_crash.py).
        named = Named("runtime-exception", f"the tool itself crashed on an internal check and says so (`{words}`)")
        overruled = winner.rule.id
    elif winner is not None and winner.rule.category != UNCLASSIFIED:
        # Whether the line's words outrank a rule is read as before key-v7, from the line alone (its words, not the
        # build it sits in nor the lines under a header): where they do, the context may still name it more exactly.
        plain = plain_named(r)
        if plain is None or not _outranks(plain, winner.rule.category, winner.line, evidence_line(r)):
            return None
    if named is None:
        return None
    # The code under test cannot load and the whole log shows no test running: nothing was tested (P0).
    stopped = named.category == "import-collection-error" and nothing_tested(r)
    hit = Hit(_rule(named.category, named.words, stopped, overruled), (), evidence_line(r))
    return Verdict(hit, (hit, *verdict.hits), verdict.cut_lines)
