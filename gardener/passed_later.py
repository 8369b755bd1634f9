"""A test a log shows failing and then, further down, passing: the failure was flaky (excerpts-12's draft, finished by
excerpts-13).

Runners that retry a failed test print it again with its new outcome, in the same list format: xcpretty and fastlane
scan (`✖ testFetchPrice, XCTAssertEqual failed: ...`, later `✔ testFetchPrice (0.268 seconds)`), go test
(`--- FAIL: TestX (0.00s)`, later `--- PASS: TestX (0.01s)`) and gotestsum's testname format under `--rerun-fails`
(`FAIL TestX (re-run 1) (0.00s)`, later `PASS TestX (re-run 8) (0.00s)`). A failure whose test the log later shows
passing is flaky (labelling guide: "flaky only with a pass shown after a failure"); a pass before the failure, or
another test's pass, says nothing about it. jest's and vitest's marks (`✕`, `×`) are left out: they print a test once,
its final outcome, so a `✕ renders` above a `✓ renders` is two tests of one name in different describe blocks.
Pure: results and the log's text in, results out.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import replace

from gardener import regex as re
from gardener.model import Result

# The property a failure made flaky by a later pass of its test carries: key_changes.py finds the failures whose key
# it changed.
PASSED_LATER = "passed_later"

# A test's outcome and its whole name on a runner's list line (a log prefix such as a timestamp or fastlane's `▸`
# before it allowed): xcpretty's mark and the name up to its message's comma or its duration's parenthesis; go's
# `--- FAIL: name (`; gotestsum's `FAIL name (`.
_MARKED = re.lazy(
    r"(?m)^[^\n✖✗✘✔✓]*?(?:(?P<failed>[✖✗✘])|[✔✓])[ \t]+(?P<name>[^\s,(][^\n,(]*?)[ \t]*(?:,|\(|$)"
    r"|^[ \t]*--- (?P<gofail>FAIL|PASS): (?P<goname>\S+) \("
    r"|^(?P<tsfail>FAIL|PASS) (?P<tsname>[^\s(]+) \((?:re-run \d+\) \()?[\d.]+m?s\)"
)


# go test's verdict on a package, after its tests' lines (`ok  \tgithub.com/x/y\t0.29s`, `FAIL\tgithub.com/x/y\t0.3s`,
# gotestsum's `FAIL .`): Go test names repeat across packages (`TestNew`), so a go pass answers a go failure only in
# the same package.
_PACKAGE = re.lazy(
    r"(?m)^(?:ok|FAIL|PASS)[ \t]+(?P<pkg>[^\s(]+)[ \t]*(?:[\d.]+m?s|\(cached\))?(?:[ \t]+coverage:[^\n]*)?[ \t]*$")


def _package_after(at: int, offsets: list[int], packages: list[str]) -> str:
    """The package of the first package verdict after offset `at` ('' when none follows); `offsets` ascend (a binary
    search: a go log of thousands of tests and packages stays linear)."""
    i = bisect.bisect_right(offsets, at)
    return packages[i] if i < len(packages) else ""


def passes_after_failing(text: str, first_line: int = 1) -> dict[str, int]:
    """Each test name `text` marks failing and, on a later line, passing -> the file's line number of that pass
    (`text`'s first line being the file's `first_line`)."""
    verdicts = [(m.start(), m.group("pkg")) for m in _PACKAGE.finditer(text)]
    offsets, packages = [at for at, _ in verdicts], [pkg for _, pkg in verdicts]
    failed: set[tuple[str, str]] = set()
    passed: dict[str, int] = {}
    for m in _MARKED.finditer(text):
        name = m.group("name") or m.group("goname") or m.group("tsname")
        if not name:
            continue
        where = _package_after(m.start(), offsets, packages) if m.group("name") is None else ""
        if m.group("failed") or m.group("gofail") == "FAIL" or m.group("tsfail") == "FAIL":
            failed.add((name, where))
        elif (name, where) in failed and name not in passed:
            passed[name] = first_line + text.count("\n", 0, m.start())
    return passed


def _names(text: str, name: str) -> bool:
    """Whether `text` names the test: `name` as a whole word of it (not the head of a longer name)."""
    at = text.find(name)
    while at >= 0:
        end = at + len(name)
        if (at == 0 or not (text[at - 1].isalnum() or text[at - 1] == "_")) and (
                end == len(text) or not (text[end].isalnum() or text[end] == "_")):
            return True
        at = text.find(name, at + 1)
    return False


def apply(results: Sequence[Result], path: str, later: dict[str, int]) -> tuple[Result, ...]:
    """`results` with each failure read from `path` whose test the log shows passing on a later line made flaky."""
    if not later:
        return tuple(results)
    out = []
    for r in results:
        if r.source.path != path or not r.is_failing or r.source_line is None:
            out.append(r)
            continue
        first = r.message.strip().split("\n", 1)[0]
        name = next((n for n, at in later.items() if at > r.source_line and (_names(first, n) or _names(r.id, n))),
                    None)
        out.append(r if name is None else replace(
            r, outcome="flaky", attempts=max(r.attempts, 2),
            properties=(*r.properties, (PASSED_LATER, f"{name} passes on line {later[name]}"))))
    return tuple(out)
