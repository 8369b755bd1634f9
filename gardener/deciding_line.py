"""A crashed process's header pointed at the exit status under it that names the signal it died of.

A reader often keeps a crash by a header that says a process died but not of what, and its status follows in the
incident's own lines: surefire's `ExecutionException The forked VM terminated without properly saying goodbye. VM
crash or System.exit called?` over `Process Exit Code: 139`. When a rule decides on such a status line (locator:
names_a_signal) and not on the header alone, that line is the finding's evidence (what a reader is pointed at). The
message stays: the rules, the key and the title read what the reader kept. Pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from gardener.ingest.runner_log.locator import names_a_signal
from gardener.model import Result
from gardener.rules.engine import Evidence, evaluate
from gardener.rules.model import RuleSet
from gardener.text import clean_line

# How far under its header an incident's deciding line is looked for (its quoted lines end sooner).
DECIDING_REACH = 12


def to_deciding_line(r: Result, lines: Sequence[str], rules: RuleSet) -> Result:
    """`r` with its evidence line on the signal-naming status line of its quoted lines that the winning rule read,
    when the header alone does not name its category (`lines` are the file's lines, the first being line 1)."""
    if r.source_line is None or not 0 < r.source_line <= len(lines) or not r.details.strip():
        return r
    winner = evaluate(rules, Evidence.of(r)).winner
    if winner is None or winner.rule.wrapper or winner.rule.origin == "generic":
        return r
    decided_by = winner.line.strip()
    header = r.message.strip().split("\n", 1)[0]
    if not names_a_signal(decided_by) or names_a_signal(header):
        return r  # only a crash's status line under a header that does not name it
    alone = evaluate(rules, Evidence.of(replace(r, details=""))).winner
    if alone is not None and alone.rule.category == winner.rule.category:
        return r  # the header names the same cause by itself (`Killed` over `exit code 137`)
    quoted = min(len(r.details.split("\n")), DECIDING_REACH)
    for number in range(r.source_line + 1, min(len(lines), r.source_line + quoted) + 1):
        raw = lines[number - 1]
        if decided_by in raw or decided_by in clean_line(raw).text:
            return replace(r, source_line=number)
    return r
