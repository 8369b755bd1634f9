"""pytest --report-log files: phases merged per test, reruns, collection errors, damaged lines."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from gardener.errors import InputError
from gardener.ingest import registry, reportlog, runner_log
from gardener.ingest.base import SNIFF_BYTES
from gardener.model import Counts, Result

DATA = Path(__file__).parent.parent / "data" / "reportlog"
SESSION = DATA / "session.jsonl"


def by_id(results: tuple[Result, ...]) -> dict[tuple[str, str], Result]:
    return {(r.id, r.variant): r for r in results}


def entries() -> list[dict[str, Any]]:
    return [json.loads(line) for line in SESSION.read_text().splitlines()]


def write(path: Path, items: list[dict[str, Any] | str]) -> Path:
    path.write_text("".join((i if isinstance(i, str) else json.dumps(i)) + "\n" for i in items))
    return path


def test_one_result_per_test_with_phases_merged() -> None:
    parsed = reportlog.parse(SESSION)
    results = by_id(parsed.results)
    assert parsed.counts == Counts(cases=14, failures=5, errors=3, skipped=2, flaky=1)
    assert (parsed.partial, parsed.warning, parsed.declared) == (False, None, None)
    fail = results[("tests/test_sample.py::test_fail", "")]
    assert (fail.outcome, fail.error_type, fail.message) == (
        "failed",
        "AssertionError",
        "AssertionError: boom\nassert 1 == 2",
    )
    assert (fail.file, fail.line, fail.source_line) == ("tests/test_sample.py", 12, 11)
    assert ">       assert 1 == 2" in fail.details and "tests/test_sample.py:12: AssertionError" in fail.details
    assert (
        fail.timestamp is not None
        and fail.timestamp.tzinfo is UTC
        and fail.timestamp > datetime(2026, 1, 1, tzinfo=UTC)
    )
    assert fail.duration_s is not None and fail.duration_s > 0
    passed = results[("tests/test_sample.py::test_param", "1-1")]
    assert (passed.outcome, passed.file, passed.line) == ("passed", "tests/test_sample.py", 15)


def test_setup_and_teardown_failures_are_errors_and_skips_keep_their_reason() -> None:
    results = by_id(reportlog.parse(SESSION).results)
    setup = results[("tests/test_sample.py::test_setup_error", "")]
    assert (setup.outcome, setup.message) == ("error", "RuntimeError: database not reachable")
    teardown = results[("tests/test_sample.py::test_teardown_error", "")]
    assert (teardown.outcome, teardown.error_type) == ("error", "OSError")
    skip = results[("tests/test_sample.py::test_skip", "")]
    assert (skip.outcome, skip.message, skip.error_type) == ("skipped", "not today", "")
    xfail = results[("tests/test_sample.py::test_xfail", "")]
    assert (xfail.outcome, xfail.message) == ("skipped", "known bug")


def test_reruns_make_flaky_or_failed_with_attempts() -> None:
    results = by_id(reportlog.parse(SESSION).results)
    flaky = results[("tests/test_sample.py::test_flaky_passes_on_rerun", "")]
    assert (flaky.outcome, flaky.attempts) == ("flaky", 2)
    assert flaky.message == "assert 1 > 1"  # what failed before the pass
    always = results[("tests/test_sample.py::test_always_fails_with_reruns", "")]
    assert (always.outcome, always.attempts, always.error_type) == ("failed", 3, "ConnectionRefusedError")


def test_failed_collection_is_an_error_for_the_module() -> None:
    results = by_id(reportlog.parse(SESSION).results)
    module = results[("tests/test_broken_import.py", "")]
    assert module.outcome == "error"
    assert module.message == "ModuleNotFoundError: No module named 'nonexistent_module_xyz'"
    assert (module.error_type, module.file, module.line) == ("ModuleNotFoundError", "tests/test_broken_import.py", 1)


def test_bad_lines_are_skipped_counted_and_mark_the_file_partial() -> None:
    parsed = reportlog.parse(DATA / "corrupt-lines.jsonl")
    assert parsed.partial
    assert parsed.warning == "2 line(s) not valid JSON skipped (first at line 20)"
    assert parsed.counts == reportlog.parse(SESSION).counts


def test_a_truncated_log_keeps_what_it_holds() -> None:
    parsed = reportlog.parse(DATA / "truncated.jsonl")
    assert parsed.partial
    assert parsed.warning is not None and "no SessionFinish" in parsed.warning
    assert len(parsed.results) == 10


def test_a_test_cut_off_after_setup_is_reported_as_interrupted(tmp_path: Path) -> None:
    items = entries()
    start = next(i for i, e in enumerate(items) if e.get("nodeid") == "tests/test_sample.py::TestGroup::test_ok")
    path = write(tmp_path / "killed.jsonl", list(items[: start + 1]))
    results = by_id(reportlog.parse(path).results)
    cut = results[("tests/test_sample.py::TestGroup::test_ok", "")]
    assert (cut.outcome, cut.error_type) == ("error", "Interrupted")
    assert cut.source_line == start + 1


def test_string_longrepr_and_internal_error_exit_status(tmp_path: Path) -> None:
    call = next(
        e for e in entries() if e.get("nodeid") == "tests/test_sample.py::test_fail" and e.get("when") == "call"
    )
    longrepr = (
        "def test_fail():\n>       assert 1 == 2\nE       AssertionError: boom\n\n"
        "tests/test_sample.py:12: AssertionError"
    )
    call = {**call, "longrepr": longrepr}
    path = write(
        tmp_path / "plugin.jsonl",
        [
            {"pytest_version": "9.0.3", "$report_type": "SessionStart"},
            call,
            {"exitstatus": 3, "$report_type": "SessionFinish"},
        ],
    )
    results = by_id(reportlog.parse(path).results)
    fail = results[("tests/test_sample.py::test_fail", "")]
    assert (fail.message, fail.error_type) == ("AssertionError: boom", "AssertionError")
    crash = results[("<pytest INTERNALERROR>", "")]
    assert (crash.outcome, crash.source_line) == ("error", 3)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (
            "not json at all\nstill not json\n",
            "no pytest report-log entry (no JSON line with a $report_type); first line that is not JSON: 1",
        ),
        (
            '{"level": "info", "msg": "structured log"}\n',
            "no pytest report-log entry (no JSON line with a $report_type)",
        ),
    ],
)
def test_files_without_any_entry_are_refused(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "report.jsonl"
    path.write_text(content)
    with pytest.raises(InputError) as caught:
        reportlog.parse(path)
    assert caught.value.reason == reason


def test_pathologically_nested_json_is_a_bad_line_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "nested.jsonl"
    path.write_text(SESSION.read_text() + "[" * 100_000 + "\n")
    parsed = reportlog.parse(path)
    assert parsed.partial and parsed.warning == "1 line(s) not valid JSON skipped (first at line 54)"


def test_sniff_and_detection() -> None:
    head = SESSION.read_bytes()[:SNIFF_BYTES].decode()
    assert runner_log.sniff(head) < reportlog.sniff(head) < 100
    assert reportlog.sniff("plain text\n") == 0
    kind, _ = registry.parse_file(SESSION)
    assert kind == "reportlog"
