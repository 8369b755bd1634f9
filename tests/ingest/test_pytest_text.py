"""pytest terminal output: summary lines, report blocks, reruns, -v lines, counts, colour and timestamps.

The files under tests/data/pytest/ are real pytest 9 output (see tests/data/logs/SOURCES.md).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from gardener.errors import InputError
from gardener.ingest import pytest_text, registry, runner_log
from gardener.ingest.base import SNIFF_BYTES
from gardener.model import Counts, Result

DATA = Path(__file__).parent.parent / "data" / "pytest"
LOGS = Path(__file__).parent.parent / "data" / "logs"


def by_id(results: tuple[Result, ...]) -> dict[tuple[str, str], Result]:
    return {(r.id, r.variant): r for r in results}


def essentials(results: tuple[Result, ...]) -> list[tuple[str, str, str, str, str]]:
    return sorted((r.id, r.variant, r.outcome, r.error_type, r.message) for r in results)


def head_of(path: Path) -> str:
    return path.read_bytes()[:SNIFF_BYTES].decode("utf-8", errors="replace")


def line_of(path: Path, number: int | None) -> str:
    assert number is not None
    return path.read_text().splitlines()[number - 1]


def test_reports_and_summary_make_one_result_per_listed_test() -> None:
    path = DATA / "summary-and-reports.txt"
    parsed = pytest_text.parse(path)
    results = by_id(parsed.results)
    assert len(parsed.results) == 8
    fail = results[("tests/test_sample.py::test_fail", "")]
    assert (fail.outcome, fail.error_type, fail.message) == (
        "failed",
        "AssertionError",
        "AssertionError: boom\nassert 1 == 2",
    )
    assert (fail.file, fail.line) == ("tests/test_sample.py", 12)
    # The evidence is the block's first `E ` line (what failed), not its `____ test_fail ____` banner (line 38).
    assert line_of(path, fail.source_line) == "E       AssertionError: boom"
    assert (fail.source, fail.source_line) == (fail.source.__class__(str(path), "pytest"), 42)
    assert "E       AssertionError: boom" in fail.details
    param = results[("tests/test_sample.py::test_param", "4-5")]
    assert (param.outcome, param.error_type, param.message) == ("failed", "AssertionError", "assert 4 == 5")
    in_class = results[("tests/test_sample.py::TestGroup::test_in_class", "")]
    assert in_class.message.startswith("AssertionError: assert 'ok' == 'error'")
    # The summary truncates ("ConnectionRefuse..."); the report block has the whole exception.
    refused = results[("tests/test_sample.py::test_always_fails_with_reruns", "")]
    assert refused.message == "ConnectionRefusedError: [Errno 111] Connection refused"
    assert refused.error_type == "ConnectionRefusedError"


def test_collection_setup_and_teardown_errors() -> None:
    results = by_id(pytest_text.parse(DATA / "summary-and-reports.txt").results)
    collect = results[("tests/test_broken_import.py", "")]
    assert collect.outcome == "error"
    assert collect.error_type == "ModuleNotFoundError"
    assert collect.message == "ModuleNotFoundError: No module named 'nonexistent_module_xyz'"
    # The evidence is the block's `E   ModuleNotFoundError` line, not its `____ ERROR collecting ____` banner (10).
    assert (collect.file, collect.line, collect.source_line) == ("tests/test_broken_import.py", 1, 19)
    assert "ImportError while importing test module" in collect.details
    setup = results[("tests/test_sample.py::test_setup_error", "")]
    assert (setup.outcome, setup.message) == ("error", "RuntimeError: database not reachable")
    teardown = results[("tests/test_sample.py::test_teardown_error", "")]
    assert (teardown.outcome, teardown.error_type, teardown.line) == ("error", "OSError", 38)


def test_collection_syntax_error_names_the_broken_module_line() -> None:
    (collect,) = pytest_text.parse(DATA / "collect-syntax-error.txt").results
    assert (collect.id, collect.outcome) == ("tests/test_syntax.py", "error")
    assert (collect.error_type, collect.message) == ("SyntaxError", "SyntaxError: invalid syntax")
    assert (collect.file, collect.line) == ("/home/runner/work/shop/shop/tests/test_syntax.py", 1)
    assert "E       def test_a(:" in collect.details


def test_final_counts_line_is_kept_as_declared_when_it_says_more() -> None:
    parsed = pytest_text.parse(DATA / "summary-and-reports.txt")
    assert parsed.counts == Counts(cases=8, failures=5, errors=3, skipped=0, flaky=0)
    # 5 failed, 5 passed, 1 skipped, 1 xfailed, 3 errors: passing tests are not listed by pytest.
    assert parsed.declared == Counts(cases=15, failures=5, errors=3, skipped=2, flaky=0)


def test_verbose_lines_give_passes_skips_and_rerun_outcomes() -> None:
    parsed = pytest_text.parse(DATA / "verbose-reruns-ra.txt")
    results = by_id(parsed.results)
    flaky = results[("tests/test_sample.py::test_flaky_passes_on_rerun", "")]
    assert (flaky.outcome, flaky.attempts) == ("flaky", 2)
    always = results[("tests/test_sample.py::test_always_fails_with_reruns", "")]
    assert (always.outcome, always.attempts) == ("failed", 3)
    assert results[("tests/test_sample.py::test_param", "1-1")].outcome == "passed"
    skip = results[("tests/test_sample.py::test_skip", "")]
    assert (skip.outcome, skip.message) == ("skipped", "not today")
    assert results[("tests/test_sample.py::test_xfail", "")].outcome == "skipped"
    # PASSED then ERROR at teardown: one result, an error.
    assert results[("tests/test_sample.py::test_teardown_error", "")].outcome == "error"
    assert parsed.counts == Counts(cases=14, failures=5, errors=3, skipped=2, flaky=1)


@pytest.mark.parametrize("name", ["colour.txt", "gha-timestamps.txt", "quiet.txt"])
def test_colour_timestamps_and_quiet_mode_read_the_same(name: str) -> None:
    plain = pytest_text.parse(DATA / "summary-and-reports.txt")
    other = pytest_text.parse(DATA / name)
    assert essentials(other.results) == essentials(plain.results)
    assert other.declared == plain.declared


def test_runner_timestamps_become_result_times() -> None:
    results = pytest_text.parse(DATA / "gha-timestamps.txt").results
    assert all(r.timestamp is not None and r.timestamp.tzinfo is UTC for r in results)
    first = min(r.timestamp for r in results if r.timestamp)
    assert first > datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def test_same_test_name_in_two_files_stays_two_tests() -> None:
    results = by_id(pytest_text.parse(DATA / "long-tb-same-name.txt").results)
    db = results[("tests/integration/test_db.py::test_same_name", "")]
    api = results[("tests/unit/test_api.py::test_same_name", "")]
    assert db.error_type == "ConnectionRefusedError"
    assert db.file is not None and db.file.endswith("socket.py")  # the crash location, deep in the stdlib
    assert (api.error_type, api.message, api.line) == ("AssertionError", "assert 0", 13)
    decode = results[("tests/unit/test_api.py::test_parse", "")]
    assert decode.error_type == "JSONDecodeError"


@pytest.mark.parametrize("name", ["short-tb.txt", "native-tb.txt"])
def test_other_traceback_styles(name: str) -> None:
    results = by_id(pytest_text.parse(DATA / name).results)
    assert {r.error_type for r in results.values()} == {"ConnectionRefusedError", "JSONDecodeError", "AssertionError"}
    assert results[("tests/unit/test_api.py::test_same_name", "")].line == 13


def test_internalerror_is_one_error_result() -> None:
    parsed = pytest_text.parse(DATA / "internalerror.txt")
    (crash,) = parsed.results
    assert crash.id == "<pytest INTERNALERROR>"
    assert (crash.outcome, crash.error_type) == ("error", "ValueError")
    assert crash.message == "ValueError: plugin exploded while sorting items"
    assert crash.source_line == 55  # the exception that ends the traceback, not its header (line 6)
    assert crash.file is not None and crash.file.endswith("conftest.py")
    assert parsed.declared == Counts()  # "no tests ran"


def test_summary_excerpt_alone_with_parametrize_ids_containing_separators(tmp_path: Path) -> None:
    path = tmp_path / "pasted.txt"
    path.write_text(
        "FAILED tests/test_api.py::test_login[admin - expired token] - AssertionError: 401 != 200\n"
        "FAILED tests/test_api.py::TestCart::test_total[eur] - decimal.InvalidOperation: [<class 'x'>]\n"
        "ERROR tests/test_db.py::test_migrate - psycopg2.OperationalError: connection refused\n"
        "ERROR tests/test_models.py - ModuleNotFoundError: No module named 'sqlalchemy'\n"
        "ERROR while building the docs\n"
    )
    results = by_id(pytest_text.parse(path).results)
    login = results[("tests/test_api.py::test_login", "admin - expired token")]
    assert (login.outcome, login.message, login.error_type) == (
        "failed",
        "AssertionError: 401 != 200",
        "AssertionError",
    )
    assert login.source_line == 1
    assert results[("tests/test_api.py::TestCart::test_total", "eur")].error_type == "InvalidOperation"
    assert results[("tests/test_db.py::test_migrate", "")].outcome == "error"
    module = results[("tests/test_models.py", "")]
    assert (module.outcome, module.error_type) == ("error", "ModuleNotFoundError")
    assert len(results) == 4


def test_rerun_summary_without_verbose_lines(tmp_path: Path) -> None:
    path = tmp_path / "reruns.txt"
    path.write_text(
        "=========================== rerun test summary info ============================\n"
        "RERUN tests/test_sample.py::test_flaky\n"
        "PASSED tests/test_sample.py::test_flaky\n"
        "RERUN tests/test_sample.py::test_broken\n"
        "RERUN tests/test_sample.py::test_broken\n"
        "FAILED tests/test_sample.py::test_broken\n"
        "=========================== short test summary info ============================\n"
        "FAILED tests/test_sample.py::test_broken - OSError: boom\n"
        "================== 1 failed, 1 passed, 3 rerun in 0.03s ===================\n"
    )
    results = by_id(pytest_text.parse(path).results)
    broken = results[("tests/test_sample.py::test_broken", "")]
    assert (broken.outcome, broken.attempts, broken.message) == ("failed", 3, "OSError: boom")
    flaky = results[("tests/test_sample.py::test_flaky", "")]
    assert (flaky.outcome, flaky.attempts) == ("flaky", 2)


def test_a_rerun_with_no_final_outcome_is_not_a_pass(tmp_path: Path) -> None:
    path = tmp_path / "cut.txt"
    path.write_text("tests/test_sample.py::test_slow RERUN                     [ 50%]\n")
    (cut,) = pytest_text.parse(path).results
    assert (cut.outcome, cut.attempts) == ("failed", 2)


def test_two_sessions_in_one_file_sum_their_counts(tmp_path: Path) -> None:
    text = (DATA / "summary-and-reports.txt").read_text()
    path = tmp_path / "twice.txt"
    path.write_text(text + text)
    parsed = pytest_text.parse(path)
    assert len(parsed.results) == 16
    assert parsed.declared == Counts(cases=30, failures=10, errors=6, skipped=4, flaky=0)


def test_sniff_prefers_pytest_for_pure_output_and_the_log_parser_for_embedded_output() -> None:
    for name in ("summary-and-reports.txt", "colour.txt", "gha-timestamps.txt", "quiet.txt", "internalerror.txt"):
        head = head_of(DATA / name)
        assert runner_log.sniff(head) < pytest_text.sniff(head) < 100, name
    for log in ("gha-pytest-embedded.log", "oom-killed.log"):
        head = head_of(LOGS / log)
        assert pytest_text.sniff(head) < runner_log.sniff(head), log
    assert pytest_text.sniff("Building images...\nDone.\n") == 0


def test_registry_detects_pytest_output_by_content(tmp_path: Path) -> None:
    renamed = tmp_path / "output.log"
    renamed.write_bytes((DATA / "colour.txt").read_bytes())
    kind, parsed = registry.parse_file(renamed)
    assert kind == "pytest"
    assert len(parsed.results) == 8


def test_text_without_pytest_output_is_refused_when_forced(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("just some notes\nnothing about tests\n")
    with pytest.raises(InputError, match="no pytest output found"):
        pytest_text.parse(path)


def test_a_long_verbose_run_is_counted_whole_but_lists_passes_only_up_to_the_limit(tmp_path: Path) -> None:
    """Memory bounded for any length: past QUIET_LISTED tests, passes are counted, not kept."""
    from gardener.ingest.pytest_text.blocks import QUIET_LISTED

    total = QUIET_LISTED + 500
    lines = ["============================= test session starts =============================="]
    lines += [f"tests/test_a.py::test_{i} {'FAILED' if i == total - 1 else 'PASSED'}  [ 50%]" for i in range(total)]
    lines.append(f"========== 1 failed, {total - 1} passed in 9.00s ==========")
    path = tmp_path / "long.txt"
    path.write_text("\n".join(lines) + "\n")
    parsed = pytest_text.parse(path)
    assert parsed.counts.cases == total and parsed.counts.failures == 1
    assert len(parsed.results) == QUIET_LISTED + 1  # the failure after the limit is still listed
    assert parsed.declared is None  # what it counted is what pytest printed
    assert parsed.warning == f"499 passed test(s) counted but not listed (more than {QUIET_LISTED})"


XDIST_CRASH = """\
============================= test session starts ==============================
4 workers [3 items]
..
[gw2] node down: Not properly terminated
F
replacing crashed worker gw2
=================================== FAILURES ===================================
_____________ tests/test_embeddings.py:58: running the test CRASHED with signal 9 _____________
[gw2] linux -- Python 3.12.7 /usr/bin/python
worker 'gw2' crashed while running 'tests/test_embeddings.py::test_encode_whole_corpus'
=========================== short test summary info ============================
FAILED tests/test_embeddings.py::test_encode_whole_corpus
========================= 1 failed, 2 passed in 94.12s =========================
"""


def test_a_crashed_xdist_worker_s_report_is_the_test_it_names_not_its_location(tmp_path: Path) -> None:
    path = tmp_path / "pytest.txt"
    path.write_text(XDIST_CRASH, encoding="utf-8")
    failing = [r for r in pytest_text.parse(path).results if r.is_failing]
    assert [r.id for r in failing] == ["tests/test_embeddings.py::test_encode_whole_corpus"], failing
    assert "crashed while running" in failing[0].details, failing[0].details
