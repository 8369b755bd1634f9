"""The core data every stage passes along: frozen, hashable, standard library only.

Stages are pure functions over these values; only ingest and the tracker adapter touch the
outside world. Collections are tuples so a value can never change under a later stage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Outcome = Literal["passed", "failed", "error", "skipped", "flaky"]
OUTCOMES: tuple[Outcome, ...] = ("passed", "failed", "error", "skipped", "flaky")
FAILING_OUTCOMES: frozenset[str] = frozenset({"failed", "error"})

InputKind = Literal["junit", "pytest", "reportlog", "log"]
INPUT_KINDS: tuple[InputKind, ...] = ("junit", "pytest", "reportlog", "log")

Priority = Literal["P0", "P1", "P2", "P3"]
PRIORITIES: tuple[Priority, ...] = ("P0", "P1", "P2", "P3")
PRIORITY_MEANINGS: dict[str, str] = {
    "P0": "Critical/blocking - system down",
    "P1": "High - major feature broken",
    "P2": "Medium - minor feature issues",
    "P3": "Low - cosmetic or flaky",
}

Layer = Literal["infrastructure", "environment", "collection", "test"]
LAYERS: tuple[Layer, ...] = ("infrastructure", "environment", "collection", "test")


@dataclass(frozen=True, slots=True)
class Source:
    """Where a result was read: the input file, its kind, and the line in that file."""

    path: str
    kind: str
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Result:
    """One test outcome, or one incident found in a log.

    `id` is `file::Class::name` without the parametrize id, which is kept apart in `variant`
    so that the variants of one test group together.
    """

    id: str
    outcome: Outcome
    source: Source
    variant: str = ""
    message: str = ""
    error_type: str = ""
    details: str = ""
    file: str | None = None
    line: int | None = None
    duration_s: float | None = None
    attempts: int = 1
    suite: str = ""
    timestamp: datetime | None = None
    properties: tuple[tuple[str, str], ...] = ()

    @property
    def is_failing(self) -> bool:
        return self.outcome in FAILING_OUTCOMES


@dataclass(frozen=True, slots=True)
class Counts:
    """Per-file counts; each `<testcase>` counts once, by its most severe result."""

    cases: int = 0
    failures: int = 0
    errors: int = 0
    skipped: int = 0
    flaky: int = 0


@dataclass(frozen=True, slots=True)
class FileReport:
    """What ingesting one input file gave: its counts, or the one-line reason it was rejected."""

    path: str
    kind: str | None
    counts: Counts = Counts()
    declared: Counts | None = None
    partial: bool = False
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Ingested:
    """Everything read from a set of inputs, files in the order they were given."""

    files: tuple[FileReport, ...]
    results: tuple[Result, ...]

    @property
    def rejected(self) -> tuple[FileReport, ...]:
        return tuple(f for f in self.files if f.error is not None)


@dataclass(frozen=True, slots=True)
class Signature:
    """The identity of a failure: masked text users can read, and the digest used as the key."""

    text: str
    version: str
    digest: str


@dataclass(frozen=True, slots=True)
class Finding:
    """One root cause, with every result it breaks and how it was classified."""

    id: str
    signature: Signature
    results: tuple[Result, ...]
    category: str
    area: str
    layer: Layer
    priority: Priority
    priority_reason: str
    rule_id: str
    title: str
    root_cause: str
    remediation: str = ""
    impact: str = ""
    captures: tuple[tuple[str, str], ...] = ()
    blocks: tuple[str, ...] = ()
    blocked_by: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"failing-test-{self.area}-{self.priority}-{self.category}"

    @property
    def tests(self) -> tuple[str, ...]:
        """Distinct test ids affected, in first-seen order."""
        return tuple(dict.fromkeys(r.id for r in self.results))


@dataclass(frozen=True, slots=True)
class IssueRef:
    """An issue as the tracker reported it; `id` is the REST id the dependencies API needs."""

    number: int
    id: int
    title: str
    state: str
    url: str
    state_reason: str | None = None
    labels: tuple[str, ...] = ()
    body: str = ""
    closed_at: datetime | None = None
    updated_at: datetime | None = None
    meta: dict[str, object] | None = field(default=None, hash=False, compare=False)

