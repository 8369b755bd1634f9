"""What one run records, as plain rows: pure, built from the run's results and findings.

A test is identified by (name, variant); its key is a fixed-size hash so the store's unique indexes stay
small whatever the test ids' length. Log incidents have no test identity: they are recorded through
their findings only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from gardener import __version__
from gardener.model import Finding, Result
from gardener.redact import clean, clean_all

# When a test is reported more than once in a run (jobs, commands), the most telling outcome wins.
SEVERITY = {"error": 0, "failed": 1, "flaky": 2, "passed": 3, "skipped": 4}


def key_for(name: str, variant: str) -> str:
    return hashlib.sha256(f"{name}\0{variant}".encode()).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class RunMeta:
    """The run's identity and where it ran. `run_key` is the natural key within `repo`."""

    repo: str
    run_key: str
    started_at: datetime
    workflow: str | None = None
    job: str | None = None
    run_id: int | None = None
    attempt: int | None = None
    sha: str | None = None
    branch: str | None = None
    event: str | None = None
    url: str | None = None
    gardener_version: str = __version__
    sig_version: str = ""


@dataclass(frozen=True, slots=True)
class CaseRow:
    name: str
    variant: str
    outcome: str
    attempts: int = 1
    duration_s: float | None = None
    finding: str | None = None
    signature: str | None = None
    key: str = ""  # key_for(name, variant), computed once when not given

    def __post_init__(self) -> None:
        if not self.key:
            object.__setattr__(self, "key", key_for(self.name, self.variant))


@dataclass(frozen=True, slots=True)
class FindingRow:
    finding: str
    digest: str
    sig_version: str
    category: str
    priority: str
    title: str
    count: int


@dataclass(frozen=True, slots=True)
class RunRecord:
    meta: RunMeta
    tests: tuple[CaseRow, ...]
    findings: tuple[FindingRow, ...]


def case_rows(results: Iterable[Result], findings: Sequence[Finding]) -> tuple[CaseRow, ...]:
    """One row per test of the run, sorted by key; failing ones name their finding and signature."""
    owner: dict[tuple[str, str], Finding] = {}
    for finding in findings:
        for r in finding.results:
            owner.setdefault((r.id, r.variant), finding)
    best: dict[tuple[str, str], Result] = {}
    for r in results:
        if not r.is_test:
            continue
        k = (r.id, r.variant)
        held = best.get(k)
        if held is None or SEVERITY.get(r.outcome, 9) < SEVERITY.get(held.outcome, 9):
            best[k] = r
    rows = []
    # Names are stored (and later printed by `gardener history`) cleaned; the key stays the raw identity's hash,
    # which every lookup computes from a run's results.
    shown = iter(clean_all([part for pair in best for part in pair]))
    for (name, variant), r in best.items():
        f = owner.get((name, variant)) if r.outcome in ("failed", "error", "flaky") else None
        rows.append(CaseRow(name=next(shown), variant=next(shown), outcome=r.outcome, attempts=max(1, r.attempts),
                            duration_s=r.duration_s, finding=f.id if f else None,
                            signature=f.signature.digest if f else None, key=key_for(name, variant)))
    return tuple(sorted(rows, key=lambda t: t.key))


def finding_rows(findings: Sequence[Finding]) -> tuple[FindingRow, ...]:
    return tuple(FindingRow(finding=f.id, digest=f.signature.digest, sig_version=f.signature.version,
                            category=f.category, priority=f.priority, title=clean(f.title)[:500], count=f.count)
                 for f in findings)


def content_digest(tests: Sequence[CaseRow], findings: Sequence[FindingRow], *parts: str | None) -> str:
    """A local run's identity: what it found (and the commit and time when known), so recording the same
    reports twice is recognised as the same run."""
    h = hashlib.sha256()
    for t in tests:
        h.update(f"{t.key} {t.outcome} {t.finding or ''}\n".encode())
    for f in findings:
        h.update(f"finding {f.digest} {f.count}\n".encode())
    for p in parts:
        h.update(f"part {p or ''}\n".encode())
    return h.hexdigest()[:24]
