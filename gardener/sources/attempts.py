"""Attempts are evidence: the same job re-run on the same commit says which failures are flaky (pure).

Each group is what one attempt of one job showed (its log's results, and the artifact results tied to
it), already one result per test. Across the attempts of a job:

- a test that failed in an attempt and passed in a later one (its result says passed, or the later
  attempt ran its tests without it failing, or the later attempt of the job succeeded) is `flaky`;
- a test that failed in every attempt it ran in is `failed`, its `attempts` the number of runs seen;
- the in-file rerun logic (a JUnit flakyFailure, pytest-rerunfailures) has already made a result
  flaky or counted its attempts; those counts add up across attempts.

A log incident of an earlier attempt is kept only when it says something the last attempt read does
not (the same error again is one incident), or when the job later passed (the incident still happened:
`passed_in_attempt` says when it stopped).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from gardener import regex as re
from gardener.ingest.dedupe import identity_key
from gardener.model import Result
from gardener.sources.model import ArtifactInfo, JobInfo

_DIGITS = re.lazy(r"\d+|0x[0-9a-f]+", re.IGNORECASE)
PASSING = frozenset({"passed", "flaky", "skipped"})


@dataclass(frozen=True, slots=True)
class AttemptGroup:
    job: str
    attempt: int
    results: tuple[Result, ...]
    read: bool  # the attempt's log was read (else only its conclusion is known)
    succeeded: bool


def _key(r: Result) -> tuple[str, str]:
    return identity_key(r.id), r.variant


def _incident_key(r: Result) -> tuple[str, str]:
    return r.error_type, _DIGITS.sub("#", r.message.strip().lower())


def _ran_tests(group: AttemptGroup) -> bool:
    return any(r.is_test for r in group.results)


def merge_attempts(groups: Sequence[AttemptGroup]) -> tuple[Result, ...]:
    """One result per test and job across the job's attempts; results of different jobs pass through."""
    by_job: dict[str, list[AttemptGroup]] = {}
    for g in groups:
        by_job.setdefault(g.job, []).append(g)
    out: list[Result] = []
    for job_groups in by_job.values():
        out.extend(_merge_job(sorted(job_groups, key=lambda g: g.attempt)))
    return tuple(out)


def _merge_job(groups: list[AttemptGroup]) -> list[Result]:
    if len(groups) == 1:
        return list(groups[0].results)
    tests: dict[tuple[str, str], list[tuple[AttemptGroup, Result]]] = {}
    order: list[tuple[str, str]] = []
    for g in groups:
        for r in g.results:
            if r.is_test:
                k = _key(r)
                if k not in tests:
                    order.append(k)
                tests.setdefault(k, []).append((g, r))
    out = [_merge_test(tests[k], groups) for k in order]
    out.extend(_incidents(groups))
    return out


def _merge_test(seen: list[tuple[AttemptGroup, Result]], groups: list[AttemptGroup]) -> Result:
    failing = [(g, r) for g, r in seen if r.is_failing or r.outcome == "flaky"]
    latest = seen[-1][1]
    if not failing:
        return latest
    last_fail_g, last_fail = failing[-1]
    hard = [(g, r) for g, r in failing if r.is_failing]
    later = [g for g in groups if g.attempt > last_fail_g.attempt]
    present = {g.attempt: r for g, r in seen}
    passed_in = next((g.attempt for g in later if _passed_in(g, present.get(g.attempt))), None)
    runs = sum(r.attempts for _, r in seen) + sum(1 for g in later if g.attempt not in present and g.succeeded)
    failed_in = ",".join(str(g.attempt) for g, _ in hard) or str(last_fail_g.attempt)
    props = tuple((k, v) for k, v in last_fail.properties if k not in ("attempts_failed", "passed_in_attempt"))
    props += (("attempts_failed", failed_in),)
    if passed_in is not None or last_fail.outcome == "flaky":
        if passed_in is not None:
            props += (("passed_in_attempt", str(passed_in)),)
        return replace(last_fail, outcome="flaky", attempts=max(runs, 2), properties=props)
    return replace(last_fail, attempts=max(runs, len(hard)), properties=props)


def _passed_in(g: AttemptGroup, r: Result | None) -> bool:
    if r is not None:
        return r.outcome in PASSING
    return g.succeeded or (g.read and _ran_tests(g))


def _incidents(groups: list[AttemptGroup]) -> list[Result]:
    last_read = next((g for g in reversed(groups) if g.read), None)
    final = groups[-1]
    later_keys = {_incident_key(r) for r in last_read.results if not r.is_test} if last_read else set()
    out: list[Result] = []
    for g in groups:
        for r in g.results:
            if r.is_test:
                continue
            if g is last_read:
                out.append(r)
            elif final.succeeded and g.attempt < final.attempt:
                out.append(replace(r, properties=(*r.properties, ("passed_in_attempt", str(final.attempt)))))
            elif _incident_key(r) not in later_keys:
                out.append(r)
    return out


def tag(results: Sequence[Result], props: Mapping[str, str]) -> tuple[Result, ...]:
    """Results with these properties set (replacing values of the same keys)."""
    extra = tuple((k, v) for k, v in props.items() if v)
    keys = {k for k, _ in extra}
    return tuple(replace(r, properties=tuple(p for p in r.properties if p[0] not in keys) + extra) for r in results)


def artifacts_as_of(artifacts: Sequence[ArtifactInfo], jobs: Sequence[JobInfo],
                    attempt: int) -> tuple[ArtifactInfo, ...]:
    """The artifacts attempt `attempt` of a run had. GitHub lists every attempt's artifacts under the run and
    says nothing of which attempt uploaded one, so one uploaded after a later attempt's first job started is
    that later attempt's (a job's uploads end before its attempt does). Without times, an artifact is kept."""
    later = [j.started_at for j in jobs if j.attempt > attempt and j.started_at is not None]
    if not later:
        return tuple(artifacts)
    cutoff = min(later)
    return tuple(a for a in artifacts if a.created_at is None or a.created_at < cutoff)
