"""Where a finding's evidence was read: one entry per distinct (file, line), in the findings' own order.

The worklog's **Evidence:** line and the JSON outputs (`classify --json`, `run --json`, plan.json) show
the same list: the input file, the line in it, the job it came from and the CI step the line sat in.
The job is the one the input names (a `job` property from the Actions source, the configured command
gardener ran, else the job log's file stem for a runner log); the step is the Actions job's step when the
source names it, else the runner log's step label.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from gardener.model import JOB_LOG_LINE, Finding, Result
from gardener.numbers import bounded_int

MAX_REFS = 100  # a finding of ten thousand results keeps its first hundred places


@dataclass(frozen=True, slots=True)
class EvidenceRef:
    path: str
    line: int | None
    job: str | None
    step: str | None

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "job": self.job, "step": self.step}


def job_of(r: Result) -> str | None:
    if not r.properties:  # most results: read for every finding and the whole run, so without a dict
        return PurePath(r.source.path).stem if r.source.kind == "log" else None
    props = dict(r.properties)
    job = props.get("job") or props.get("command")
    if job:
        return job
    if r.source.kind == "log":
        return PurePath(r.source.path).stem
    log = props.get("job_log")  # a report's test merged with its copy in a job log (ingest/dedupe.py)
    return PurePath(log).stem if log else None


def evidence_refs(f: Finding, limit: int = MAX_REFS) -> tuple[EvidenceRef, ...]:
    seen: dict[tuple[str, int | None], EvidenceRef] = {}
    for r in f.results:
        if not r.properties:  # most results: the place it was read at, its job, no step (as below, without a dict)
            key = (r.source.path, r.source_line)
            if key not in seen:
                seen[key] = EvidenceRef(key[0], key[1], job_of(r), None)
            if len(seen) >= limit:
                break
            continue
        props = dict(r.properties)
        step = props.get("job_step") or props.get("step") or None  # an Actions run's step, else the log's
        for key in places(r):
            if key not in seen:
                # Another log than the place: a report's console copy ran in the report's job; a second console
                # copy (a matrix's other platform) is its own job's log, named by its file, never the place's job.
                other = props.get("job") if r.source.kind != "log" else None
                job = job_of(r) if key[0] == r.source.path else other or PurePath(key[0]).stem
                seen[key] = EvidenceRef(key[0], key[1], job, step)
        if len(seen) >= limit:
            break
    return tuple(seen.values())[:limit]


def places(r: Result) -> list[tuple[str, int | None]]:
    """Where a result was read: its own place, then the job-log lines of console copies merged into it."""
    found: list[tuple[str, int | None]] = [(r.source.path, r.source_line)]
    for k, v in r.properties:
        if k == JOB_LOG_LINE:
            path, _, line = v.rpartition(":")
            found.append((path, bounded_int(line) if line.isascii() and line.isdigit() else None))
    return found
