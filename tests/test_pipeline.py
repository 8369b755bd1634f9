"""`gardener run` end to end on real files: documents, JSON, attempts, redaction."""

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from gardener.config import Config, load_config
from gardener.pipeline import RunOptions, output_stem, run
from gardener.view.common import Ctx

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "gardener" / "examples" / "seed-websocket"
GOLDEN = Path(__file__).resolve().parent / "golden"
SEED_TIME = datetime(2025, 9, 11, 13, 7, 37, tzinfo=UTC)


def run_example(tmp_path: Path, focus=("websocket",), scope=None):
    config = load_config(EXAMPLE / "gardener.toml")
    options = RunOptions(focus=focus, scope=scope, out_dir=tmp_path / "out", now=SEED_TIME,
                         command_line="gardener run --focus websocket")
    return run(options, config, Ctx())


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("GARDENER_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}; run with GARDENER_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{name} changed; rerun with GARDENER_UPDATE_GOLDEN=1 if intended"


@pytest.fixture()
def at_repo_root(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.chdir(REPO)


def test_example_worklog_and_summary_match_golden_files(tmp_path, at_repo_root):
    out = run_example(tmp_path)
    assert out.worklog_path.name == "FAILING-TEST-GARDENER-WORKLOG-WEBSOCKET-2025-09-11-130737.md"
    check_golden("seed-websocket.worklog.md", out.worklog_path.read_text(encoding="utf-8"))
    check_golden("seed-websocket.summary.md", out.summary_path.read_text(encoding="utf-8"))


def test_example_reproduces_the_seed_findings_chain_and_attempts(tmp_path, at_repo_root):
    out = run_example(tmp_path)
    report = out.report
    labels = [f.label for f in report.findings]
    assert labels[0] == "failing-test-infrastructure-P0-docker-build-failure"
    assert [f.priority for f in report.findings] == ["P0", "P1", "P2"]
    build, pulls, imports = report.findings
    assert pulls.category == "registry-access-failure" and pulls.blocked_by == (build.id,)
    assert imports.blocked_by == ()
    assert report.resolution_order == (build.id, pulls.id, imports.id)
    assert [a.status for a in report.attempts] == ["FAILED", "FAILED", "SUCCESS WITH WARNINGS"]
    plan = json.loads(out.plan_path.read_text())
    assert plan["resolution_order"] == list(report.resolution_order)
    assert {a["kind"] for a in plan["actions"]} == {"create", "link"}
    assert all(a["dry_run"] for a in plan["actions"])


def test_worklog_has_every_section_of_the_seed(tmp_path, at_repo_root):
    text = run_example(tmp_path).worklog_path.read_text()
    for heading in ("## Executive Summary", "## Issues Discovered", "## Test Execution Attempts Summary",
                    "### Successful Validations:", "## Critical Dependencies Identified", "## Recommended Actions",
                    "### Immediate (P0):", "## Test Categories Status", "## Next Steps for Test Gardener Process",
                    "**Worklog Status:**"):
        assert heading in text


def test_output_names_carry_focus_and_scope():
    when = datetime(2025, 9, 11, 13, 7, 37)
    assert (output_stem("WORKLOG", ["WEBSOCKET_EVENT_VERIFICATION_CHECKLIST"], "integration", when)
            == "FAILING-TEST-GARDENER-WORKLOG-WEBSOCKET_EVENT_VERIFICATION_CHECKLIST-integration-2025-09-11-130737")
    assert output_stem("SUMMARY", [], None, when) == "FAILING-TEST-GARDENER-SUMMARY-ALL-2025-09-11-130737"


def test_missing_recorded_output_is_a_not_run_attempt(tmp_path):
    (tmp_path / "gardener.toml").write_text(
        '[[gardener.commands]]\nname = "unit"\nrun = "pytest tests/unit"\noutput = "missing.log"\n')
    out = run(RunOptions(out_dir=tmp_path / "out", now=SEED_TIME), load_config(tmp_path / "gardener.toml"), Ctx())
    [attempt] = out.report.attempts
    assert attempt.status == "NOT RUN" and "--execute" in attempt.key_error
    assert "NOT RUN" in out.worklog_path.read_text()


def test_executed_command_results_are_ingested(tmp_path):
    (tmp_path / "test_mod.py").write_text("def test_ok():\n    pass\n\ndef test_bad():\n    assert 1 == 2\n")
    (tmp_path / "gardener.toml").write_text(
        '[[gardener.commands]]\nname = "unit"\nscope = "unit"\n'
        'run = "python -m pytest -q -p no:cacheprovider --junitxml=report.xml test_mod.py"\n'
        'reports = ["report.xml"]\ntimeout = 60\n')
    out = run(RunOptions(execute=True, out_dir=tmp_path / "out", now=SEED_TIME),
              load_config(tmp_path / "gardener.toml"), Ctx())
    [attempt] = out.report.attempts
    assert attempt.status == "FAILED" and attempt.reports
    [finding] = out.report.findings
    assert finding.category == "assertion-failure"
    assert finding.tests == ("test_mod.py::test_bad",)


SECRET = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"


def test_no_secret_or_live_mention_reaches_any_output(tmp_path, capsys):
    log = tmp_path / "ci.log"
    log.write_text(
        "2024-05-01T10:00:00.0000000Z Run docker compose build\n"
        f"2024-05-01T10:00:01.0000000Z GITHUB_TOKEN={SECRET}\n"
        "2024-05-01T10:00:02.0000000Z #8 ERROR: failed to solve: failed to compute cache key: "
        '"/requirements.txt" not found: not found\n'
        f"2024-05-01T10:00:02.1000000Z Authorization: Bearer {SECRET}\n"
        "2024-05-01T10:00:03.0000000Z cc @octocat see #12\n"
        "2024-05-01T10:00:04.0000000Z ##[error]Process completed with exit code 1.\n")
    out = run(RunOptions(paths=(str(log),), out_dir=tmp_path / "out", now=SEED_TIME), Config(), Ctx())
    assert out.report.findings
    for path in (out.worklog_path, out.summary_path, out.plan_path):
        text = path.read_text()
        assert SECRET not in text
        assert "@octocat" not in text
        assert "see #12" not in text
