"""What a local `gardener run` on the bundled example imports beyond test_cli_imports' guard (issue 11 item 1): the
planning against a tracker's issues, the HTML unescaper, importlib.resources' readers and, recording history outside
a git repository, subprocess are each loaded only where they are used."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gardener.history.meta import in_repository
from tests.test_cli_imports import at_start, loaded_by

EXAMPLE = Path(__file__).resolve().parents[1] / "gardener" / "examples" / "seed-websocket"
# Only a run with a tracker plans against issues (plan/make.py and what it reads); only a pasted-HTML log needs html;
# only a zip import of the package needs importlib.resources to read the shipped rule pack.
NOT_WITHOUT_A_TRACKER = (
    "gardener.plan.make", "gardener.plan.close", "gardener.plan.issue", "gardener.plan.evidence",
    "gardener.plan.quiet", "gardener.plan.related", "gardener.tracker.markers", "gardener.tracker.labels",
    "html", "importlib.readers", "importlib.resources.readers", "zipfile",
)


def _run(tmp_path: Path, *extra: str) -> tuple[set[str], str]:
    modules, out = loaded_by("run", "--config", str(EXAMPLE / "gardener.toml"), "--focus", "websocket",
                             "--out", str(tmp_path / "out"), *extra, cwd=tmp_path)
    return modules - at_start(), out


def test_a_run_without_a_tracker_loads_no_issue_planning_html_or_resource_readers(tmp_path: Path) -> None:
    modules, out = _run(tmp_path)
    assert "3 finding(s)" in out
    assert "gardener.plan" in modules and "gardener.rules.loader" in modules  # the dry-run plan, the rule pack
    assert not [m for m in NOT_WITHOUT_A_TRACKER if m in modules]


def test_recording_history_outside_a_repository_loads_no_subprocess(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                                    ) -> None:
    example = tmp_path / "example"  # a copy, as the benchmark runs it: the checkout's own is inside a repository
    shutil.copytree(EXAMPLE, example, ignore=shutil.ignore_patterns(".gardener"))
    if in_repository(example):
        pytest.skip("the temporary folder is inside a git repository: git is asked for the commit")
    monkeypatch.delenv("GARDENER_NO_HISTORY", raising=False)
    modules, out = loaded_by("run", "--config", str(example / "gardener.toml"), "--focus", "websocket",
                             "--out", str(tmp_path / "out"), "--history", str(tmp_path / "h.sqlite"), cwd=tmp_path)
    assert "3 finding(s)" in out and "gardener.history.meta" in modules
    assert "subprocess" not in modules - at_start()
