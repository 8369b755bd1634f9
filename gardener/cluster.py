"""Clustering: classified results with the same signature form one cluster (one finding).

Before grouping, wrapper incidents are absorbed: a log line that only reports that something
failed (BuildKit's `failed to solve`, `Process completed with exit code 1`, an unrecognised
log incident) joins the specific cause found in the same input file instead of becoming a
finding of its own. Generic lines never decide a category.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import PurePath

from gardener import regex as re
from gardener.model import JOB_LOG, Result
from gardener.rules.engine import Hit, Verdict
from gardener.rules.model import Rule

MAX_VALUES_PER_CAPTURE = 20


@dataclass(frozen=True, slots=True)
class Decision:
    """What classifying a result decided besides its key: one object for every result decided alike (a
    run of 100,000 failures holds a few thousand), so each Classified is three references."""

    verdict: Verdict
    category: str
    rule: Rule | None
    captures: tuple[tuple[str, str], ...]
    wrapper: bool
    absorbed_by: str = ""  # the rule id of the specific cause this wrapper joined
    # The key this result had before a join across inputs gave it another's (key_changes: its issues follow it).
    rekeyed_from: str = ""


@dataclass(frozen=True, slots=True)
class Classified:
    """One failing result with the verdict that explains it and its (unmasked) signature key."""

    result: Result
    decision: Decision
    key: str

    # Written out (one per failing result): through the slots' setters, not object.__setattr__ (model.Result's).
    def __init__(self, result: Result, decision: Decision, key: str) -> None:
        _set_result(self, result)
        _set_decision(self, decision)
        _set_key(self, key)

    @classmethod
    def of(cls, result: Result, verdict: Verdict, category: str, rule: Rule | None, key: str,
           captures: tuple[tuple[str, str], ...], wrapper: bool, absorbed_by: str = "") -> Classified:
        return cls(result, Decision(verdict, category, rule, captures, wrapper, absorbed_by), key)

    def changed(self, key: str | None = None, **decided: object) -> Classified:
        """This result with its key and/or what was decided (Decision's fields) changed."""
        decision = replace(self.decision, **decided) if decided else self.decision  # type: ignore[arg-type]
        return Classified(self.result, decision, self.key if key is None else key)

    @property
    def verdict(self) -> Verdict:
        return self.decision.verdict

    @property
    def category(self) -> str:
        return self.decision.category

    @property
    def rule(self) -> Rule | None:
        return self.decision.rule

    @property
    def captures(self) -> tuple[tuple[str, str], ...]:
        return self.decision.captures

    @property
    def wrapper(self) -> bool:
        return self.decision.wrapper

    @property
    def absorbed_by(self) -> str:
        return self.decision.absorbed_by

    @property
    def specific(self) -> bool:
        d = self.decision
        return d.rule is not None and not d.wrapper and d.category != "unclassified"


_set_result, _set_decision, _set_key = (vars(Classified)[name].__set__ for name in Classified.__match_args__)


@dataclass(frozen=True, slots=True)
class Cluster:
    digest: str
    members: tuple[Classified, ...]

    @property
    def lead(self) -> Classified:
        """The member whose rule decides the finding: the most specific, earliest seen."""
        best = self.members[0]
        top = _rank(best)
        seen = {id(best.decision)}  # members decided alike rank alike: each decision is ranked once
        for m in self.members[1:]:
            d = id(m.decision)
            if d in seen:
                continue
            seen.add(d)
            if (rank := _rank(m)) > top:
                best, top = m, rank
        return best

    def results(self) -> tuple[Result, ...]:
        return tuple(m.result for m in self.members)

    def tests(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.result.id for m in self.members))

    def wrappers_seen(self) -> tuple[Hit, ...]:
        """Wrapper rules that matched this cluster's log incidents, beside the cause in one incident
        (BuildKit's `failed to solve` around npm's error) or absorbed into it as incidents of their
        own: they say what the cause failed inside. Test results never say that."""
        seen: dict[str, Hit] = {}
        for m in self.members:
            if m.result.is_test:
                continue
            for hit in m.verdict.hits:
                if hit.rule.wrapper and not hit.vetoed_by:
                    seen.setdefault(hit.rule.id, hit)
        return tuple(seen.values())

    def captures(self, lead: Classified | None = None) -> tuple[tuple[str, str], ...]:
        """Every member's captures, distinct, the decisive member's first (`lead`, when the caller has it)."""
        out: dict[tuple[str, str], None] = {}
        per_name: dict[str, int] = {}
        lead = lead if lead is not None else self.lead
        decided: set[int] = set()  # members decided alike (one Decision) add the same captures: read once
        for m in (lead, *(x for x in self.members if x is not lead)):
            if id(m.decision) in decided:
                continue
            decided.add(id(m.decision))
            if m.absorbed_by:
                continue
            for pair in m.captures:
                if pair not in out and per_name.get(pair[0], 0) < MAX_VALUES_PER_CAPTURE:
                    out[pair] = None
                    per_name[pair[0]] = per_name.get(pair[0], 0) + 1
        return tuple(out)


def _rank(c: Classified) -> tuple[int, int]:
    if c.absorbed_by or c.rule is None:
        return (0, -1)
    return (1 if c.specific else 0, c.rule.precedence)


def absorb_wrappers(classified: Sequence[Classified]) -> list[Classified]:
    """Wrapper and unrecognised log incidents join a specific cause from the same input file.

    Test results (JUnit, pytest) are never absorbed: an unrecognised test failure is a finding.
    The target is a specific result of the wrapper's own category if there is one (BuildKit's
    wrapper joins the docker failure), else the nearest specific result before it, else after it.
    A weak rule's incident joins only a stronger result of its own category (see `_weak`).
    """
    by_source: dict[str, list[int]] = {}
    for i, c in enumerate(classified):
        by_source.setdefault(c.result.source.path, []).append(i)
    out = list(classified)
    for indexes in by_source.values():
        specific = [i for i in indexes if classified[i].specific]
        if not specific:
            continue
        for i in indexes:
            c = classified[i]
            if c.result.is_test:  # neither weak evidence nor absorbable (_weak, _absorbable): one check, not both
                continue
            if _weak(c):
                strong = [j for j in specific if classified[j].category == c.category and not _weak(classified[j])]
                if not strong:
                    continue
                target = classified[min(strong, key=lambda j: abs(j - i))]
            elif c.specific or not _absorbable(c):
                continue
            else:
                target = classified[_target(i, c, specific, classified)]
            out[i] = c.changed(
                key=target.key,
                category=target.category,
                rule=target.rule,
                absorbed_by=target.rule.id if target.rule else "",
            )
    return _weak_across_inputs(out)


# A machine's own log handed in beside the job logs (`dmesg.log`, `kern.log`, `syslog`, a journal export): it
# describes the runner the job ran on, not a job of its own.
_KERNEL_LOG = re.lazy(r"(?i)(?:^|[-_.])(?:dmesg|kern(?:el)?|syslog|journal(?:ctl)?)(?:$|[-_.])")


def _places(c: Classified) -> set[str]:
    """The input files a result was read from (a report's test merged with its copy in a job log: both)."""
    return {c.result.source.path, *(v for k, v in c.result.properties if k == JOB_LOG)}


def _seen_with(strong: Classified, other: Classified) -> bool:
    """Whether `strong` can explain `other`: read in the same input, or in the machine's kernel log."""
    return bool(_places(strong) & _places(other)) or bool(_KERNEL_LOG.search(PurePath(strong.result.source.path).stem))


def _weak_across_inputs(classified: list[Classified]) -> list[Classified]:
    """One event seen from two places of a run. A weak incident its own file gave no stronger result to join
    (a job log's exit 137) joins the one stronger cause of its category in the machine's kernel log (the OOM
    record of a dmesg artifact); and a stronger incident that names no test (that record) joins the one
    test the run saw die that way where it was read (an xdist worker's `CRASHED with signal 9` beside the
    record in the same job log), so the finding holds the test and says why it died. With two or more
    candidates each stands on its own; another job's record never explains this job's kill."""
    weak = [i for i, c in enumerate(classified) if c.rule is not None and c.rule.weak]
    if not weak:  # most runs: one pass, nothing more
        return classified
    categories = {classified[i].category for i in weak}
    strong: dict[str, list[Classified]] = {}  # per category of a weak result: its stronger causes
    for c in classified:
        if c.category in categories and c.specific and not c.absorbed_by and not (c.rule is not None and c.rule.weak):
            strong.setdefault(c.category, []).append(c)
    out = list(classified)
    for i in weak:
        c = classified[i]
        if not _weak(c) or c.absorbed_by:
            continue
        targets = {o.key: o for o in strong.get(c.category, ())
                   if o.result.source.path != c.result.source.path and _seen_with(o, c)}
        if len(targets) == 1:
            (target,) = targets.values()
            out[i] = c.changed(key=target.key, category=target.category, rule=target.rule,
                               absorbed_by=target.rule.id if target.rule else "", rekeyed_from=c.key)
    died = [classified[i] for i in weak if classified[i].result.is_test]
    if not died:
        return out
    at = {id(c): i for i, c in enumerate(classified)}
    for c in (c for cs in strong.values() for c in cs):
        if c.result.is_test:
            continue
        keys = {o.key for o in died if o.category == c.category and _seen_with(c, o)}
        if len(keys) == 1:
            out[at[id(c)]] = c.changed(key=keys.pop(), rekeyed_from=c.key)
    return out


def _weak(c: Classified) -> bool:
    """Weak evidence (an exit code 137) of a cause another rule of its category names precisely (the
    OOM killer's record): it joins that result from the same input file, or stands on its own."""
    return c.rule is not None and c.rule.weak and not c.result.is_test


def _absorbable(c: Classified) -> bool:
    # A test result read from a log (pytest output in a job log) is still a test: never absorbed.
    return not c.result.is_test and (c.wrapper or c.rule is None)


def _target(i: int, c: Classified, specific: list[int], classified: Sequence[Classified]) -> int:
    same = [j for j in specific if classified[j].category == c.category]
    if same:
        return min(same, key=lambda j: abs(j - i))
    before = [j for j in specific if j < i]
    return before[-1] if before else specific[0]


def cluster(classified: Sequence[Classified], digest: Callable[[str], str]) -> tuple[Cluster, ...]:
    """Group by the digest of each key, clusters in first-seen order (deterministic)."""
    groups: dict[str, list[Classified]] = {}
    memo: dict[str, str] = {}
    for c in classified:
        d = memo.get(c.key)
        if d is None:
            d = memo[c.key] = digest(c.key)
        groups.setdefault(d, []).append(c)
    return tuple(Cluster(digest=d, members=tuple(members)) for d, members in groups.items())
