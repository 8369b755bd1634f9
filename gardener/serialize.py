"""Plain-dict views of the model for `--json` output: stable keys, no Python-only types."""

from __future__ import annotations

from typing import Any

from gardener.model import Counts, FileReport, Ingested, Result


def counts_dict(c: Counts) -> dict[str, int]:
    return {"cases": c.cases, "failures": c.failures, "errors": c.errors, "skipped": c.skipped, "flaky": c.flaky}


def file_dict(f: FileReport) -> dict[str, Any]:
    return {
        "path": f.path,
        "kind": f.kind,
        **counts_dict(f.counts),
        "declared": counts_dict(f.declared) if f.declared is not None else None,
        "partial": f.partial,
        "error": f.error,
    }


def result_dict(r: Result) -> dict[str, Any]:
    return {
        "id": r.id,
        "variant": r.variant,
        "outcome": r.outcome,
        "attempts": r.attempts,
        "message": r.message,
        "error_type": r.error_type,
        "file": r.file,
        "line": r.line,
        "duration_s": r.duration_s,
        "source": {"path": r.source.path, "line": r.source.line},
    }


def ingested_dict(ing: Ingested) -> dict[str, Any]:
    return {"files": [file_dict(f) for f in ing.files], "results": [result_dict(r) for r in ing.results]}
