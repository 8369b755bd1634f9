"""Build the results the ingesters produce for a log excerpt or a test failure (real values)."""

from __future__ import annotations

from gardener.model import Result, Source


def log_incident(text: str, path: str = "ci.log", line: int = 1, message: str | None = None) -> Result:
    """A runner-log incident: the last non-blank line as message, the excerpt as details."""
    lines = [x for x in text.splitlines() if x.strip()]
    return Result(
        id=f"log:{path}:{line}",  # the shape runner-log incidents have (never a test id)
        outcome="error",
        source=Source(path, "log"), source_line=line,
        message=message if message is not None else (lines[-1] if lines else ""),
        details=text,
    )


def failing_test(
    test_id: str,
    message: str,
    *,
    details: str = "",
    error_type: str = "",
    variant: str = "",
    outcome: str = "failed",
    path: str = "junit.xml",
    kind: str = "junit",
) -> Result:
    return Result(
        id=test_id,
        outcome=outcome,  # type: ignore[arg-type]
        source=Source(path, kind), source_line=None,
        variant=variant,
        message=message,
        error_type=error_type,
        details=details,
        file=test_id.split("::", 1)[0],
    )
