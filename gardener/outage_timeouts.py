"""Tests that timed out while their client retried a host that was down: the outage seen from a test.

A client that retries a host answering 5xx, with its back-off, outlives the test runner's timeout (jest's
`Exceeded timeout of 5000 ms for a test`): the test says only that it waited. What its file printed while
it ran says why (`POST https://api.example.com/v1/x -> 503 Service Unavailable (attempt 2/3), retrying`;
the jest reader keeps it on the timed-out test as `CONSOLE_5XX`). When the same job holds that host's
outage as a finding of its own (a connection-refused finding whose evidence is the host's 5xx, as
priority_evidence.outage_of reads it), each such timeout is linked as blocked by it: one root cause.

Pure: findings and edges in, the new edges out (consequences.py adds them with the others it draws).
"""

from __future__ import annotations

from collections.abc import Sequence

from gardener import regex as re
from gardener.evidence_refs import job_of
from gardener.ingest.runner_log.jest_lines import CONSOLE_5XX
from gardener.model import Edge, Finding
from gardener.priority_evidence import outage_of

# A host's 5xx as a client logs a request it retries: the URL, then the status with its reason phrase or
# after `status` (`-> 503 Service Unavailable`, `failed with status 502`).
_ANSWERED_5XX = re.lazy(
    r"(?i)https?://(?P<host>[\w.-]+)\S*.*?(?:\b(?P<status>50[0-4]) (?:Service Unavailable|Bad Gateway"
    r"|Gateway Time-?out|Internal Server Error)\b|\bstatus(?: code)?:? (?P<status2>50[0-4])\b)"
)


def _waited_on(f: Finding) -> set[str]:
    """The hosts the console of a timed-out test's file logged answering 5xx while it ran."""
    hosts: set[str] = set()
    for r in f.results:
        for k, v in r.properties:
            if k == CONSOLE_5XX:
                hosts.update(m.group("host").lower() for m in _ANSWERED_5XX.finditer(v))
    return hosts


def _jobs(f: Finding) -> set[str]:
    return {job for r in f.results if (job := job_of(r)) is not None}


def timeouts_on_outage(findings: Sequence[Finding], edges: Sequence[Edge]) -> list[Edge]:
    """Edges outage → timeout, for each timeout-hang finding whose tests' console logged the outage's host
    answering 5xx, in a job that holds the outage."""
    timeouts = [f for f in findings if f.category == "timeout-hang" and not f.blocked_by]
    if not timeouts:
        return []
    outages = []
    for f in findings:
        if f.category == "connection-refused":
            host, status = outage_of("\n".join(f"{r.message}\n{r.details}" for r in f.results[:20]))
            if host:
                outages.append((f, host, status, _jobs(f)))
    known = {(e.blocker, e.blocked) for e in edges}
    out: list[Edge] = []
    for wait in timeouts:
        hosts = _waited_on(wait) if outages else set()
        if not hosts:
            continue
        jobs = _jobs(wait)
        for down, host, status, down_jobs in outages:
            if host in hosts and jobs & down_jobs and (down.id, wait.id) not in known:
                out.append(Edge(down.id, wait.id, (
                    f"timed out while its client retried {host}, which answered {status} ({down.id}): the test "
                    "waited out a third party's outage, not a hang of its own")))
                break
    return out
