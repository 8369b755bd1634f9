"""Blocked-by edges between the findings of one run, and the order to fix them in.

A finding blocks another when its rule says so by category (a failed image build blocks the
pulls of the images it should have produced, a refused deploy the resolution of the artifact it should have
published), or when its rule names the other's layer and the two share evidence (the same service, image,
host:port, job, package or Maven artifact `group:artifact`). Edges only ever point from a
lower or equal layer to a higher one and are added strongest first, skipping any that would
close a cycle, so the graph is always a DAG and the resolution order always exists.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType

from gardener import regex as re
from gardener.model import LAYERS, PRIORITIES, Edge, Finding, Phase
from gardener.rules.endpoints import canonical_host

EVIDENCE_KEYS: tuple[str, ...] = ("service", "image", "hostport", "job", "package", "artifact")
# Compared whole, never by the name pieces images and services match on.
EXACT_KEYS = frozenset(("package", "artifact"))
_SEPARATORS = re.lazy(r"[-_/.:@]")


Evidence = Mapping[str, frozenset[str]]
_NOTHING: frozenset[str] = frozenset()
_NO_EVIDENCE: Evidence = MappingProxyType({k: _NOTHING for k in EVIDENCE_KEYS})


def layer_rank(f: Finding) -> int:
    return LAYERS.index(f.layer)


def evidence(f: Finding) -> Evidence:
    """The comparable evidence a finding carries, from its rule's named captures."""
    if not f.captures:
        return _NO_EVIDENCE  # most findings of a large run: one shared, read-only value, not one each
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
        if base == "artifact":
            for item in re.split(r"[\s,]+", raw):
                if ":" in item:
                    values["artifact"].add(_artifact_name(item))
    if caps.get("host") and caps.get("port"):
        values["hostport"].add(f"{canonical_host(caps['host'].strip('[]')).lower()}:{caps['port']}")
    elif caps.get("port"):
        values["hostport"].add(f"*:{caps['port']}")
    # A compose service and the image built for it are the same evidence.
    values["service"] |= values["image"]
    values["image"] |= values["service"]
    return {k: frozenset(v) if v else _NOTHING for k, v in values.items()}


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


def _artifact_name(raw: str) -> str:
    """`com.acme:core:jar:1.2.0-SNAPSHOT` and `com.acme:core` name the same Maven artifact (any version, packaging)."""
    group, _, rest = raw.strip("'\"`").lower().partition(":")
    return f"{group}:{rest.split(':', 1)[0]}"


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
    return _shared(evidence(a), evidence(b))


def _shared(ea: Evidence, eb: Evidence) -> tuple[str, str] | None:
    for key in EVIDENCE_KEYS:
        for va in sorted(ea[key]):
            for vb in sorted(eb[key]):
                if key == "hostport" and (va.startswith("*:") or vb.startswith("*:")):
                    if va.split(":")[-1] == vb.split(":")[-1]:
                        return "port", va.split(":")[-1]
                elif va == vb if key in EXACT_KEYS else _same(va, vb):
                    return key, min(va, vb, key=len)
    return None


# A value with more name boundaries than this has too many pieces to index (quadratic in the
# boundaries); a finding holding one is compared with every other, as before. Evidence values are
# names (images, services, host:port) with a handful of boundaries each.
_MAX_BOUNDARIES = 16


def _boundaries(value: str) -> int:
    return len(_SEPARATORS.findall(value))


def _pieces(value: str) -> set[str]:
    """Every substring of `value` that starts and ends at a name boundary (what `_same` accepts as
    the shorter side), including `value` itself."""
    starts, ends = [0], []
    for i, ch in enumerate(value):
        if _SEPARATORS.match(ch):
            starts.append(i + 1)
            ends.append(i)
    ends.append(len(value))
    return {value[s:e] for s in starts for e in ends if e - s >= 4} | {value}


def _overlong(ev: Evidence) -> bool:
    return any(_boundaries(v) > _MAX_BOUNDARIES for key in EVIDENCE_KEYS if key not in EXACT_KEYS for v in ev[key])


class _EvidenceIndex:
    """Which findings may share evidence with a given one, found by lookup, never by comparing
    every pair. A candidate is then confirmed with `_shared`, so the edges and their reasons are
    exactly those of the all-pairs comparison."""

    def __init__(self, evidence_of: dict[str, Evidence]) -> None:
        self.exact: dict[tuple[str, str], set[str]] = {}
        self.within: dict[tuple[str, str], set[str]] = {}  # a piece -> findings whose value holds it
        self.port: dict[str, set[str]] = {}
        self.wild_port: dict[str, set[str]] = {}
        self.everyone = set(evidence_of)
        self.overlong = {fid for fid, ev in evidence_of.items() if _overlong(ev)}
        for fid, ev in evidence_of.items():
            if fid in self.overlong:
                continue
            for key in EVIDENCE_KEYS:
                for value in ev[key]:
                    self.exact.setdefault((key, value), set()).add(fid)
                    if key == "hostport":
                        port = value.split(":")[-1]
                        self.port.setdefault(port, set()).add(fid)
                        if value.startswith("*:"):
                            self.wild_port.setdefault(port, set()).add(fid)
                    if key not in EXACT_KEYS:
                        for piece in _pieces(value):
                            self.within.setdefault((key, piece), set()).add(fid)

    def candidates(self, ev: Evidence) -> set[str]:
        if _overlong(ev):
            return set(self.everyone)
        found: set[str] = set(self.overlong)
        for key in EVIDENCE_KEYS:
            for value in ev[key]:
                found |= self.exact.get((key, value), set())
                if key in EXACT_KEYS:
                    continue
                found |= self.within.get((key, value), set())  # values that hold this one
                for piece in _pieces(value):  # values this one holds
                    found |= self.exact.get((key, piece), set())
                if key == "hostport":
                    port = value.split(":")[-1]
                    found |= self.port.get(port, set()) if value.startswith("*:") else self.wild_port.get(port, set())
        return found


def jobs(f: Finding) -> frozenset[str]:
    """The jobs a finding was seen in: each runner log (or configured command) is one job; a
    report file alone does not say which job wrote it."""
    found: set[str] = set()
    for r in f.results:
        props = dict(r.properties) if r.properties else {}
        if "command" in props:
            found.add("command:" + props["command"])
        elif r.source.kind == "log":
            found.add(r.source.path)
        elif "job_log" in props:  # a report's test merged with its console copy in a job log (ingest/dedupe.py)
            found.add(props["job_log"])
    return frozenset(found) if found else _NOTHING  # most findings of a report: the one shared empty value


def same_job_possible(a: Finding, b: Finding) -> bool:
    """False only when both findings are tied to jobs and share none: a failed install in the
    web job does not block the api job, whose own install worked."""
    ja, jb = jobs(a), jobs(b)
    return not ja or not jb or bool(ja & jb)


@dataclass(frozen=True, slots=True)
class _Facts:
    """What the blocking decision reads of a finding, computed once per finding."""

    finding: Finding
    rank: int
    evidence: Evidence
    jobs: frozenset[str]


def _facts(f: Finding) -> _Facts:
    return _Facts(f, layer_rank(f), evidence(f), jobs(f))


def _candidate(a: _Facts, b: _Facts) -> tuple[int, str] | None:
    """Whether `a` blocks `b`, with a strength (lower is stronger) and the reason in words."""
    fa, fb = a.finding, b.finding
    if fa.id == fb.id or a.rank > b.rank:
        return None
    shared = _shared(a.evidence, b.evidence)
    if fb.category in fa.blocks and fb.category != fa.category and (
        shared or not a.jobs or not b.jobs or bool(a.jobs & b.jobs)
    ):
        why = f"{fa.category} blocks {fb.category}"
        if shared:
            return 0, f"{why}; both involve {shared[0]} `{shared[1]}`"
        return 1, f"{why} in the same run"
    if fb.layer in fa.blocks and shared and a.rank < b.rank:
        return 2, f"{fa.category} blocks the {fb.layer} layer and both involve {shared[0]} `{shared[1]}`"
    return None


def _pairs(facts: dict[str, _Facts]) -> Iterable[tuple[_Facts, _Facts]]:
    """The (a, b) pairs where `a` might block `b`: by category (a's rule names b's category), or
    by layer with evidence the index says they may share. Every pair `_candidate` could accept is
    among them; none is compared twice."""
    by_category: dict[str, list[str]] = {}
    for fid, fa in facts.items():
        by_category.setdefault(fa.finding.category, []).append(fid)
    index = _EvidenceIndex({fid: fa.evidence for fid, fa in facts.items()})
    for fid, fa in facts.items():
        blocks = fa.finding.blocks
        if not blocks:
            continue
        others: set[str] = set()
        for name in blocks:
            others.update(by_category.get(name, ()))
        if any(layer in blocks for layer in LAYERS):
            others |= index.candidates(fa.evidence)
        others.discard(fid)
        for other in others:
            yield fa, facts[other]


def correlate(findings: Sequence[Finding]) -> tuple[tuple[Finding, ...], tuple[Edge, ...]]:
    """Findings with `blocked_by` filled in, and the edges with their reasons.

    Near-linear in the findings: each finding's evidence is computed once and indexed, so only
    pairs that share a category named in a rule or a piece of evidence are ever compared.
    """
    facts = {f.id: _facts(f) for f in findings}
    candidates = []
    for a, b in _pairs(facts):
        found = _candidate(a, b)
        if found:
            candidates.append((found[0], a.rank, a.finding.id, b.finding.id, found[1]))
    edges: list[Edge] = []
    # Edges never go down a layer, so a cycle can only run through findings of one layer: the
    # cycle check follows same-layer edges only.
    # The graph and the blockers hold only the findings an edge touches (a set or a list per finding of a large run
    # would be ~4 MiB at 12,000 findings, almost all empty).
    same_layer: dict[str, set[str]] = {}
    for _, _, blocker, blocked, reason in sorted(candidates):
        if facts[blocker].rank == facts[blocked].rank:
            if reaches(same_layer, blocked, blocker):
                continue
            same_layer.setdefault(blocker, set()).add(blocked)
        edges.append(Edge(blocker, blocked, reason))
    blocked_by: dict[str, list[str]] = {}
    for e in edges:
        blocked_by.setdefault(e.blocked, []).append(e.blocker)
    order = {f.id: i for i, f in enumerate(findings)} if blocked_by else {}
    linked = tuple(  # a finding nothing blocks is kept as it is (a large run: most of them, no copy each)
        replace(f, blocked_by=tuple(sorted(blocked_by.get(f.id, ()), key=order.__getitem__)))
        if f.id in blocked_by or f.blocked_by else f for f in findings
    )
    return linked, tuple(edges)


def reaches(graph: dict[str, set[str]], start: str, goal: str) -> bool:
    """Whether `goal` is reachable from `start` in a graph of edges (a new edge back would make a cycle)."""
    seen, stack = set(), [start]
    while stack:
        node = stack.pop()
        if node == goal:
            return True
        if node not in seen:
            seen.add(node)
            stack.extend(graph.get(node, ()))
    return False


def resolution_order(findings: Sequence[Finding]) -> tuple[str, ...]:
    """Topological order, blockers first; among the findings ready to fix, the most urgent first
    (priority, then the findings' own most-fundamental-first order), so a chain stays together."""
    rank = {f.id: (PRIORITIES.index(f.priority), i) for i, f in enumerate(findings)}
    waiting = {f.id: set(f.blocked_by) & rank.keys() for f in findings}
    unblocks: dict[str, list[str]] = {fid: [] for fid in rank}
    for fid, deps in waiting.items():
        for dep in deps:
            unblocks[dep].append(fid)
    ready = [rank[fid] + (fid,) for fid, deps in waiting.items() if not deps]
    heapq.heapify(ready)
    ordered: list[str] = []
    while ready:
        *_, fid = heapq.heappop(ready)
        ordered.append(fid)
        for other in unblocks[fid]:
            deps = waiting[other]
            deps.discard(fid)
            if not deps:
                heapq.heappush(ready, rank[other] + (other,))
    # correlate() never builds a cycle; anything left would be one, kept rather than lost.
    placed = set(ordered)
    ordered += [f.id for f in findings if f.id not in placed]
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
