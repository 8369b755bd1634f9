"""A run judged against its history: stability, suspect range and priority per finding, and the findings
absent from this run with clean runs since (for verified closes). Pure: (report, snapshot, policy) in."""

from __future__ import annotations

from dataclasses import replace

from gardener.history.record import key_for
from gardener.history.summary import Obs, clean_runs, finding_history, suspect
from gardener.hysteresis import adjust
from gardener.model import CleanRecord, Finding, FindingHistory, OverTime, OverTimePolicy, RunReport, Seen, SuspectRange
from gardener.over_time.read import Snapshot
from gardener.stability import judge

WEB = "https://github.com"


def compare_url(repo: str, good: str | None, bad: str | None, web: str = WEB) -> str | None:
    if not good or not bad or "/" not in repo:
        return None
    return f"{web.rstrip('/')}/{repo}/compare/{good}...{bad}"


def _retried(f: Finding, snap: Snapshot) -> bool:
    if any(r.outcome == "flaky" for r in f.results):
        return True
    keys = snap.finding_tests.get(f.signature.digest, ())
    return any(o.outcome == "flaky" for k in keys for o in snap.test_obs.get(k, ()))


MAX_TESTS = 20  # tests judged one by one per finding


def per_test_stability(f: Finding, snap: Snapshot, policy: OverTimePolicy) -> tuple[tuple[str, str | None], ...]:
    """Each test's own stability. A test failing through an environment, infrastructure or collection root
    cause is not judged by itself (None): when that cause flakes, the cause is flaky, not the test."""
    out: list[tuple[str, str | None]] = []
    seen: set[str] = set()
    for r in f.results:
        key = key_for(r.id, r.variant)
        if not r.is_test or key in seen or len(out) >= MAX_TESTS:
            continue
        seen.add(key)
        name = r.id + (f"[{r.variant}]" if r.variant else "")
        if f.layer != "test":
            out.append((name, None))
            continue
        obs = snap.test_obs.get(key, ())
        retried = r.outcome == "flaky" or any(o.outcome == "flaky" for o in obs)
        out.append((name, judge(obs, True, policy, retried).stability))
    return tuple(out)


def judge_finding(f: Finding, snap: Snapshot, policy: OverTimePolicy, web: str = WEB
                  ) -> tuple[Finding, OverTime, FindingHistory]:
    obs: tuple[Obs, ...] = snap.finding_obs.get(f.signature.digest, ())
    first, last = snap.seen.get(f.signature.digest, (None, None))
    v = judge(obs, True, policy, _retried(f, snap))
    sus = None
    if v.stability == "broken":
        s = suspect(obs)
        if s is not None:
            sus = SuspectRange(s.good, s.bad, compare_url(snap.repo, s.good.sha if s.good else None, s.bad.sha, web))
    adj = adjust(f.priority, obs, policy)
    judged = f
    if adj.priority != f.priority:
        judged = replace(f, priority=adj.priority, priority_reason=f"{adj.change}; rule: {f.priority_reason}")
    ot = OverTime(stability=v.stability, reason=v.reason, runs=v.runs, failures=v.failures, first_seen=first,
                  last_seen=last, suspect=sus, priority_change=adj.change, tests=per_test_stability(f, snap, policy))
    return judged, ot, finding_history(obs, first, last, snap.at)


def clean_records(snap: Snapshot, present: frozenset[str]) -> tuple[CleanRecord, ...]:
    """Findings absent from this run that failed within the window and passed in every run since that
    executed their tests."""
    out = []
    for digest, obs in sorted(snap.finding_obs.items()):
        if digest in present:
            continue
        failed = [o for o in obs if o.executed and o.failed]
        clean = clean_runs(obs)
        if not failed or not clean:
            continue
        last = max(failed, key=lambda o: (o.at, o.run))
        out.append(CleanRecord(digest, tuple(Seen(o.at, o.sha) for o in clean), Seen(last.at, last.sha),
                               len(clean)))
    return tuple(out)


def judge_run(report: RunReport, snap: Snapshot, policy: OverTimePolicy, web: str = WEB) -> RunReport:
    findings, over, history = [], [], []
    for f in report.findings:
        judged, ot, h = judge_finding(f, snap, policy, web)
        findings.append(judged)
        over.append((f.id, ot))
        history.append((f.id, h))
    present = frozenset(d for f in (*report.findings, *report.outside_focus)
                        for d in (f.signature.digest, *f.signature.aliases))
    return replace(report, findings=tuple(findings), over_time=tuple(over), history=tuple(history),
                   clean=clean_records(snap, present))
