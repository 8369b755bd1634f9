"""A run judged against its history: stability, suspect range and priority per finding, and the findings
absent from this run with clean runs since (for verified closes). Pure: (report, snapshot, policy) in."""

from __future__ import annotations

from dataclasses import replace

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
                  last_seen=last, suspect=sus, priority_change=adj.change)
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
    present = frozenset(f.signature.digest for f in (*report.findings, *report.outside_focus))
    return replace(report, findings=tuple(findings), over_time=tuple(over), history=tuple(history),
                   clean=clean_records(snap, present))
