"""The core data every stage passes along: frozen, hashable, standard library only.

Stages are pure functions over these values; only ingest and the tracker adapter touch the
outside world. Collections are tuples so a value can never change under a later stage.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Literal, Protocol

Outcome = Literal["passed", "failed", "error", "skipped", "flaky"]
OUTCOMES: tuple[Outcome, ...] = ("passed", "failed", "error", "skipped", "flaky")
FAILING_OUTCOMES: frozenset[str] = frozenset({"failed", "error"})
# Result properties set when a report's test is merged with its console copies (ingest/dedupe.py): the CI
# log that reported it (the job it ran in), and `path:line` of that report in the log.
JOB_LOG = "job_log"
# Set by a reader whose input declares the run's size (pytest's final counts line) on its failing results:
# `failed/ran`, for the priority's "how much fails" when the results list only the failures.
RUN_COUNTS = "run_counts"
# Set by the runner-log reader on an incident a later step printed again: those steps, one a line.
ALSO_IN_STEPS = "also_in_steps"
# Set by a build's reader on the failing tests of a module that stopped the build: the modules the build then
# skipped (Maven's reactor summary: `api ..... SKIPPED` after `core ..... FAILURE`), comma-separated.
SKIPPED_MODULES = "skipped_modules"
JOB_LOG_LINE = "job_log_line"
# The name a console gave a test it reported without its file, when the run's report named it under its file
# (dedupe.py): an issue filed while the two were separate findings was filed under that name.
CONSOLE_ID = "console_id"

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
    """Where a result was read: the input file and its kind. One per file, shared by all its results (the line in
    that file is the result's own `Result.source_line`)."""

    path: str
    kind: str


@lru_cache(maxsize=256)
def source_of(path: str, kind: str) -> Source:
    """The one Source of a file, shared by the results read from it (a big report has 100k of them)."""
    return Source(path, kind)


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
    source_line: int | None = None  # the line of `source` it was read at

    # Written out, not generated: @dataclass's frozen __init__ sets each field through object.__setattr__ (a
    # lookup per field), these through the slots' own setters (_SET, below): a big report builds 100,000 results,
    # at about half the cost. Still frozen: the class's __setattr__ and __delattr__ raise (test_model_result.py).
    def __init__(
        self,
        id: str,
        outcome: Outcome,
        source: Source,
        variant: str = "",
        message: str = "",
        error_type: str = "",
        details: str = "",
        file: str | None = None,
        line: int | None = None,
        duration_s: float | None = None,
        attempts: int = 1,
        suite: str = "",
        timestamp: datetime | None = None,
        properties: tuple[tuple[str, str], ...] = (),
        source_line: int | None = None,
    ) -> None:
        _set_id(self, id)
        _set_outcome(self, outcome)
        _set_source(self, source)
        _set_variant(self, variant)
        _set_message(self, message)
        _set_error_type(self, error_type)
        _set_details(self, details)
        _set_file(self, file)
        _set_line(self, line)
        _set_duration_s(self, duration_s)
        _set_attempts(self, attempts)
        _set_suite(self, suite)
        _set_timestamp(self, timestamp)
        _set_properties(self, properties)
        _set_source_line(self, source_line)

    @property
    def is_failing(self) -> bool:
        return self.outcome in FAILING_OUTCOMES

    @property
    def is_test(self) -> bool:
        """A test outcome, as opposed to an incident found in a log (which has no test identity)."""
        return not self.id.startswith("log:")


# Result's slot setters (its __init__), one per field: a new field that __init__ does not set fails
# test_model_result.py.
(_set_id, _set_outcome, _set_source, _set_variant, _set_message, _set_error_type, _set_details, _set_file, _set_line,
 _set_duration_s, _set_attempts, _set_suite, _set_timestamp, _set_properties, _set_source_line) = (
    vars(Result)[name].__set__ for name in Result.__match_args__)


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
    warning: str | None = None


@dataclass(frozen=True, slots=True)
class Ingested:
    """Everything read from a set of inputs, files in the order they were given."""

    files: tuple[FileReport, ...]
    results: tuple[Result, ...]
    steps: tuple[LogStep, ...] = ()  # the CI steps the runner logs among the inputs show

    @property
    def rejected(self) -> tuple[FileReport, ...]:
        return tuple(f for f in self.files if f.error is not None)


@dataclass(frozen=True, slots=True)
class Signature:
    """The identity of a failure: masked text users can read, and the digest used as the key."""

    text: str
    version: str
    digest: str
    # The same key's digests under older mask versions, so issues filed under them still match.
    aliases: tuple[str, ...] = ()


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
    def count(self) -> int:
        """How many things fail: the tests when tests fail (a log line that only adds evidence is not
        another failure), else the log incidents. A flake counts: it failed before it passed."""
        failed = [r for r in self.results if r.is_failing or r.outcome == "flaky"]
        tests = [r for r in failed if r.is_test]
        return len(tests) if tests else len(failed)

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



AttemptStatus = Literal["SUCCESS", "SUCCESS WITH WARNINGS", "FAILED", "TIMED OUT", "NOT RUN"]
ATTEMPT_STATUSES: tuple[AttemptStatus, ...] = (
    "SUCCESS",
    "SUCCESS WITH WARNINGS",
    "FAILED",
    "TIMED OUT",
    "NOT RUN",
)


@dataclass(frozen=True, slots=True)
class CommandSpec:
    """A configured test command gardener may run itself (`[[gardener.commands]]`).

    `run` is split with shlex into an argv and run without a shell; `shell=True` opts in to
    `/bin/sh -c run` for pipes and `&&`. `reports` are globs (relative to `cwd`) where the
    command writes its JUnit / report-log. `focus_arg` says how `--focus` is passed on: a
    template such as "-k {focus}" appended to the command, `{focus}` being the focus words
    joined by " or "; None means "-k {focus}" when the argv runs pytest and nothing otherwise;
    "" means never.
    """

    name: str
    run: str
    scope: str | None = None
    timeout_s: float = 1800.0
    reports: tuple[str, ...] = ()
    env: tuple[tuple[str, str], ...] = ()
    cwd: str | None = None
    focus_arg: str | None = None
    shell: bool = False
    # A file holding this command's console output from a run gardener did not start itself
    # (an earlier CI step, a developer's terminal); read instead of running when not --execute.
    output: str | None = None


@dataclass(frozen=True, slots=True)
class Attempt:
    """One run of a CommandSpec as the worklog's "Test Execution Attempts Summary" records it.

    `key_error` is untrusted output text (the line explaining a failure, the first warning, or
    why the command was not run); it is redacted when rendered. `exit_code` is None when the
    command never started or was killed at its timeout.
    """

    name: str
    command: str
    scope: str | None
    status: AttemptStatus
    exit_code: int | None
    duration_s: float
    key_error: str
    output_path: str | None
    reports: tuple[str, ...]
    started_at: datetime


@dataclass(frozen=True, slots=True)
class Edge:
    """`blocker` must be fixed before `blocked` can be seen clearly; `reason` says why, in words."""

    blocker: str
    blocked: str
    reason: str


@dataclass(frozen=True, slots=True)
class Phase:
    """One step of the resolution strategy: findings that can be fixed once earlier phases are."""

    number: int
    name: str
    finding_ids: tuple[str, ...]


ActionKind = Literal["create", "update", "comment", "reopen", "link", "unlink", "close-duplicate", "close", "skip"]


@dataclass(frozen=True, slots=True)
class Action:
    """One thing the plan does to the tracker (or would do, in a dry run).

    For links, `finding` is blocked by `blocker` (both finding ids) and `issue`/`blocker_issue`
    are their issue numbers when known.
    """

    kind: ActionKind
    finding: str | None
    reason: str
    issue: int | None = None
    blocker: str | None = None
    blocker_issue: int | None = None


@dataclass(frozen=True, slots=True)
class ActionOutcome:
    """What applying one action did: the issue it touched, or the error that stopped it."""

    action: Action
    ok: bool
    issue: IssueRef | None = None
    error: str | None = None
    dry_run: bool = False


@dataclass(frozen=True, slots=True)
class Seen:
    """A moment in a finding's or test's history: when, and at which commit (None: not known)."""

    at: datetime
    sha: str | None = None


@dataclass(frozen=True, slots=True)
class FindingHistory:
    """What the history store says about one finding, as a pure summary (gardener/history/summary.py).

    `runs` are the most recent runs that executed the finding's tests (every run of the repository for a
    finding without tests), at most a fixed number; `failures` how many of them it occurred in. `daily`
    is one (occurred, runs) pair per day, oldest first, ending today.
    """

    runs: int
    failures: int
    first_seen: Seen | None
    last_seen: Seen | None
    daily: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class OverTimePolicy:
    """`[gardener.over_time]`: how history turns into stability, priority and verified closes."""

    flaky_min_runs: int = 10  # a failure rate calls a test flaky only over at least this many runs
    flaky_min_failures: int = 2
    flaky_rate_low: float = 0.0  # the rate must lie within [low, high] (above high it is broken)
    flaky_rate_high: float = 0.9
    impact_window_days: float = 7.0  # runs affected are counted over this window (1 or 7 days)
    raise_at: int = 10  # runs affected in the window at which priority rises one level
    lower_below: int = 5  # ... and below which a raised priority falls back to the rule's
    close_after_runs: int = 5  # verified close: this many clean runs that executed its tests
    close_after_days: float = 2.0  # ... spanning at least this long since the last failure
    max_closes: int = 10  # per run
    max_suspects: int = 10  # commits listed in a suspect range

@dataclass(frozen=True, slots=True)
class SuspectCommit:
    """A commit in a broken finding's suspect range; `touches` names the evidence files it changed."""

    sha: str
    author: str
    subject: str
    touches: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SuspectRange:
    """Where a broken finding began: the last commit where its tests passed and the first where it failed."""

    good: Seen | None
    bad: Seen
    compare_url: str | None = None
    commits: tuple[SuspectCommit, ...] = ()
    commits_total: int = 0


@dataclass(frozen=True, slots=True)
class OverTime:
    """A finding judged across runs (gardener/stability.py): `stability` is new, broken, flaky or fixed; its
    category stays the root cause. `runs`/`failures` count the window's runs that executed its tests."""

    stability: str | None
    reason: str
    runs: int
    failures: int
    first_seen: Seen | None = None
    last_seen: Seen | None = None
    suspect: SuspectRange | None = None
    priority_change: str = ""  # "raised to P1: failed in 9 of the last 10 runs" ("" when unchanged)
    # Each test's own stability (test display name, stability or None: it fails only through this root cause).
    tests: tuple[tuple[str, str | None], ...] = ()


@dataclass(frozen=True, slots=True)
class CleanRecord:
    """A finding absent from this run, as history tells it: the clean runs (that executed its tests) since
    its last failure, for a verified close."""

    digest: str
    clean: tuple[Seen, ...]  # oldest first
    last_failure: Seen | None
    runs_total: int = 0  # clean runs counted (they may be more than listed)


@dataclass(frozen=True, slots=True)
class RunReport:
    """Everything one `gardener run` learned and did; the templates' only source of facts."""

    generated_at: datetime
    command_line: str
    focus: tuple[str, ...]
    scope: str | None
    files: tuple[FileReport, ...]
    attempts: tuple[Attempt, ...]
    findings: tuple[Finding, ...]
    edges: tuple[Edge, ...]
    phases: tuple[Phase, ...]
    resolution_order: tuple[str, ...]
    actions: tuple[Action, ...]
    outcomes: tuple[ActionOutcome, ...] = ()
    issues: tuple[tuple[str, IssueRef], ...] = ()
    related: tuple[IssueRef, ...] = ()
    outside_focus: tuple[Finding, ...] = ()
    results_total: int = 0
    api_requests: int | None = None
    tracker: str | None = None
    history: tuple[tuple[str, FindingHistory], ...] = ()  # finding id → its history, when a store was used
    over_time: tuple[tuple[str, OverTime], ...] = ()  # finding id → stability, suspects, priority change
    clean: tuple[CleanRecord, ...] = ()  # findings absent from this run with clean runs since (verified close)

    @property
    def dropped_by_focus(self) -> int:
        return len(self.outside_focus)

    def issue_for(self, finding_id: str) -> IssueRef | None:
        return _issue_index(self.issues).get(finding_id)

    def history_for(self, finding_id: str) -> FindingHistory | None:
        return next((h for fid, h in self.history if fid == finding_id), None)

    def over_time_for(self, finding_id: str) -> OverTime | None:
        return next((o for fid, o in self.over_time if fid == finding_id), None)


# issue_for is called once per finding by every view: the dict of a report's issues is built once
# (memoised on the identity of the tuple, which it keeps alive), not once per call.
_ISSUE_INDEX: list[tuple[tuple[tuple[str, IssueRef], ...], dict[str, IssueRef]]] = []


def _issue_index(issues: tuple[tuple[str, IssueRef], ...]) -> dict[str, IssueRef]:
    for held, index in _ISSUE_INDEX:
        if held is issues:
            return index
    index = dict(issues)
    _ISSUE_INDEX[:] = [(issues, index), *_ISSUE_INDEX[:3]]
    return index


@dataclass(frozen=True, slots=True)
class TrackerPolicy:
    """How gardener gardens the issue tracker (`[gardener.github]` in config; see config/github.py)."""

    apply: bool = False
    repo: str | None = None
    api_url: str | None = None
    bot_label: str = "gardener"
    category_prefix: str = "failing-test:"
    max_new_issues: int = 10
    comment_cooldown_days: float = 3.0
    reopen_window_days: float = 90.0  # closed longer ago than this: a new issue that links the old one
    lookback_days: float = 365.0  # closed issues updated within this are read back
    write_interval_s: float = 1.0  # pacing between writes (GitHub's content-creation limits)
    max_wait_s: float = 60.0  # the longest single wait for a rate limit or a retry
    max_attempts: int = 4  # per request, the first try included


@dataclass(frozen=True, slots=True)
class LabelSpec:
    name: str
    color: str
    description: str


class Tracker(Protocol):
    """An issue tracker gardener can garden (GitHub through PyGithub; the sandbox in tests).

    Writes raise gardener.errors.TrackerError subclasses from gardener.garden.errors: one action
    refused (recorded, the run goes on) or the tracker unusable (the remaining writes stop).
    """

    @property
    def name(self) -> str: ...

    def requests_made(self) -> int: ...

    def known_issues(self) -> tuple[IssueRef, ...]: ...

    def search_related(self, words: Sequence[str]) -> tuple[IssueRef, ...]: ...

    def prepare_writes(self, labels: Sequence[LabelSpec]) -> None: ...

    def create_issue(self, title: str, body: str, labels: Sequence[str], signature: str) -> IssueRef: ...

    def edit_issue(self, number: int, *, body: str | None = None, labels: Sequence[str] | None = None,
                   state: str | None = None, state_reason: str | None = None) -> IssueRef: ...

    def add_comment(self, number: int, body: str) -> None: ...

    def link_blocked_by(self, number: int, blocker_id: int) -> None: ...

    def unlink_blocked_by(self, number: int, blocker_id: int) -> None: ...

    def compare_commits(self, base: str, head: str) -> tuple[SuspectCommit, ...]:
        """The commits in base...head, oldest first, each with the files it changed (one compare call)."""
        ...


@dataclass(frozen=True, slots=True)
class LogStep:
    """One step of a CI job as its runner log shows it: `##[group]Run <command>` up to the next step.

    The worklog's "Test Execution Attempts Summary" lists these for runs gardener did not start.
    `name` is what follows `Run ` (a command's first line, or an action such as `actions/checkout@v4`);
    `command` the whole script the runner echoed; `shell` the shell line of a `run:` step (None for an
    action). `status` is FAILED for a non-zero exit or an error the runner reported, TIMED OUT when
    the runner says the step ran out of time, else SUCCESS WITH WARNINGS or SUCCESS by the warnings
    seen. `exit_code` is None when the log does not say (cancelled, timed out, the log ends inside
    the step). `key_error` (untrusted log text, redact when rendering) explains a failure (the first
    failing test or incident of the step), or is the first warning. Lines are the log's, 1-based.
    """

    path: str
    name: str
    command: str
    shell: str | None
    line: int
    end_line: int
    exit_code: int | None
    status: AttemptStatus
    key_error: str
    started_at: datetime | None = None
    duration_s: float | None = None
