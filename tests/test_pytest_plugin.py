"""The pytest hook: real pytest sessions in a temporary project, run as subprocesses.

Most sessions load only this plugin (`-p gardener.pytest_plugin` with entry-point autoloading off:
other installed plugins cost seconds per session); one goes through the real `pytest11` entry point
when the package is installed (the editable install registers it).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from gardener.pytest_plugin.session import SessionRecorder

ROOT = Path(__file__).resolve().parents[1]

TESTS = """
import pytest

def test_passes():
    assert 1 + 1 == 2

def test_total_is_wrong():
    assert sum([1, 2]) == 4, "cart total"
"""

INSTALLED = any(ep.value == "gardener.pytest_plugin" for ep in entry_points(group="pytest11"))


def project(tmp_path: Path, tests: str = TESTS) -> Path:
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")  # the rootdir: our config stays out
    (tmp_path / "test_shop.py").write_text(tests, encoding="utf-8")
    return tmp_path


def pytest_run(cwd: Path, *args: str, entry_point: bool = False, **extra_env: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GARDENER_", "PYTEST_"))}
    env |= extra_env
    plugin: list[str] = []
    if not (entry_point and INSTALLED):
        env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
        plugin = ["-p", "gardener.pytest_plugin"]
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *plugin, *args],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_the_plugin_is_declared_as_a_pytest11_entry_point():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert data["project"]["entry-points"]["pytest11"] == {"gardener": "gardener.pytest_plugin"}


def test_a_failing_session_writes_a_worklog_and_keeps_pytests_exit_code(tmp_path):
    cwd = project(tmp_path)
    done = pytest_run(cwd, "--gardener", "--gardener-out", "garden", "--gardener-focus", "total", entry_point=True)
    assert done.returncode == 1, done.stdout + done.stderr
    (worklog,) = (cwd / "garden").glob("FAILING-TEST-GARDENER-WORKLOG-TOTAL-*.md")
    text = worklog.read_text(encoding="utf-8")
    assert "test_shop.py::test_total_is_wrong" in text and "cart total" in text
    assert "pytest session" in text  # the session is recorded as the test attempt
    assert (cwd / "garden" / "plan.json").is_file()
    assert any(line.strip("= ") == "gardener" for line in done.stdout.splitlines())  # its own section
    assert f"gardener: worklog garden/{worklog.name}" in done.stdout
    assert "1 failed, 1 passed" in done.stdout


def test_a_broken_config_warns_and_never_breaks_the_run(tmp_path):
    cwd = project(tmp_path)
    (cwd / "gardener.toml").write_text("[gardener]\nno_such_key = 1\n", encoding="utf-8")
    done = pytest_run(cwd, "--gardener", "--gardener-out", "garden", "--gardener-config", "gardener.toml")
    assert done.returncode == 1, done.stdout + done.stderr  # pytest's own: one test failed
    assert "gardener: could not garden this session (ConfigError)" in done.stdout
    assert "no_such_key" in done.stdout and "Traceback" not in done.stdout + done.stderr
    assert not (cwd / "garden").exists()

    (cwd / "test_shop.py").write_text("def test_fine():\n    pass\n", encoding="utf-8")
    done = pytest_run(cwd, "--gardener", "--gardener-config", "gardener.toml")
    assert done.returncode == 0, done.stdout  # nothing failed, nothing gardened, nothing to warn about


def test_inert_unless_enabled_and_the_environment_switch_enables_it(tmp_path):
    cwd = project(tmp_path)
    done = pytest_run(cwd, "--gardener-out", "garden")
    assert done.returncode == 1 and not (cwd / "garden").exists() and "gardener:" not in done.stdout
    done = pytest_run(cwd, "--gardener-out", "garden", GARDENER_PYTEST="1")
    assert done.returncode == 1 and list((cwd / "garden").glob("*WORKLOG*.md"))


def test_collection_errors_are_gardened_and_the_exit_code_stays_pytests(tmp_path):
    cwd = project(tmp_path, "import no_such_module_for_gardener\n\ndef test_x():\n    pass\n")
    done = pytest_run(cwd, "--gardener", "--gardener-out", "garden")
    assert done.returncode == 2, done.stdout  # pytest's exit code for an interrupted (collection) run
    (worklog,) = (cwd / "garden").glob("*WORKLOG*.md")
    assert "no_such_module_for_gardener" in worklog.read_text(encoding="utf-8")


@pytest.mark.parametrize("outcome", ["failed", "passed"])
def test_the_recorder_reads_serialised_reports_like_a_report_log(outcome):
    recorder = SessionRecorder()
    base = {"$report_type": "TestReport", "nodeid": "tests/test_a.py::test_b[x]", "location": ["tests/test_a.py", 3,
            "test_b[x]"], "keywords": {}, "sections": [["Captured stdout call", "noise" * 1000]], "duration": 0.1}
    recorder.add({**base, "when": "setup", "outcome": "passed", "longrepr": None})
    longrepr = "E   AssertionError: boom" if outcome == "failed" else None
    recorder.add({**base, "when": "call", "outcome": outcome, "longrepr": longrepr})
    recorder.add({"$report_type": "CollectReport", "nodeid": "", "outcome": "passed", "longrepr": None, "result": []})
    (result,) = recorder.results()
    assert (result.id, result.variant, result.outcome) == ("tests/test_a.py::test_b", "x", outcome)
    assert result.source.path == "pytest session"
    if outcome == "failed":
        assert "boom" in result.message
