"""Ingest: turn report files and logs into Results. The only stage that reads input files."""

from __future__ import annotations

from collections.abc import Iterable

from gardener.errors import InputError
from gardener.ingest.registry import MODULES, parse_file
from gardener.ingest.walk import Skipped, expand
from gardener.model import FileReport, Ingested, LogStep, Result

KINDS: tuple[str, ...] = ("auto", *MODULES)


def ingest(paths: Iterable[str], kind: str = "auto", *, details: bool = True) -> Ingested:
    """Read every input; a bad file is reported in `files` and never stops the others. With
    details=False (`gardener ingest`, which shows no failure text) results may come without details."""
    files: list[FileReport] = []
    results: list[Result] = []
    steps: list[LogStep] = []
    for path, problem in expand(paths):
        if isinstance(problem, Skipped):
            files.append(FileReport(path=str(path), kind=None, warning=problem.reason))
            continue
        if problem is not None:
            files.append(FileReport(path=str(path), kind=None, error=problem.reason))
            continue
        try:
            found_kind, parsed = parse_file(path, kind, details=details)
        except InputError as exc:
            files.append(FileReport(path=str(path), kind=None if kind == "auto" else kind, error=exc.reason))
            continue
        files.append(
            FileReport(
                path=str(path),
                kind=found_kind,
                counts=parsed.counts,
                declared=parsed.declared,
                partial=parsed.partial,
                error=None,
                warning=parsed.warning,
            )
        )
        results.extend(parsed.results)
        steps.extend(parsed.steps)
    return Ingested(files=tuple(files), results=tuple(results), steps=tuple(steps))
