"""The configured commands of a run, as attempts with the results they produced.

With `--execute` each command runs (gardener.ingest.commands) and its reports, or else its
console output, are ingested. Without it, a command whose `output` file exists is a recorded
attempt: that file is what the run printed, judged the same way; one without is NOT RUN.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from gardener import regex as re
from gardener.config import Config
from gardener.ingest.commands import run_attempt
from gardener.ingest.commands.outcome import first_warning, key_error
from gardener.model import Attempt, AttemptStatus, CommandSpec, FileReport, Result
from gardener.whole_excerpt import ingest_for_classify

RECORDED_READ_LIMIT = 1024 * 1024
PLAIN_WORD = re.lazy(r"[\w.-]+")


@dataclass(frozen=True, slots=True)
class AttemptRun:
    attempt: Attempt
    files: tuple[FileReport, ...]
    results: tuple[Result, ...]


def attempt_runs(config: Config, focus: Sequence[str], scope: str | None, execute: bool,
                 out_dir: Path) -> Iterator[AttemptRun]:
    for spec in config.commands:
        if scope is not None and spec.scope not in (scope, None):
            continue
        if execute:
            yield executed(spec, focus, out_dir, config)
        else:
            yield recorded(spec, config)


def _resolve(base: Path, path: str) -> Path:
    p = Path(path)
    return p if p.is_absolute() else base / p


def executed(spec: CommandSpec, focus: Sequence[str], out_dir: Path, config: Config) -> AttemptRun:
    cwd = str(_resolve(config.base_dir, spec.cwd or "."))
    words = tuple(t for t in focus if PLAIN_WORD.fullmatch(t))  # `pytest -k` takes words, not regexes
    attempt = run_attempt(replace(spec, cwd=cwd), focus=words, out_dir=out_dir)
    reports = ingest_for_classify(attempt.reports, config.rules) if attempt.reports else None
    # The reports say what each test did; the console output is only read when they hold no
    # failure (the command died before its tests ran: a build, an install, a collection crash).
    if reports and any(r.is_failing for r in reports.results):
        return AttemptRun(attempt, reports.files, reports.results)
    console = (ingest_for_classify([attempt.output_path], config.rules)
               if attempt.output_path and attempt.status != "SUCCESS" else None)
    files = (reports.files if reports else ()) + (console.files if console else ())
    results = (reports.results if reports else ()) + (console.results if console else ())
    return AttemptRun(attempt, files, results)


def recorded(spec: CommandSpec, config: Config) -> AttemptRun:
    """An attempt rebuilt from a saved console output (and reports), without running anything."""
    base = config.base_dir
    paths = [str(_resolve(base, spec.output))] if spec.output else []
    paths += [str(_resolve(base, r)) for r in spec.reports]
    existing = [p for p in paths if Path(p).exists()]
    when = datetime.fromtimestamp(Path(existing[0]).stat().st_mtime, UTC) if existing else datetime.now(UTC)
    if not existing:
        why = "no recorded output; run with --execute to run it" if spec.output else "not run (use --execute)"
        return AttemptRun(_attempt(spec, "NOT RUN", why, None, when), (), ())
    ing = ingest_for_classify(existing, config.rules)
    text = _read_text(Path(existing[0])) if spec.output else ""
    failing = [r for r in ing.results if r.is_failing]
    warning = first_warning((text,))
    status: AttemptStatus = "FAILED" if failing else ("SUCCESS WITH WARNINGS" if warning else "SUCCESS")
    why = (key_error(text) or failing[0].message) if failing else (warning or "")
    return AttemptRun(_attempt(spec, status, why, existing[0], when), ing.files, ing.results)


def _attempt(spec: CommandSpec, status: AttemptStatus, why: str, output: str | None, when: datetime) -> Attempt:
    return Attempt(
        name=spec.name, command=spec.run, scope=spec.scope, status=status,
        exit_code=None, duration_s=0.0, key_error=why, output_path=output, reports=(), started_at=when,
    )


def _read_text(path: Path) -> str:
    with path.open("rb") as fh:
        return fh.read(RECORDED_READ_LIMIT).decode("utf-8", errors="replace")
