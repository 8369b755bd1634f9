"""go test output whose `=== RUN` line is not in the log (a window cut from a long job log, a parallel test's
lines interleaved): the block of `testing` log lines (`    file.go:N: ...` and what is indented under it) right
above the `--- FAIL:` line is that test's output, so what it says decides the test's failure.

Excerpts written after the `testing` package's and testify's output formats (testify's `Error Trace:` /
`Error:` / `Messages:` fields as stretchr/testify's assert package prints them).
"""

from __future__ import annotations

from pathlib import Path

from gardener.classify import find
from gardener.config import Config
from gardener.whole_excerpt import ingest_for_classify

STAMP = "2025-04-02T10:11:12.{:07d}Z "


def _first(tmp_path: Path, lines: list[str]) -> tuple[str, str]:
    path = tmp_path / "job.log"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = Config()
    first = find(ingest_for_classify([str(path)], config.rules).results, config)[0]
    return first.category, first.results[0].message


def test_a_testify_block_above_the_fail_line_is_the_tests_output(tmp_path: Path) -> None:
    body = [
        "[04-02|10:11:10.100] INFO node/loop.go:88 Committed block {\"round\": 41}",
        "[04-02|10:11:10.101] INFO node/loop.go:91 Shutting down node",
        "    store_test.go:57: ",
        "        \tError Trace:\t/home/runner/work/kv/kv/store_test.go:57",
        "        \tError:      \tNot equal: ",
        "        \t            \texpected: 3",
        "        \t            \tactual  : 2",
        "        \tTest:       \tTestCompaction",
        "--- FAIL: TestCompaction (1.20s)",
    ]
    lines = [STAMP.format(i) + line for i, line in enumerate(body)]
    category, message = _first(tmp_path, lines)
    assert category == "assertion-failure"
    assert "Not equal" in message or "TestCompaction" in message


def test_a_t_errorf_line_above_the_fail_line_is_the_tests_output(tmp_path: Path) -> None:
    category, _ = _first(tmp_path, [
        "    parse_test.go:31: Parse(\"1.2\") = 12, want 1.2",
        "--- FAIL: TestParseFloat (0.00s)",
        "FAIL",
        "FAIL\texample.com/num\t0.004s",
    ])
    assert category == "assertion-failure"


def test_a_block_that_other_output_separates_from_the_fail_line_is_not_taken(tmp_path: Path) -> None:
    lines = [
        "    parse_test.go:31: Parse(\"1.2\") = 12, want 1.2",
        "server listening on :8080",
        "--- FAIL: TestParseFloat (0.00s)",
        "FAIL\texample.com/num\t0.004s",
    ]
    path = tmp_path / "job.log"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    results = [r for r in ingest_for_classify([str(path)], Config().rules).results if r.is_failing]
    failed = [r for r in results if "TestParseFloat" in r.id]
    assert failed and all("want 1.2" not in r.details for r in failed)


def test_a_testify_failures_evidence_line_is_its_error_field(tmp_path: Path) -> None:
    lines = [
        "=== RUN   TestCompaction",
        "    store_test.go:57: ",
        "        \tError Trace:\t/home/runner/work/kv/kv/store_test.go:57",
        "        \tError:      \tNot equal: ",
        "        \t            \texpected: 3",
        "--- FAIL: TestCompaction (1.20s)",
        "FAIL\texample.com/kv\t1.3s",
    ]
    path = tmp_path / "job.log"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (failed,) = [r for r in ingest_for_classify([str(path)], Config().rules).results if r.is_failing]
    assert failed.source_line == 4  # testify's `Error:` field explains it; `--- FAIL:` only reports it
