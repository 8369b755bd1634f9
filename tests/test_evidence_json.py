"""Evidence in the JSON outputs: `[{path, line, job, step}]`, the places the worklog lists (issue 12 item 6)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from gardener.config import Config
from gardener.pipeline import RunOptions, run
from gardener.view.common import Ctx

FAMILIES = Path(__file__).parent / "data" / "logs" / "families"


def test_classify_json_gives_each_finding_its_evidence_places(tmp_path: Path) -> None:
    log = tmp_path / "travis-rspec.log"
    shutil.copy(FAMILIES / "travis-rspec.log", log)
    proc = subprocess.run([sys.executable, "-m", "gardener", "classify", "--json", str(log)], capture_output=True,
                          text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    (finding,) = json.loads(proc.stdout)["findings"]
    assert finding["evidence"] == [{"path": str(log), "line": 18, "job": "travis-rspec", "step": "bundle exec rspec"}]


def test_run_json_and_the_worklog_show_the_same_places(tmp_path: Path) -> None:
    log = tmp_path / "gha-mypy.log"
    shutil.copy(FAMILIES / "gha-mypy.log", log)
    out = run(RunOptions(paths=(str(log),), out_dir=tmp_path / "out"), Config(), Ctx())
    plan = json.loads(out.plan_path.read_text(encoding="utf-8"))
    (finding,) = [f for f in plan["findings"] if f["category"] == "compile-error"]
    (place,) = finding["evidence"]
    assert (place["line"], place["job"], place["step"]) == (5, "gha-mypy", "Run mypy src")
    assert place["path"].endswith("gha-mypy.log")
    worklog = out.worklog_path.read_text(encoding="utf-8")
    assert f"`{place['path']}:{place['line']}`" in worklog  # the worklog's **Evidence:** line lists the same place


def test_a_backtick_in_a_job_name_cannot_end_the_evidence_code_span() -> None:
    from gardener.model import Finding, Result, Signature, Source
    from gardener.view.common import sources_of

    r = Result(id="log:build", outcome="error", source=Source("build.log", "log"), source_line=7, message="boom",
               properties=(("job", "build `--release` (linux)"), ("job_step", "Compile `core`")))
    f = Finding(id="f-1", signature=Signature("boom", "sig-v2", "abc"), results=(r,), category="compile-error",
                area="build", layer="build", priority="P1", priority_reason="", rule_id="x", title="t",
                root_cause="", remediation="", impact="")
    (shown,) = sources_of(f, Ctx())
    assert "job build `--release` (linux)" in shown and "step Compile `core`" in shown  # the names as they are
    # The worklog and issue bodies show it through the `code` filter: one code span holding all of it.
    from markdown_it import MarkdownIt

    from gardener import render

    rendered = render.environment().from_string("**Evidence:** {{ s|code }}").render(s=shown)
    spans = [c.content for t in MarkdownIt("commonmark").parse(rendered) if t.type == "inline"
             for c in t.children or () if c.type == "code_inline"]
    assert spans == [shown]
