"""The blocked-by chain as a Mermaid flowchart (GitHub renders Mermaid in issues and job summaries).

Node labels are untrusted text (finding titles come from test output): redacted and mentions neutralised by
Ctx.inline, then stripped of what could break out of a quoted Mermaid label or start markup (quotes,
brackets, braces, pipes, angle brackets, backticks, `;`, `#` entities) and clipped. Node ids are gardener's
own (n1, n2, ...). The text list stays beside the chart for readers without Mermaid. Pure.
"""

from __future__ import annotations

from collections.abc import Iterable

from gardener import regex as re  # RE2: linear time on untrusted text
from gardener.model import Edge, Finding, RunReport
from gardener.view.common import Ctx

_UNSAFE = re.lazy(r"[\"'`\[\]{}()<>|;#&\\]")
MAX_LABEL = 60
MAX_NODES = 40


def label(text: str, ctx: Ctx) -> str:
    cleaned = _UNSAFE.sub(" ", ctx.inline(text, 200))
    cleaned = re.sub(r"\s+", " ", cleaned).strip()
    return (cleaned[: MAX_LABEL - 1] + "…") if len(cleaned) > MAX_LABEL else cleaned


def _node_text(f: Finding, report: RunReport, ctx: Ctx) -> str:
    issue = report.issue_for(f.id)
    ref = f"#{issue.number}" if issue is not None and issue.number else f.id
    return f"{ref}: {label(f.title, ctx)}"


def flowchart(edges: Iterable[Edge], report: RunReport, ctx: Ctx) -> str | None:
    """`flowchart TD` with one arrow per blocked-by edge, blocker → blocked; None without edges."""
    edges = list(edges)
    if not edges:
        return None
    by_id = {f.id: f for f in report.findings}
    ids: dict[str, str] = {}
    for e in edges:
        for fid in (e.blocker, e.blocked):
            if fid in by_id and fid not in ids and len(ids) < MAX_NODES:
                ids[fid] = f"n{len(ids) + 1}"
    lines = ["flowchart TD"]
    lines += [f'    {node}["{_node_text(by_id[fid], report, ctx)}"]' for fid, node in ids.items()]
    lines += [f"    {ids[e.blocker]} -->|blocks| {ids[e.blocked]}" for e in edges
              if e.blocker in ids and e.blocked in ids]
    return "\n".join(lines)


def chain_edges(finding_id: str, edges: Iterable[Edge]) -> tuple[Edge, ...]:
    """The edges leading to `finding_id`: its blockers, their blockers, and so on."""
    edges = tuple(edges)
    wanted, todo, out = {finding_id}, [finding_id], []
    while todo:
        current = todo.pop()
        for e in edges:
            if e.blocked == current and e not in out:
                out.append(e)
                if e.blocker not in wanted:
                    wanted.add(e.blocker)
                    todo.append(e.blocker)
    return tuple(out)
