"""A pytest session's own reports, gardened: no JUnit file, no report-log file.

pytest hands every TestReport and CollectReport to plugins; serialised with pytest's own
`pytest_report_to_serializable` they are exactly the entries a `--report-log` file holds, so they go
through the same merger as report-log ingestion (ReportMerger: phases, reruns, xfail, collection
errors), and a session gardened here gives the same results as its report-log read by `gardener run`.

No pytest import here: the plugin (pytest_plugin.py) feeds plain dicts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gardener.config import load_config
from gardener.ingest.base import counts_of
from gardener.ingest.reportlog.merge import ReportMerger
from gardener.model import Attempt, FileReport, Result, Tracker
from gardener.pipeline import RunOptions, RunOutput, run
from gardener.redact import safe_inline
from gardener.view.common import Ctx

SOURCE = "pytest session"


@dataclass(frozen=True, slots=True)
class SessionOptions:
    out_dir: Path
    focus: tuple[str, ...] = ()
    config_path: Path | None = None
    apply: bool = False
    command_line: str = "pytest --gardener"


class SessionRecorder:
    """Takes the session's serialised reports as they come; `results()` once it is over."""

    def __init__(self) -> None:
        self.started = datetime.now(UTC)
        self._merger = ReportMerger(SOURCE, "pytest")
        self._entries = 0

    def add(self, entry: Mapping[str, Any]) -> None:
        if entry.get("$report_type") == "CollectReport" and entry.get("outcome") == "passed":
            return  # most of them; they name no test
        self._entries += 1
        # Captured output is not evidence the merger reads; dropping it keeps a long session small.
        self._merger.add(self._entries, {k: v for k, v in entry.items() if k != "sections"})

    def results(self) -> tuple[Result, ...]:
        return tuple(self._merger.results())


def session_attempt(results: Sequence[Result], options: SessionOptions, started: datetime,
                    exit_code: int) -> Attempt:
    """The session itself, as the worklog's "Test Execution Attempts Summary" records a command."""
    failing = [r for r in results if r.is_failing]
    return Attempt(
        name="pytest session",
        command=options.command_line,
        scope=None,
        status="FAILED" if failing or exit_code else "SUCCESS",
        exit_code=exit_code,
        duration_s=round((datetime.now(UTC) - started).total_seconds(), 3),
        key_error=(failing[0].message or failing[0].error_type) if failing else "",
        output_path=None,
        reports=(),
        started_at=started,
    )


def garden_session(recorder: SessionRecorder, options: SessionOptions, exit_code: int, ctx: Ctx,
                   tracker: Tracker | None = None) -> RunOutput | None:
    """Garden the session's results into options.out_dir; None when nothing failed."""
    results = recorder.results()
    if not any(r.is_failing for r in results):
        return None
    # The session is the attempt: configured commands are neither run nor read again here.
    config = replace(load_config(options.config_path), commands=())
    files = (FileReport(path=SOURCE, kind="pytest", counts=counts_of(results)),)
    attempt = session_attempt(results, options, recorder.started, exit_code)
    run_options = RunOptions(focus=options.focus, out_dir=options.out_dir, command_line=options.command_line,
                             session=(files, results, (attempt,)), apply=options.apply)
    if tracker is None:
        return run(run_options, config, ctx)
    return run(run_options, config, ctx, tracker)


def summary_lines(out: RunOutput, limit: int = 5) -> list[str]:
    """What the terminal shows: the findings that matter most, and where the documents are."""
    report = out.report
    by_id = {f.id: f for f in report.findings}
    failing = sum(1 for f in report.findings for r in f.results if r.is_failing)
    lines = [f"gardener: {len(report.findings)} finding(s) from {failing} failure(s) in this session"]
    for n, fid in enumerate(report.resolution_order[:limit], 1):
        f = by_id[fid]
        issue = report.issue_for(fid)
        where = f" (#{issue.number})" if issue else ""
        lines.append(f"  {n}. {f.priority} {safe_inline(f.title, 100)}{where}")
    if len(report.resolution_order) > limit:
        lines.append(f"  ... and {len(report.resolution_order) - limit} more in the worklog")
    lines += [f"gardener: worklog {out.worklog_path}", f"gardener: summary {out.summary_path}"]
    return lines
