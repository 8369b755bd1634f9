"""The history line in the documents: rendered through the templates from the pure summary when there is
one, absent (golden files unchanged) when there is none."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from gardener import render
from gardener.config import load_config
from gardener.garden.drafts import Drafts
from gardener.model import FindingHistory, Seen
from gardener.pipeline import RunOptions, build_report, write_documents
from gardener.tracker.markers import Marker
from gardener.view.common import Ctx

EXAMPLE = Path(__file__).resolve().parents[2] / "gardener" / "examples" / "seed-websocket"
SEEN = Seen(datetime(2026, 11, 28, 9, 30, tzinfo=UTC), "abc1234def5678")
HISTORY = FindingHistory(runs=20, failures=7, first_seen=SEEN, last_seen=SEEN,
                         daily=((0, 0),) * 10 + ((1, 2), (0, 1), (2, 2), (1, 1)))
LINE = "failed in 7 of the last 20 runs (35%), first seen 2026-11-28 at abc1234"


def example(tmp_path: Path):  # type: ignore[no-untyped-def]
    config = load_config(EXAMPLE / "gardener.toml")
    options = RunOptions(paths=(str(EXAMPLE),), out_dir=tmp_path / "out", now=datetime(2026, 12, 6, tzinfo=UTC))
    return config, options, build_report(options, config)


def test_the_worklog_and_the_issue_body_gain_one_history_line(tmp_path: Path) -> None:
    config, options, report = example(tmp_path)
    first = report.findings[0]
    with_history = replace(report, history=((first.id, HISTORY),))
    worklog = write_documents(with_history, options, config, Ctx()).worklog_path.read_text(encoding="utf-8")
    assert worklog.count("**History:**") == 1
    assert f"**History:** {LINE}; last 14 days `··········▅▁██`" in worklog
    drafts = Drafts(with_history, Ctx(), render.environment(None))
    body = drafts.visible(first, Marker(sig=first.signature.digest), {})
    assert f"- History: {LINE}; last 14 days `··········▅▁██`" in body
    other = drafts.visible(report.findings[1], Marker(sig=report.findings[1].signature.digest), {})
    assert "History:" not in other


def test_no_history_no_line(tmp_path: Path) -> None:
    config, options, report = example(tmp_path)
    worklog = write_documents(report, options, config, Ctx()).worklog_path.read_text(encoding="utf-8")
    assert "History" not in worklog
    only_this_run = replace(report, history=((report.findings[0].id, FindingHistory(1, 1, SEEN, SEEN)),))
    again = write_documents(only_this_run, options, config, Ctx()).worklog_path.read_text(encoding="utf-8")
    assert again == worklog
