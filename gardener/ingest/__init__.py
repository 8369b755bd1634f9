"""Ingest: turn report files and logs into Results. The only stage that reads input files."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from gardener.errors import InputError
from gardener.ingest.registry import BY_KIND, parse_file
from gardener.model import FileReport, Ingested, LogStep, Result

KINDS: tuple[str, ...] = ("auto", *BY_KIND)


def expand(paths: Iterable[str]) -> Iterator[tuple[Path, InputError | None]]:
    """Files named by PATHs: files as given, directories recursed (sorted), globs expanded.

    A PATH that names nothing, or a directory with no files, yields an error in its place so
    the caller can report it beside everything that was read.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and not _skipped(p, path))
            if not files:
                yield path, InputError(raw, "directory holds no reports")
            for f in files:
                yield f, None
        elif path.exists():
            yield path, None
        elif glob.has_magic(raw):
            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                yield path, InputError(raw, "pattern matches no files")
            for m in matches:
                if os.path.isdir(m):
                    yield from expand([m])
                else:
                    yield Path(m), None
        else:
            yield path, InputError(raw, "no such file or directory")


# Documentation beside the reports (a README, notes) is prose about them, not test output; named
# explicitly on the command line such a file is still read.
PROSE_SUFFIXES = frozenset({".md", ".markdown", ".rst", ".adoc"})


def _skipped(path: Path, root: Path) -> bool:
    """Hidden files and folders, and prose documents, when walking a directory."""
    hidden = any(part.startswith(".") for part in path.relative_to(root).parts)
    return hidden or path.suffix.lower() in PROSE_SUFFIXES


def ingest(paths: Iterable[str], kind: str = "auto") -> Ingested:
    """Read every input; a bad file is reported in `files` and never stops the others."""
    files: list[FileReport] = []
    results: list[Result] = []
    steps: list[LogStep] = []
    for path, problem in expand(paths):
        if problem is not None:
            files.append(FileReport(path=str(path), kind=None, error=problem.reason))
            continue
        try:
            found_kind, parsed = parse_file(path, kind)
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
