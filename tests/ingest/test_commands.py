"""Configured test commands run for real: status, key error, reports, timeouts, focus, output."""

from __future__ import annotations

import io
import os
import shlex
import sys
import textwrap
import time
import tracemalloc
from datetime import UTC
from pathlib import Path

import pytest

from gardener.ingest.commands import run_attempt, run_attempts
from gardener.ingest.commands.command_line import build_command_line
from gardener.ingest.commands.outcome import first_warning, judge, key_error
from gardener.ingest.commands.process_run import OutputTail, run_in_own_group
from gardener.model import CommandSpec

PY = sys.executable


def python(code: str, *options: str) -> str:
    return shlex.join([PY, *options, "-c", code])


def gone(pid: int) -> bool:
    """True when the process no longer runs (a zombie awaiting its reaper counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rpartition(")")[2].split()[0] in ("Z", "X")


def wait_for_file(path: Path) -> str:
    for _ in range(100):
        if path.exists() and path.read_text().strip():
            return path.read_text().strip()
        time.sleep(0.01)
    raise AssertionError(f"{path} never written")


SAMPLE_TESTS = textwrap.dedent(
    """
    def test_websocket_connect():
        assert True

    def test_websocket_events():
        assert 1 == 2

    def test_auth_login():
        assert True
    """
)


# --- status and key error from real runs -------------------------------------------------


def test_success_records_command_exit_code_and_output(tmp_path: Path) -> None:
    spec = CommandSpec(name="hello", run=python("print('ok')"), scope="unit")
    attempt = run_attempt(spec, out_dir=tmp_path / "out")
    assert attempt.status == "SUCCESS"
    assert (attempt.exit_code, attempt.key_error, attempt.scope) == (0, "", "unit")
    assert attempt.command == spec.run
    assert attempt.output_path is not None
    assert Path(attempt.output_path).read_text() == "ok\n"
    assert attempt.started_at.tzinfo is UTC
    assert attempt.duration_s > 0


def test_deprecation_warning_is_success_with_warnings(tmp_path: Path) -> None:
    code = "import warnings; warnings.warn('old import path', DeprecationWarning, stacklevel=1)"
    attempt = run_attempt(CommandSpec(name="import", run=python(code, "-W", "default")), out_dir=tmp_path)
    assert attempt.status == "SUCCESS WITH WARNINGS"
    assert attempt.exit_code == 0
    assert attempt.key_error == "<string>:1: DeprecationWarning: old import path"


def test_syntax_error_traceback_gives_the_exception_line(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("def f()\n    return 1\n")
    spec = CommandSpec(name="syntax", run=shlex.join([PY, "broken.py"]), cwd=str(tmp_path))
    attempt = run_attempt(spec, out_dir=tmp_path / "out")
    assert attempt.status == "FAILED"
    assert attempt.exit_code == 1
    assert attempt.key_error == "SyntaxError: expected ':'"


def test_pytest_run_finds_its_junit_and_summary_line(tmp_path: Path) -> None:
    (tmp_path / "test_sample.py").write_text(SAMPLE_TESTS)
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "stale.xml").write_text("<testsuites/>")  # from an earlier run
    run = shlex.join([PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--junitxml=reports/junit.xml"])
    spec = CommandSpec(name="pytest", run=run, cwd=str(tmp_path), reports=("reports/*.xml",))
    attempt = run_attempt(spec, out_dir=tmp_path / "out")
    assert attempt.status == "FAILED"
    assert attempt.exit_code == 1
    assert attempt.reports == (str(tmp_path / "reports" / "junit.xml"),)
    assert attempt.key_error == "FAILED test_sample.py::test_websocket_events - assert 1 == 2"


def test_focus_is_passed_to_pytest_as_k(tmp_path: Path) -> None:
    (tmp_path / "test_sample.py").write_text(SAMPLE_TESTS)
    run = shlex.join([PY, "-m", "pytest", "-v", "-p", "no:cacheprovider"])
    spec = CommandSpec(name="pytest", run=run, cwd=str(tmp_path))
    attempt = run_attempt(spec, focus=("auth", "connect"), out_dir=tmp_path / "out")
    assert attempt.command.endswith("-k 'auth or connect'")
    assert attempt.status == "SUCCESS"
    assert attempt.output_path is not None
    output = Path(attempt.output_path).read_text()
    assert "test_auth_login PASSED" in output
    assert "test_websocket_connect PASSED" in output
    assert "test_websocket_events" not in output
    assert "2 passed, 1 deselected" in output


# --- process groups and timeouts -----------------------------------------------------------


def test_timeout_kills_the_whole_group_including_grandchildren(tmp_path: Path) -> None:
    pid_file = tmp_path / "grandchild.pid"
    script = f"sleep 100 & echo $! > {shlex.quote(str(pid_file))}; wait"
    spec = CommandSpec(name="hang", run=shlex.join(["sh", "-c", script]), timeout_s=0.5)
    attempt = run_attempt(spec, out_dir=tmp_path)
    assert attempt.status == "TIMED OUT"
    assert attempt.exit_code is None
    assert attempt.key_error == "killed after 0.5s"
    assert attempt.duration_s >= 0.5
    assert gone(int(wait_for_file(pid_file)))


def test_a_grandchild_ignoring_sigterm_is_killed_after_the_grace(tmp_path: Path) -> None:
    pid_file = tmp_path / "stubborn.pid"
    script = f"trap '' TERM; sleep 100 & echo $! > {shlex.quote(str(pid_file))}; wait"
    finished = run_in_own_group(["sh", "-c", script], output=io.BytesIO(), timeout_s=0.3, kill_grace_s=0.2)
    assert finished.timed_out
    assert gone(int(wait_for_file(pid_file)))


def test_background_child_left_by_a_finished_command_is_stopped(tmp_path: Path) -> None:
    pid_file = tmp_path / "left.pid"
    script = f"sleep 100 & echo $! > {shlex.quote(str(pid_file))}; echo done"
    sink = io.BytesIO()
    finished = run_in_own_group(["sh", "-c", script], output=sink, timeout_s=30, drain_grace_s=0.2)
    assert (finished.returncode, finished.timed_out) == (0, False)
    assert sink.getvalue() == b"done\n"
    assert gone(int(wait_for_file(pid_file)))


# --- commands that cannot start are attempts, not exceptions --------------------------------


def test_command_not_found_is_not_run(tmp_path: Path) -> None:
    attempt = run_attempt(CommandSpec(name="x", run="no-such-command-gardener --flag"), out_dir=tmp_path)
    assert attempt.status == "NOT RUN"
    assert attempt.key_error == "command not found: no-such-command-gardener"
    assert (attempt.exit_code, attempt.output_path) == (None, None)
    assert list(tmp_path.iterdir()) == []


def test_bad_working_directory_is_not_run(tmp_path: Path) -> None:
    spec = CommandSpec(name="x", run=python("print(1)"), cwd=str(tmp_path / "missing"))
    attempt = run_attempt(spec, out_dir=tmp_path / "out")
    assert attempt.status == "NOT RUN"
    assert attempt.key_error == f"working directory not found: {tmp_path / 'missing'}"
    (tmp_path / "file").write_text("")
    spec = CommandSpec(name="x", run=python("print(1)"), cwd=str(tmp_path / "file"))
    attempt = run_attempt(spec, out_dir=tmp_path / "out")
    assert attempt.key_error == f"working directory is not a directory: {tmp_path / 'file'}"


def test_file_without_execute_permission_is_not_run(tmp_path: Path) -> None:
    script = tmp_path / "run-tests.sh"
    script.write_text("#!/bin/sh\necho hi\n")
    script.chmod(0o644)
    attempt = run_attempt(CommandSpec(name="x", run=str(script)), out_dir=tmp_path / "out")
    assert attempt.status == "NOT RUN"
    assert attempt.key_error == f"permission denied: {script}"


@pytest.mark.parametrize(
    ("run", "reason"),
    [("", "empty command"), ("pytest 'unbalanced", "cannot parse command: No closing quotation")],
)
def test_unusable_command_line_is_not_run(tmp_path: Path, run: str, reason: str) -> None:
    attempt = run_attempt(CommandSpec(name="x", run=run), out_dir=tmp_path)
    assert (attempt.status, attempt.key_error) == ("NOT RUN", reason)


def test_shell_opt_in_runs_pipelines_and_missing_command_is_not_run(tmp_path: Path) -> None:
    piped = run_attempt(CommandSpec(name="pipe", run="echo abc | tr a x", shell=True), out_dir=tmp_path)
    assert piped.status == "SUCCESS"
    assert piped.output_path is not None
    assert Path(piped.output_path).read_text() == "xbc\n"
    missing = run_attempt(CommandSpec(name="m", run="no-such-command-gardener", shell=True), out_dir=tmp_path)
    assert missing.status == "NOT RUN"
    assert "not found" in missing.key_error


# --- output size, environment, scope -------------------------------------------------------


def test_huge_output_is_streamed_to_disk_not_memory(tmp_path: Path) -> None:
    size = 50 * 1024 * 1024
    code = "import sys\nline = b'x' * 1023 + b'\\n'\nfor _ in range(51200): sys.stdout.buffer.write(line)"
    tracemalloc.start()
    try:
        attempt = run_attempt(CommandSpec(name="loud", run=python(code)), out_dir=tmp_path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert attempt.status == "SUCCESS"
    assert attempt.output_path is not None
    assert os.path.getsize(attempt.output_path) == size
    assert peak < 4 * 1024 * 1024


def test_output_tail_keeps_only_the_last_bytes() -> None:
    tail = OutputTail(limit=1000)
    for i in range(5000):
        tail.feed(f"{i:07d}\n".encode())
    assert len(tail.data) == 1000
    assert tail.data.endswith(b"0004999\n")
    assert tail.dropped == 5000 * 8 - 1000


def test_environment_is_the_given_environ_plus_spec_env(tmp_path: Path) -> None:
    code = "import os; print(os.environ.get('FROM_SPEC'), os.environ.get('FROM_CALLER'), 'HOME' in os.environ)"
    spec = CommandSpec(name="env", run=python(code), env=(("FROM_SPEC", "yes"),))
    environ = {"PATH": os.environ.get("PATH", ""), "FROM_CALLER": "caller"}
    attempt = run_attempt(spec, out_dir=tmp_path, environ=environ)
    assert attempt.output_path is not None
    assert Path(attempt.output_path).read_text() == "yes caller False\n"


def test_run_attempts_filters_by_scope_and_keeps_order(tmp_path: Path) -> None:
    specs = (
        CommandSpec(name="unit-a", run=python("print('a')"), scope="unit"),
        CommandSpec(name="e2e", run=python("print('e')"), scope="e2e"),
        CommandSpec(name="unit-b", run=python("raise SystemExit(3)"), scope="unit"),
    )
    unit = run_attempts(specs, scope="unit", out_dir=tmp_path)
    assert [(a.name, a.status, a.key_error) for a in unit] == [
        ("unit-a", "SUCCESS", ""),
        ("unit-b", "FAILED", "exit code 3"),
    ]
    assert [a.name for a in run_attempts(specs, out_dir=tmp_path)] == ["unit-a", "e2e", "unit-b"]


def test_same_name_twice_keeps_both_logs(tmp_path: Path) -> None:
    spec = CommandSpec(name="unit tests", run=python("print(1)"))
    first, second = run_attempts((spec, spec), out_dir=tmp_path)
    assert first.output_path == str(tmp_path / "attempt-unit-tests.log")
    assert second.output_path == str(tmp_path / "attempt-unit-tests-2.log")


# --- pure parts: command line and key-error extraction --------------------------------------


def test_focus_only_reaches_commands_that_can_take_it() -> None:
    assert build_command_line(CommandSpec(name="x", run="make test"), ("ws",)).argv == ("make", "test")
    pytest_line = build_command_line(CommandSpec(name="x", run="uv run pytest tests"), ("ws",))
    assert pytest_line.argv == ("uv", "run", "pytest", "tests", "-k", "ws")
    disabled = CommandSpec(name="x", run="pytest", focus_arg="")
    assert build_command_line(disabled, ("ws",)).argv == ("pytest",)
    custom = CommandSpec(name="x", run="./runner --fast", focus_arg="--pattern *{focus}*")
    assert build_command_line(custom, ("ws",)).argv == ("./runner", "--fast", "--pattern", "*ws*")


def test_focus_in_shell_mode_is_quoted() -> None:
    spec = CommandSpec(name="x", run="pytest tests | tee log", shell=True, focus_arg="-k {focus}")
    line = build_command_line(spec, ("a; rm -rf /",))
    assert line.argv == ("/bin/sh", "-c", "pytest tests | tee log -k 'a; rm -rf /'")
    assert build_command_line(CommandSpec(name="x", run="pytest", shell=True), ("a",)).display == "pytest"


def test_generic_wrappers_are_skipped_for_the_real_error() -> None:
    log = "npm ERR! Error: Cannot find module 'left-pad'\nmake: *** [Makefile:3: test] Error 1\n"
    assert key_error(log) == "npm ERR! Error: Cannot find module 'left-pad'"
    log = "Error: connect ECONNREFUSED 127.0.0.1:5432\n##[error]Process completed with exit code 1.\n"
    assert key_error(log) == "Error: connect ECONNREFUSED 127.0.0.1:5432"
    assert judge(2, "", "make: *** [all] Error 2\n") == ("FAILED", "exit code 2")
    assert judge(-11, "", "") == ("FAILED", "killed by SIGSEGV")


def test_last_exception_wins_over_earlier_error_lines() -> None:
    log = "error: retrying\nTraceback (most recent call last):\n  File 'x'\nModuleNotFoundError: No module named 'x'\n"
    assert key_error(log) == "ModuleNotFoundError: No module named 'x'"


def test_warning_forms() -> None:
    assert first_warning(["npm WARN deprecated request@2.88.2\n"]) == "npm WARN deprecated request@2.88.2"
    assert first_warning(["", "=== 3 passed, 2 warnings in 0.12s ===\n"]) == "3 passed, 2 warnings in 0.12s"
    assert first_warning(["Warning: config file not found, using defaults\n"]) is not None
    assert first_warning(["3 passed in 0.1s\ntest_warnings.py::test_a PASSED\n"]) is None


def test_bare_pytest_error_line_gets_the_exception_that_caused_it() -> None:
    log = (
        "E   ModuleNotFoundError: No module named 'nosuchmod'\n"
        "=========================== short test summary info ============================\n"
        "ERROR test_col.py\n"
        "!!!!!!!!!!!!!!!!!!!! Interrupted: 1 error during collection !!!!!!!!!!!!!!!!!!!!\n"
    )
    assert key_error(log) == "ERROR test_col.py - ModuleNotFoundError: No module named 'nosuchmod'"
