"""Round 9 (fuzz-9): hostile inputs found by a fresh generator run over the current readers, one
reproducer per defect, through the real CLI where a user meets it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.ingest.test_hostile_inputs import GOOD, SESSION, _test_report, assert_bounded, good_counted, run_cli

# A JSON `\ud800` escape decodes to a lone surrogate, which no UTF-8 output can hold: every command
# crashed writing it (exit 3), losing every other file of the run.

@pytest.mark.parametrize("command", ["ingest", "classify", "run"])
def test_a_lone_surrogate_escape_in_a_report_log_is_no_crash(tmp_path: Path, command: str) -> None:
    (tmp_path / "good.xml").write_text(GOOD)
    entry = json.dumps(_test_report(nodeid="t.py::test_\ud800x", longrepr="E boom \udfff"))
    (tmp_path / "r.json").write_text(json.dumps(SESSION) + "\n" + entry + "\n", encoding="ascii")
    extra = ("--no-history",) if command == "run" else ()
    code, report, err, seconds, rss = run_cli(*extra, "r.json", "good.xml", cwd=tmp_path, command=command)
    assert "unexpected error" not in err and "Traceback" not in err
    assert_bounded(code, seconds, rss)
    if command == "ingest":
        good_counted(report)
        assert any(r["id"].startswith("t.py::test_") and r["outcome"] == "failed" for r in report["results"])
