"""`gardener classify`, `explain` and `rules` as a user runs them (a real process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import gardener

SEED = Path(gardener.__file__).parent / "examples" / "seed-websocket"
# Run from a temp dir (no stray gardener.toml) with the package importable as in a checkout.
ENV = {**os.environ, "PYTHONPATH": str(Path(gardener.__file__).parent.parent)}


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gardener", *args], capture_output=True, text=True, cwd=cwd,
                          env=ENV, timeout=60, check=False)


def test_classify_json_has_the_documented_shape(tmp_path: Path) -> None:
    files = [str(SEED / n) for n in ("unified-test-runner.log", "mission-critical.txt", "direct-import.txt")]
    proc = run("classify", "--json", *files, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    findings = json.loads(proc.stdout)["findings"]
    assert [f["label"] for f in findings] == [
        "failing-test-infrastructure-P0-docker-build-failure",
        "failing-test-registry-P1-registry-access-failure",
        "failing-test-imports-P2-syntax-error",
    ]
    assert set(findings[0]) == {"id", "signature", "category", "area", "layer", "priority", "priority_reason",
                                "label", "rule_id", "title", "root_cause", "tests", "count", "sources", "evidence"}
    assert findings[1]["count"] == len(findings[1]["tests"]) >= 4


def test_a_pasted_excerpt_classifies_and_explains(tmp_path: Path) -> None:
    excerpt = tmp_path / "paste.txt"
    excerpt.write_text("Step 4/9 : RUN pip install -r requirements.txt\n"
                       "ERROR: No matching distribution found for tensorflow==1.2.3\n"
                       "The command '/bin/sh -c pip install -r requirements.txt' returned a non-zero code: 1\n")
    proc = run("classify", str(excerpt), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "failing-test-dependencies-P0-dependency-install-failure" in proc.stdout
    why = run("explain", str(excerpt), cwd=tmp_path)
    assert "winner deps.pip-resolution" in why.stdout and "package = tensorflow==1.2.3" in why.stdout


def test_rules_list_and_check(tmp_path: Path) -> None:
    listed = run("rules", "list", cwd=tmp_path)
    assert listed.returncode == 0 and "docker.build-context-missing" in listed.stdout
    good = tmp_path / "good.toml"
    good.write_text('[[rules]]\nid = "disk.no-space"\ncategory = "disk-full"\nmatch.text = "ENOSPC"\n')
    ok = run("rules", "check", str(good), cwd=tmp_path)
    assert ok.returncode == 0 and "1 rule, 1 replacing shipped rules" in ok.stdout
    bad = tmp_path / "bad.toml"
    bad.write_text('[[rules]]\nid = "x"\ncategory = "disk-full"\nmatch.text = "(oops"\n')
    failed = run("rules", "check", str(bad), cwd=tmp_path)
    assert failed.returncode == 1
    assert f"{bad}: line 1: rule x.match.text: bad regex" in failed.stderr and "Traceback" not in failed.stderr


def test_a_bad_config_is_one_line_naming_the_key(tmp_path: Path) -> None:
    (tmp_path / "gardener.toml").write_text("[gardener.classify]\nmasks = 3\n")
    (tmp_path / "x.log").write_text("ENOSPC\n")
    proc = run("classify", "x.log", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.strip() == f"gardener: {tmp_path / 'gardener.toml'}: classify.masks: must be an array of " \
                                  "{ pattern, replace } tables"


def test_a_green_job_log_gives_no_finding_but_the_same_text_pasted_as_an_excerpt_does(tmp_path) -> None:
    from gardener.model import LogStep
    from gardener.whole_excerpt import green_job_log

    step = LogStep(path="x.log", name="dotnet test", command="dotnet test", shell=None, line=1, end_line=5,
                   exit_code=0, status="SUCCESS", key_error="")
    log = "##[group]Run dotnet test\nPassed!  - Failed:     0, Passed:   148\nCleaning up orphan processes\n"
    assert green_job_log(log, [step])
    assert not green_job_log(log.replace("Cleaning up orphan processes\n", ""), [step])  # a cut excerpt
    assert not green_job_log(log + "##[error]Process completed with exit code 1.\n", [step])
    assert not green_job_log(log, [])
