"""Small builders for model values in tests (real values, just less typing)."""

from __future__ import annotations

import json
from pathlib import Path

from gardener.classify import find
from gardener.config import Config
from gardener.model import Finding, Layer, Priority, Result, Signature, Source
from gardener.pipeline import RunOptions, build_report
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


CLASSIFY = Path(__file__).parent / "data" / "classify"


def labelled_excerpt(corpus: str, item: str) -> str:
    """The excerpt of labelled item `item` in tests/data/classify/`corpus`."""
    for line in (CLASSIFY / corpus).read_text(encoding="utf-8").splitlines():
        if line.strip() and (row := json.loads(line))["id"] == item:
            return str(row["excerpt"])
    raise LookupError(item)


def keys_given(text: str, tmp_path: Path) -> set[str]:
    """Every key digest and alias the findings of `text`, saved alone as `excerpt.txt`, are given (the file's stem is
    in a key that names the test id, so key tests record digests from the same name)."""
    path = tmp_path / "excerpt.txt"
    path.write_text(text, encoding="utf-8")
    report = build_report(RunOptions(paths=(str(path),)), Config())
    return {d for f in report.findings for d in (f.signature.digest, *f.signature.aliases)}
