"""Blocked-by edges between the findings of one run, and the order to fix them in.

A finding blocks another when its rule says so by category (a failed image build blocks the
pulls of the images it should have produced), or when its rule names the other's layer and the
two share evidence (the same service, image, host:port or job). Edges only ever point from a
lower or equal layer to a higher one and are added strongest first, skipping any that would
close a cycle, so the graph is always a DAG and the resolution order always exists.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import replace

from gardener import regex as re
from gardener.model import LAYERS, PRIORITIES, Edge, Finding, Phase
from gardener.rules.endpoints import canonical_host

EVIDENCE_KEYS: tuple[str, ...] = ("service", "image", "hostport", "job", "package")
_SEPARATORS = re.compile(r"[-_/.:@]")


def layer_rank(f: Finding) -> int:
    return LAYERS.index(f.layer)


def evidence(f: Finding) -> dict[str, frozenset[str]]:
    """The comparable evidence a finding carries, from its rule's named captures."""
    values: dict[str, set[str]] = {k: set() for k in EVIDENCE_KEYS}
    caps = dict(f.captures)
    for key, raw in f.captures:
        base = key.rstrip("0123456789")
        if base in ("service", "services", "image", "images", "job"):
            target = "image" if base.startswith("image") else ("job" if base == "job" else "service")
            for item in re.split(r"[\s,]+", raw):
                if item:
                    values[target].add(_image_name(item))
        if base in ("package", "packages", "module"):
            for item in re.split(r"[\s,]+", raw):
                if item:
                    values["package"].add(_package_name(item))
    if caps.get("host") and caps.get("port"):
        values["hostport"].add(f"{canonical_host(caps['host'].strip('[]')).lower()}:{caps['port']}")
    elif caps.get("port"):
        values["hostport"].add(f"*:{caps['port']}")
    # A compose service and the image built for it are the same evidence.
    values["service"] |= values["image"]
    values["image"] |= values["service"]
    return {k: frozenset(v) for k, v in values.items()}


def _image_name(raw: str) -> str:
    """`ghcr.io/org/app-api:1.2` and `app-api` name the same thing for matching."""
    name = raw.strip("'\"`").lower()
    name = name.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1]
    return last.split(":", 1)[0]


def _package_name(raw: str) -> str:
    """`numpy==1.26`, `numpy.linalg` and `NumPy` name the same package; `@scope/pkg@2` keeps its scope."""
    name = raw.strip("'\"`").lower()
    if not name.startswith("@"):
        name = re.split(r"[=<>!~;\[ ]", name, maxsplit=1)[0].split(".", 1)[0]
    else:
        name = name.rsplit("@", 1)[0] if name.count("@") > 1 else name
    return name.replace("_", "-")


def _same(a: str, b: str) -> bool:
    """Equal, or one is the other at a name boundary (`alpine-test-auth` in `netra-alpine-test-auth`)."""
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < 4 or short not in long_:
        return False
    start = long_.index(short)
    end = start + len(short)
    before_ok = start == 0 or bool(_SEPARATORS.match(long_[start - 1]))
    after_ok = end == len(long_) or bool(_SEPARATORS.match(long_[end]))
    return before_ok and after_ok


def shared_evidence(a: Finding, b: Finding) -> tuple[str, str] | None:
    """The first piece of evidence the two findings share, as (kind, value)."""
    ea, eb = evidence(a), evidence(b)
    for key in EVIDENCE_KEYS:
        for va in sorted(ea[key]):
            for vb in sorted(eb[key]):
                if key == "hostport" and (va.startswith("*:") or vb.startswith("*:")):
                    if va.split(":")[-1] == vb.split(":")[-1]:
                        return "port", va.split(":")[-1]
                elif va == vb if key == "package" else _same(va, vb):
                    return key, min(va, vb, key=len)
    return None


def jobs(f: Finding) -> frozenset[str]:
    """The jobs a finding was seen in: each runner log (or configured command) is one job; a
    report file alone does not say which job wrote it."""
    found: set[str] = set()
    for r in f.results:
        props = dict(r.properties)
        if "command" in props:
            found.add("command:" + props["command"])
        elif r.source.kind == "log":
            found.add(r.source.path)
        elif "job_log" in props:  # a report's test merged with its console copy in a job log (ingest/dedupe.py)
            found.add(props["job_log"])
    return frozenset(found)


def same_job_possible(a: Finding, b: Finding) -> bool:
    """False only when both findings are tied to jobs and share none: a failed install in the
    web job does not block the api job, whose own install worked."""
    ja, jb = jobs(a), jobs(b)
    return not ja or not jb or bool(ja & jb)


def _candidate(a: Finding, b: Finding) -> tuple[int, str] | None:
    """Whether `a` blocks `b`, with a strength (lower is stronger) and the reason in words."""
    if a.id == b.id or layer_rank(a) > layer_rank(b):
        return None
    shared = shared_evidence(a, b)
    if b.category in a.blocks and b.category != a.category and (shared or same_job_possible(a, b)):
        why = f"{a.category} blocks {b.category}"
        if shared:
            return 0, f"{why}; both involve {shared[0]} `{shared[1]}`"
        return 1, f"{why} in the same run"
    if b.layer in a.blocks and shared and layer_rank(a) < layer_rank(b):
        return 2, f"{a.category} blocks the {b.layer} layer and both involve {shared[0]} `{shared[1]}`"
    return None


def correlate(findings: Sequence[Finding]) -> tuple[tuple[Finding, ...], tuple[Edge, ...]]:
    """Findings with `blocked_by` filled in, and the edges with their reasons."""
    candidates = []
    for a in findings:
        for b in findings:
            found = _candidate(a, b)
            if found:
                candidates.append((found[0], layer_rank(a), a.id, b.id, found[1]))
    edges: list[Edge] = []
    graph: dict[str, set[str]] = {f.id: set() for f in findings}
    for _, _, blocker, blocked, reason in sorted(candidates):
        if _reaches(graph, blocked, blocker):
            continue
        graph[blocker].add(blocked)
        edges.append(Edge(blocker, blocked, reason))
    blocked_by: dict[str, list[str]] = {f.id: [] for f in findings}
    for e in edges:
        blocked_by[e.blocked].append(e.blocker)
    order = {f.id: i for i, f in enumerate(findings)}
    linked = tuple(
        replace(f, blocked_by=tuple(sorted(blocked_by[f.id], key=order.__getitem__))) for f in findings
    )
    return linked, tuple(edges)


def _reaches(graph: dict[str, set[str]], start: str, goal: str) -> bool:
    seen, stack = set(), [start]
    while stack:
        node = stack.pop()
        if node == goal:
            return True
        if node not in seen:
            seen.add(node)
            stack.extend(graph[node])
    return False


def resolution_order(findings: Sequence[Finding]) -> tuple[str, ...]:
    """Topological order, blockers first; among the findings ready to fix, the most urgent first
    (priority, then the findings' own most-fundamental-first order), so a chain stays together."""
    rank = {f.id: (PRIORITIES.index(f.priority), i) for i, f in enumerate(findings)}
    waiting = {f.id: set(f.blocked_by) & rank.keys() for f in findings}
    ready = [rank[fid] + (fid,) for fid, deps in waiting.items() if not deps]
    heapq.heapify(ready)
    ordered: list[str] = []
    while ready:
        *_, fid = heapq.heappop(ready)
        ordered.append(fid)
        for other, deps in waiting.items():
            if fid in deps:
                deps.discard(fid)
                if not deps:
                    heapq.heappush(ready, rank[other] + (other,))
    # correlate() never builds a cycle; anything left would be one, kept rather than lost.
    ordered += [f.id for f in findings if f.id not in ordered]
    return tuple(ordered)


PHASE_NAMES = {
    "infrastructure": "Infrastructure (critical path)",
    "unblocked": "Business tests it unblocks",
    "failing": "Test failures to fix",
    "devex": "Developer experience",
}


# Lower-priority problems with how tests are written, imported or run, rather than bugs the tests
# found: seed 002's "developer experience" phase (an import chain that needs the whole system).
DEVEX_CATEGORIES = frozenset({"import-collection-error", "syntax-error", "flaky-test", "unclassified"})


def _phase_of(f: Finding, blocking: set[str], by_id: dict[str, Finding]) -> str:
    urgent = f.priority in ("P0", "P1")
    below_tests = f.layer in ("infrastructure", "environment")
    if f.blocked_by:
        blockers_are_infra = all(by_id[b].layer == "infrastructure" for b in f.blocked_by if b in by_id)
        return "infrastructure" if f.layer == "infrastructure" and blockers_are_infra else "unblocked"
    if f.id in blocking or (f.layer == "infrastructure" and urgent) or (below_tests and f.priority == "P0"):
        return "infrastructure"
    return "failing" if urgent or f.category not in DEVEX_CATEGORIES else "devex"


def phases(findings: Sequence[Finding]) -> tuple[Phase, ...]:
    """Seed 002's resolution strategy, in up to four phases, each in topological order.

    1. Infrastructure: what blocks other findings, broken infrastructure, anything P0 below the
       test layer, and infrastructure findings blocked only by infrastructure (the denied pulls
       of images a failed build should have produced).
    2. Business tests it unblocks: findings that phase 1 blocks; rerun them once it is fixed.
    3. Test failures to fix: independent failures of their own (P0/P1, or bugs the tests found).
    4. Developer experience: independent P2/P3 problems with how tests import, parse or retry.
    """
    by_id = {f.id: f for f in findings}
    blocking = {b for f in findings for b in f.blocked_by}
    groups: dict[str, list[str]] = {key: [] for key in PHASE_NAMES}
    for fid in resolution_order(findings):
        groups[_phase_of(by_id[fid], blocking, by_id)].append(fid)
    result: list[Phase] = []
    for key, name in PHASE_NAMES.items():
        if groups[key]:
            result.append(Phase(len(result) + 1, name, tuple(groups[key])))
    return tuple(result)


def blockers_closure(findings: Iterable[Finding], keep: set[str]) -> set[str]:
    """`keep` plus every finding that blocks one of them, following the chain."""
    by_id = {f.id: f for f in findings}
    result, stack = set(), list(keep)
    while stack:
        fid = stack.pop()
        if fid in result or fid not in by_id:
            continue
        result.add(fid)
        stack.extend(by_id[fid].blocked_by)
    return result
