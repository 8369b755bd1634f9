"""`gardener run`: ingest → classify → correlate → focus → plan → render → write.

No click and no PyGithub here: the CLI composes the inputs, this module wires the stages, and
everything is rendered before anything is written, so a template error leaves no half-written
output behind.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from gardener import regex as re
from gardener import render
from gardener.aliases import Aliases, carrying, finding_aliases
from gardener.attempts import attempt_runs
from gardener.config import Config
from gardener.correlate import phases, resolution_order
from gardener.focus import apply_focus
from gardener.garden import garden
from gardener.jsonout import chunks
from gardener.linked import linked_findings
from gardener.model import Attempt, Edge, FileReport, LogStep, Result, RunReport, Tracker
from gardener.outputs import make_dir, write_atomic
from gardener.plan import Plan, plan_without_tracker
from gardener.report_json import run_dict
from gardener.steps import step_attempts
from gardener.view.common import Ctx
from gardener.view.summary import summary_context
from gardener.view.worklog import worklog_context
from gardener.whole_excerpt import ingest_for_classify

if TYPE_CHECKING:
    from gardener.history.hook import HistorySettings


@dataclass(frozen=True, slots=True)
class RunOptions:
    paths: tuple[str, ...] = ()
    focus: tuple[str, ...] = ()
    scope: str | None = None
    execute: bool = False
    out_dir: Path = Path("gardener-reports")
    command_line: str = "gardener run"
    now: datetime | None = None
    apply: bool = False  # with a tracker: write the plan (otherwise it is a dry run)
    # Files, results and attempts the caller already has (the pytest plugin's own session).
    session: Collected | None = None
    history: HistorySettings | None = None  # record the run in this store (None: no history)


@dataclass(frozen=True, slots=True)
class RunOutput:
    report: RunReport
    worklog_path: Path
    summary_path: Path
    plan_path: Path
    files: tuple[FileReport, ...]
    plan: Plan | None = None  # with a tracker: the steps planned (dry run) or applied
    history_note: str = ""  # what recording the run did, in one line ("" without history)


def output_stem(kind: str, focus: Sequence[str], scope: str | None, when: datetime) -> str:
    """`FAILING-TEST-GARDENER-WORKLOG-<FOCUS>-<scope>-<timestamp>` as in the seed."""
    words = re.sub(r"[^A-Za-z0-9]+", "_", "_".join(focus)).strip("_").upper() or "ALL"
    parts = ["FAILING-TEST-GARDENER", kind, words[:80]]
    if scope:
        parts.append(re.sub(r"[^A-Za-z0-9_-]+", "_", scope).lower())
    parts.append(when.strftime("%Y-%m-%d-%H%M%S"))
    return "-".join(parts)


def _tag(results: Sequence[Result], attempt: Attempt) -> tuple[Result, ...]:
    extra = (("command", attempt.name),) + ((("scope", attempt.scope),) if attempt.scope else ())
    return tuple(replace(r, properties=r.properties + extra) for r in results)


Collected = tuple[tuple[FileReport, ...], tuple[Result, ...], tuple[Attempt, ...]]


def collect(options: RunOptions, config: Config) -> tuple[*Collected, tuple[LogStep, ...]]:
    """Every result of the run: the PATHs given, plus what each configured command produced (as read), and the
    steps of the runner logs given."""
    given = ingest_for_classify(options.paths, config.rules) if options.paths else None
    files = list(given.files) if given else []
    results = list(given.results) if given else []
    attempts: list[Attempt] = list(step_attempts(given.steps, options.now)) if given else []
    if options.session is not None:
        files.extend(options.session[0])
        results.extend(options.session[1])
        attempts.extend(options.session[2])
    if options.execute and config.commands:  # an --out that cannot hold the attempt logs: said before any runs
        make_dir(options.out_dir / "attempts")
    for run in attempt_runs(config, options.focus, options.scope, options.execute, options.out_dir / "attempts"):
        files.extend(run.files)
        results.extend(_tag(run.results, run.attempt))
        attempts.append(run.attempt)
    return tuple(files), tuple(results), tuple(attempts), given.steps if given else ()  # merged by linked_findings


def build_report(options: RunOptions, config: Config) -> RunReport:
    return _build(options, config)[0]


def _build(options: RunOptions, config: Config) -> tuple[RunReport, Aliases, tuple[Result, ...]]:
    """The report, and each finding's digests under every signature version (so issues filed
    under an older version are still recognised), and every result in scope (history records passes too)."""
    files, collected, attempts, steps = collect(options, config)
    stage = linked_findings(collected, config, options.scope, steps=steps)  # the findings `gardener explain` shows too
    in_scope, analysis, edges = stage.results, stage.analysis, stage.edges
    # Each finding's digest and its aliases (older mask and key versions, the key before run-wide volatile
    # masks): an issue filed under any of them is this finding's issue.
    aliases = finding_aliases(analysis.findings, analysis.clusters, config.masks)
    linked = carrying(stage.findings, aliases)  # so its history is read under them too (over_time/read.py)
    kept = apply_focus(linked, options.focus)
    kept_ids = {f.id for f in kept}
    kept = tuple(replace(f, blocked_by=tuple(b for b in f.blocked_by if b in kept_ids)) for f in kept)
    kept_edges: tuple[Edge, ...] = tuple(e for e in edges if e.blocker in kept_ids and e.blocked in kept_ids)
    report = RunReport(
        generated_at=options.now or datetime.now(UTC),
        command_line=options.command_line,
        focus=options.focus,
        scope=options.scope,
        files=files,
        attempts=attempts,
        findings=kept,
        edges=kept_edges,
        phases=phases(kept),
        resolution_order=resolution_order(kept),
        actions=plan_without_tracker(kept, kept_edges),
        outside_focus=tuple(f for f in linked if f.id not in kept_ids),
        results_total=len(in_scope),
    )
    return report, aliases, in_scope


def write_documents(report: RunReport, options: RunOptions, config: Config, ctx: Ctx) -> RunOutput:
    """Render both documents and the plan, then write them; nothing is written if rendering fails."""
    env = render.environment(config.templates_dir)
    when = report.generated_at.astimezone()
    worklog_path = options.out_dir / (output_stem("WORKLOG", report.focus, report.scope, when) + ".md")
    summary_path = options.out_dir / (output_stem("SUMMARY", report.focus, report.scope, when) + ".md")
    plan_path = options.out_dir / "plan.json"
    worklog = render.render(env, "worklog.md.j2", worklog_context(report, config.areas, config.scopes, ctx))
    summary = render.render(env, "summary.md.j2", summary_context(report, config.areas, ctx, str(worklog_path)))
    plan = run_dict(report, ctx, str(worklog_path), str(summary_path))
    make_dir(options.out_dir)
    write_atomic(worklog_path, worklog)
    write_atomic(summary_path, summary)
    write_atomic(plan_path, itertools.chain(chunks(plan), "\n"))
    return RunOutput(report, worklog_path, summary_path, plan_path, report.files)


def run(options: RunOptions, config: Config, ctx: Ctx, tracker: Tracker | None = None) -> RunOutput:
    """The whole run. With a tracker, known issues are read and the plan is made against them (and
    written with options.apply); the documents then show real issue numbers and chains."""
    report, aliases, results = _build(options, config)
    note = ""
    now = datetime.now(UTC)
    if options.history is not None:
        import os

        from gardener.over_time import record_and_judge, with_suspects

        report, meta, new = record_and_judge(options.history, report, results, config.over_time)
        note = f"{'recorded' if new else 'already recorded'} {meta.repo} {meta.run_key} in {options.history.location}"
        if options.history.meta.started_at:  # a replay is gardened as of the time it ran
            now = meta.started_at
        if tracker is not None:
            from gardener.over_time.compare_cache import cached
            from gardener.sources.cache import cache_root

            # A SHA pair names the same commits on any host: the cache is keyed by repository and pair only.
            where = cache_root(config.sources.cache_dir, os.environ) / "suspects" / meta.repo.replace("/", "_")
            report = with_suspects(report, cached(tracker.compare_commits, where), config.over_time)
    if tracker is None:
        return replace(write_documents(report, options, config, ctx), history_note=note)
    env = render.environment(config.templates_dir)
    report, plan = garden(report, tracker, config.github, ctx, env, apply=options.apply,
                          now=now, aliases=aliases, over_time=config.over_time)
    return replace(write_documents(report, options, config, ctx), plan=plan, history_note=note)
