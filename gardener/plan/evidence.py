"""What one run saw of a finding, in the terms the planner compares with an issue's metadata. Pure.

The evidence time is the newest timestamp the inputs give (JUnit timestamps, log line times); it
decides whether a closed issue came back. Inputs without timestamps have no time of their own: the
planner then uses the time it first saw this exact evidence (the fingerprint), else now.

The fingerprint identifies the evidence itself (which results, their times and masked messages,
the CI run), so rerunning gardener on the same inputs is recognised as nothing new.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from gardener.model import Finding, Result
from gardener.normalize import mask

MAX_ERRORS = 20


@dataclass(frozen=True, slots=True)
class Evidence:
    fingerprint: str
    newest: datetime | None
    oldest: datetime | None
    tests: tuple[str, ...]  # redacted test ids, variants folded in
    count: int  # failing results
    errors: tuple[str, ...]  # digests of the distinct masked error texts
    error: str = ""  # the failure in one line, redacted: what a comment says came back


def aware(when: datetime) -> datetime:
    """Timestamps without a zone are read as UTC (JUnit writes local time without one; CI runs in UTC)."""
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _digest(text: str, size: int = 12) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:size]


def error_digests(results: Sequence[Result]) -> tuple[str, ...]:
    failing = [r for r in results if r.is_failing] or list(results)
    texts = dict.fromkeys(mask(r.message or r.error_type) for r in failing if r.message or r.error_type)
    return tuple(sorted(_digest(t, 8) for t in texts))[:MAX_ERRORS]


def evidence_of(finding: Finding, tests: Sequence[str], run_url: str | None = None, error: str = "") -> Evidence:
    """`tests` are the finding's test ids and `error` its error line as they may be shown (redacted)."""
    times = sorted(aware(r.timestamp) for r in finding.results if r.timestamp is not None)
    lines = sorted(
        "|".join((r.id, r.variant, r.outcome, aware(r.timestamp).isoformat() if r.timestamp else "",
                  mask(r.message), r.source.kind, str(r.source_line or "")))
        for r in finding.results
    )
    return Evidence(
        fingerprint=_digest("\n".join([run_url or "", *lines]), 16),
        newest=times[-1] if times else None,
        oldest=times[0] if times else None,
        tests=tuple(tests),
        count=sum(1 for r in finding.results if r.is_failing),
        errors=error_digests(finding.results),
        error=error,
    )
