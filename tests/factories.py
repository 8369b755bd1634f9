"""Small builders for model values in tests (real values, just less typing)."""

from __future__ import annotations

from pathlib import Path

from gardener.classify import find
from gardener.config import Config
from gardener.model import Finding, Layer, Priority, Result, Signature, Source
from gardener.whole_excerpt import ingest_for_classify


def result(test_id: str = "tests/test_a.py::test_x", *, outcome: str = "failed", message: str = "boom",
           kind: str = "junit", file: str | None = None, details: str = "",
           properties: tuple[tuple[str, str], ...] = (), source_path: str | None = None) -> Result:
    return Result(id=test_id, outcome=outcome, source=Source(source_path or f"in.{kind}", kind), source_line=1,  # type: ignore[arg-type]
                  message=message, file=file, details=details, properties=properties)


def finding(fid: str, category: str, layer: Layer = "test", *, priority: Priority = "P2",
            blocks: tuple[str, ...] = (), captures: tuple[tuple[str, str], ...] = (),
            results: tuple[Result, ...] | None = None, title: str | None = None) -> Finding:
    return Finding(
        id=fid,
        signature=Signature(text=f"{category} signature", version="sig-v1", digest=fid.ljust(12, "0")),
        results=results if results is not None else (result(f"tests/test_{fid}.py::test_one"),),
        category=category,
        area="tests",
        layer=layer,
        priority=priority,
        priority_reason="default for the category",
        rule_id=f"rule-{category}",
        title=title or f"{category} title",
        root_cause=f"{category} root cause",
        captures=captures,
        blocks=blocks,
    )


def first_judgement(tmp_path: Path, text: str) -> tuple[str, str, str]:
    """The category, priority and priority reason of the first finding of `text` saved as a job log."""
    path = tmp_path / "job.log"
    path.write_text(text, encoding="utf-8")
    config = Config()
    f = find(ingest_for_classify([str(path)], config.rules).results, config)[0]
    return f.category, f.priority, f.priority_reason
