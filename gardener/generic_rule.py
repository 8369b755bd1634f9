"""The generic layer's verdict: a failing log result no rule names, named from its explaining line's words.

classify.py asks `named_verdict` when the rule pack's verdict leaves a failing log result
`unclassified` (no rule matched, or only a wrapper rule of the `unclassified` category such as an
exit code). The result's evidence line (its message's first line, which the locator chose as the
line that explains the failure) is read by line_category.name_line with the few lines before it in
the result's text as context. When its words name a category, the verdict's winner becomes a
generic rule of that category (`generic.<category>`) whose root cause quotes the deciding words,
so the finding says why; its priority is the category's default, which the run's evidence then
moves as for any rule (priority_evidence.py).

The generic winner is weak evidence: classify.py marks it a wrapper, so a result from the same
input that a real rule names still takes it in (cluster.absorb_wrappers). It is keyed as a result
no rule matched is, by its explaining line: the same key as before when no rule matched at all
(an issue filed for it still matches), and no longer an exit code's wrapper line that many causes
share. Only log results are asked: a JUnit case with no rule stays `unclassified`.
"""

from __future__ import annotations

import functools

from gardener.line_category import Named, name_line
from gardener.model import Result
from gardener.rules.engine import Hit, Verdict
from gardener.rules.model import Rule

UNCLASSIFIED = "unclassified"
# How many lines before the evidence line are its context (a test's failure header, a loading banner).
CONTEXT_LINES = 8
_CONTEXT_CHARS = 2_000


@functools.cache
def _rule(category: str, words: str) -> Rule:
    said = words.replace("{", "(").replace("}", ")")[:120]
    return Rule(
        id=f"generic.{category}",
        category=category,
        precedence=0,
        match=(),
        root_cause=(f"No rule knows this tool's output; the explaining line's own words (`{said}`) "
                    f"name it a {category}."),
        origin="generic",
    )


def _context(r: Result, first: str) -> list[str]:
    """Up to CONTEXT_LINES lines before `first` in the result's details."""
    at = r.details.find(first) if first else -1
    if at <= 0:
        return []
    return r.details[max(0, at - _CONTEXT_CHARS):at].split("\n")[-CONTEXT_LINES - 1:-1]


def evidence_line(r: Result) -> str:
    text = r.message.strip()
    return text.split("\n", 1)[0].strip() if text else ""


def named_of(r: Result) -> Named | None:
    """What the result's evidence line's words name, with its context (pure)."""
    first = evidence_line(r)
    return name_line(first, _context(r, first)) if first else None


def named_verdict(r: Result, verdict: Verdict) -> Verdict | None:
    """A verdict naming the category of a failing log result the rules left unclassified, or None (pure)."""
    winner = verdict.winner
    if r.source.kind != "log" or not (r.is_failing or r.outcome == "flaky"):
        return None
    if winner is not None and winner.rule.category != UNCLASSIFIED:
        return None
    named = named_of(r)
    if named is None:
        return None
    hit = Hit(_rule(named.category, named.words), (), evidence_line(r))
    return Verdict(hit, (hit, *verdict.hits), verdict.cut_lines)
