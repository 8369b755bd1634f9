"""`gardener explain`: why each finding landed where it did, as plain text (pure).

The findings are the ones `gardener run` reports, from the same stage (linked.py: one result per test across
the inputs, classified, clustered, then linked by correlation and by what a failed install, build or full disk
explains later in its job): each says what blocks it and why, blockers first, so explain and the worklog agree
on the findings, their ids and what is a root cause.
"""

from __future__ import annotations

from gardener.classify import Analysis, counted
from gardener.cluster import Classified
from gardener.linked import Linked
from gardener.model import Edge, Finding
from gardener.redact.text import cut_raw
from gardener.regex import MAX_LINE as MAX_MATCHED_LINE
from gardener.rules.endpoints import endpoint_of, kind_of
from gardener.rules.model import RuleSet

MAX_LINE = 200


def _short(text: str) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= MAX_LINE else cut_raw(text, MAX_LINE - 1) + "…"


def _member_lines(m: Classified) -> list[str]:
    r = m.result
    where = f"{r.source.path}:{r.source_line}" if r.source_line else r.source.path
    lines = [f"  result {r.id}{'[' + r.variant + ']' if r.variant else ''} ({r.outcome}, {where})"]
    if m.absorbed_by:
        own = m.verdict.winner.rule if m.verdict.winner else None
        why = ("is weaker evidence of the same cause" if own is not None and own.weak
               else "only reports that something failed")
        lines.append(f"    joined {m.absorbed_by}: its own evidence ({own.id if own else 'no rule'}) {why}")
        return lines
    winner = m.verdict.winner
    if winner is None:
        lines.append("    no rule matched: unclassified (the signature is the first line of the message)")
    else:
        lines.append(f"    winner {winner.rule.id} (precedence {winner.rule.precedence}, {winner.rule.origin})")
        lines.append(f"      matched: {_short(winner.line)}")
        for field, line in winner.also:
            lines.append(f"      and {field}: {_short(line)}")
        for name, value in winner.captures:
            lines.append(f"      {name} = {_short(value)}")
        lines.extend(_endpoint_lines(m))
    for hit, why in m.verdict.losers():
        lines.append(f"    lost {hit.rule.id} → {hit.rule.category}: {why}")
    if m.verdict.cut_lines:
        lines.append(f"    note: {m.verdict.cut_lines} line(s) over {MAX_MATCHED_LINE:,} characters were cut to "
                     "that length before the rules read them")
    return lines


def _endpoint_lines(m: Classified) -> list[str]:
    """How the service address was decided: printed by the client, or inferred from the run."""
    endpoint = dict(m.captures).get("endpoint")
    if endpoint is None or m.verdict.winner is None:
        return []
    own = endpoint_of(m.verdict.winner.captures)
    if own is not None and str(own) == endpoint:
        return [f"      endpoint = {_short(endpoint)} (printed by the client)"]
    kind = kind_of(f"{m.result.message}\n{m.result.details}", None) or "any"
    return [f"      endpoint = {_short(endpoint)} (inferred: the output names no address; the only {kind} "
            "service refused in this run)"]


def explain_finding(f: Finding, analysis: Analysis, max_results: int = 5, edges: tuple[Edge, ...] = ()) -> str:
    c = analysis.clusters[f.id]
    lines = [
        f"{f.id}  {f.label}",
        f"  title: {f.title}",
        f"  signature ({f.signature.version}, {f.signature.digest}): {_short(f.signature.text)}",
        f"  rule: {f.rule_id}   category: {f.category}   layer: {f.layer}   area: {f.area}",
        f"  priority: {f.priority} because {f.priority_reason}",
        f"  root cause: {f.root_cause}",
        *(f"  blocked by {e.blocker}: {e.reason}" for e in edges if e.blocked == f.id),
        f"  {counted(len(f.tests), 'test')}, {counted(len(f.results), 'result')}",
    ]
    shown = c.members[:max_results]
    for m in shown:
        lines.extend(_member_lines(m))
    if len(c.members) > len(shown):
        more = counted(len(c.members) - len(shown), "more result")
        lines.append(f"  … and {more} with the same signature")
    return "\n".join(lines)


def explain(linked: Linked, test: str | None = None) -> str:
    """Every finding of `linked` (linked.linked_findings: as `gardener run` has them), or those covering `test`."""
    findings, edges, analysis = linked.findings, linked.edges, linked.analysis
    if test:
        findings = tuple(f for f in findings if any(test in t for t in f.tests))
    if not findings:
        return "no failing results" if not test else f"no finding covers a test matching {test!r}"
    return "\n\n".join(explain_finding(f, analysis, edges=edges) for f in findings)


def rules_table(rules: RuleSet) -> str:
    rows = [("id", "category", "precedence", "origin")]
    rows += [(r.id, r.category, str(r.precedence), r.origin) for r in rules.rules]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    out = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:3])) + "  " + row[3] for row in rows]
    out.append(f"{counted(len(rules.rules), 'rule')}, {len(rules.categories)} categories")
    return "\n".join(out)


def findings_text(findings: tuple[Finding, ...]) -> str:
    """`gardener classify` without --json: one block per finding, most fundamental first."""
    if not findings:
        return "no failing results"
    blocks = []
    for f in findings:
        blocks.append(
            f"{f.priority}  {f.label}  ({f.id})\n"
            f"    {f.title}\n"
            f"    root cause: {f.root_cause}\n"
            f"    {counted(len(f.tests), 'test')}, {counted(len(f.results), 'result')}; rule {f.rule_id}; "
            f"signature: {_short(f.signature.text)}"
        )
    return "\n\n".join(blocks) + f"\n\n{counted(len(findings), 'finding')}"
