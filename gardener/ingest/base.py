"""The contract every input parser fulfils."""

from __future__ import annotations

from dataclasses import dataclass

from gardener.model import Counts, LogStep, Result

# How much of a file the kind detector looks at.
SNIFF_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """What one parser read from one file.

    `counts` follows the documented convention (README, "Counting"); `declared` is what the
    file claims about itself when that differs; `partial` marks a salvaged, truncated file;
    `steps` are the CI steps a runner log shows.
    """

    results: tuple[Result, ...]
    counts: Counts
    declared: Counts | None = None
    partial: bool = False
    warning: str | None = None
    steps: tuple[LogStep, ...] = ()


def counts_of(results: tuple[Result, ...]) -> Counts:
    """Counts for inputs where one result is one case (text and JSON inputs)."""
    by = {o: 0 for o in ("failed", "error", "skipped", "flaky")}
    for r in results:
        if r.outcome in by:
            by[r.outcome] += 1
    return Counts(
        cases=len(results),
        failures=by["failed"],
        errors=by["error"],
        skipped=by["skipped"],
        flaky=by["flaky"],
    )


def unreadable_reason(exc: OSError) -> str:
    """Why a file could not be read, as the one line every reader reports."""
    if isinstance(exc, FileNotFoundError):
        return "file vanished before it could be read"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    return f"cannot be read: {exc.strerror or exc}"
