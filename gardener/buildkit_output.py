"""A BuildKit step's failure pointed at what the step printed last, not at BuildKit's verdict on it.

BuildKit's plain progress prints every step's output under its number (`#16 0.174 addgroup: group 'nginx' in use`)
and then its verdict (`#16 ERROR: process "/bin/sh -c addgroup ..." did not complete successfully: exit code: 1`).
The verdict says only that the command failed; the command's own last words above it, under the same step number,
say why (a tool's message with no error word at all: `addgroup: group 'nginx' in use`, `x requires a greater version
of Jenkins`). A finding whose evidence is the verdict is moved to that line when the rules still explain it the same
way. Pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from gardener import regex as re
from gardener.model import Result
from gardener.rules.engine import Evidence, evaluate
from gardener.rules.model import RuleSet
from gardener.text import clean_line

# BuildKit's own verdict on a step and a line the step's command printed (its elapsed time after the step number),
# wherever a runner's timestamp puts them in the raw line.
_VERDICT = re.lazy(r"(?:^|\s)#(?P<step>\d+) ERROR: process \"")
_OUTPUT = re.lazy(r"(?:^|\s)#(?P<step>\d+) \d+\.\d+ \S")
# How far above its verdict a step's last output line is looked for.
REACH = 200


def last_output(lines: Sequence[str], number: int) -> tuple[int, str] | None:
    """The 1-based line and text of what BuildKit's step printed last before its verdict on line `number`."""
    if not 0 < number <= len(lines) or (verdict := _VERDICT.search(lines[number - 1])) is None:
        return None
    step = verdict.group("step")
    for at in range(number - 1, max(0, number - 1 - REACH), -1):
        found = _OUTPUT.search(lines[at - 1])
        if found is not None and found.group("step") == step:
            return at, clean_line(lines[at - 1]).text.strip()
    return None


def to_step_output(r: Result, lines: Sequence[str], rules: RuleSet) -> Result:
    """`r` moved from BuildKit's verdict line to its step's last output line, when the rules' winner stays the same."""
    if r.source_line is None or (found := last_output(lines, r.source_line)) is None:
        return r
    moved = replace(r, source_line=found[0], message=found[1])
    before, after = evaluate(rules, Evidence.of(r)).winner, evaluate(rules, Evidence.of(moved)).winner
    same = (before is None and after is None) or (
        before is not None and after is not None and before.rule.id == after.rule.id)
    return moved if same else r
