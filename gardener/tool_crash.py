"""A tool that crashed on its own bug and says so: the run stopped there, whatever the crash's shape.

A build or test tool that fails an internal check or panics often says it is its own fault and asks for a report:
Foundry's `The application panicked (crashed).` ... `This is a bug. Consider reporting it at ...`, LuaRocks' `Error:
LuaRocks 3.6.0 bug (please report at ...)` above its `deps.lua:245: assertion failed!`, rebar3's `Uncaught error in
rebar_core` ... `When submitting a bug report, please include ...`, gcc's and clang's `Please submit a full bug report`,
Verilator's `%Error: Internal Error: ...`, RuboCop's `Errors are usually caused by RuboCop bugs.`. The labelling rule
(tests/data/classify/README.md, fifteenth set: "a build tool's own crash ... -> runtime-exception P1") holds for each:
an assertion inside the tool's own code is the tool crashing, not a test's expectation, and nothing past it ran (P1, not
one test's P2).

A test runner asking for a report after a failed test (Julia's `A test has failed. Please submit a bug report`) or a
plugin asking for one about a retry it could not do says nothing of a crash: those words are not read here.

Pure; RE2 (gardener.regex), compiled on first use.
"""

from __future__ import annotations

from collections.abc import Sequence

from gardener import regex as re

# The tool's own words that it crashed on its own bug.
_OWN_BUG = re.lazy(
    r"(?i)\bthis is a bug\b|\bbug \(please report\b|\bconsider reporting it\b|\bpanicked \(crashed\)"
    r"|\bwhen submitting a bug report\b"
    # gcc's and clang's crash banners (`Please submit a full bug report`, `PLEASE submit a bug report to ...`), javac's
    # (`Please file a bug against the Java compiler`), GHC's `panic! (the 'impossible' happened)`, and an internal
    # check's own label in the HDL tools' formats (Verilator's `%Error: Internal Error: ...`, Quartus' `Internal Error:
    # Sub-system: ...`), only with their prefix: a web app answers a failed request `500 Internal Error: ...` too.
    r"|\bplease submit a full bug report\b|(?-i:\bPLEASE submit a bug report\b)|\bplease file a bug against\b"
    r"|\bthe 'impossible' happened\b|(?-i:%Error: Internal Error: |\bInternal Error: Sub-system: )"
    # RuboCop's words for a cop that raised while it inspected a file (`An error occurred while Layout/LineLength cop
    # was inspecting ...`, closed by `Errors are usually caused by RuboCop bugs.`): the linter's bug, not an offense.
    r"|\berrors are usually caused by [\w.-]+ bugs\b|\bAn error occurred while [\w/]+ cop was inspecting\b"
)
_SPAN = 4_000  # characters of the text read: a crash says it at its head, and a hostile text costs no more


def own_bug(text: str) -> str:
    """The words in which `text` says a tool crashed on its own bug, or '' (pure)."""
    found = _OWN_BUG.search(text[:_SPAN])
    return found.group(0) if found is not None else ""


def own_bug_around(lines: Sequence[str]) -> str:
    """own_bug of the first of `lines` that says so, or ''."""
    for text in lines:
        if words := own_bug(text):
            return words
    return ""
