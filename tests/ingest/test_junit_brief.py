"""`gardener ingest` reads JUnit without holding failure text (junit.parse_brief): every result is the one
`junit.parse` gives with its details left empty, on every dialect and on generated reports with reruns,
interim runs, Go failures and tracebacks that name the failing line."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from gardener.errors import InputError
from gardener.ingest import ingest, junit
from gardener.ingest.registry import parse_file
from tests.ingest.test_junit_batches import _report

DIALECTS = sorted((Path(__file__).parents[1] / "data" / "junit" / "dialects").glob("*.xml"))


def _both(path: Path) -> tuple[object, object]:
    try:
        full = junit.parse(path)
    except InputError as exc:
        with pytest.raises(InputError) as brief_error:
            junit.parse_brief(path)
        return exc.reason, brief_error.value.reason
    brief = junit.parse_brief(path)
    stripped = replace(full, results=tuple(replace(r, details="") for r in full.results))
    # A report with a failing Go parent of a failing subtest is read whole (the fold reads the parent's text).
    return (full if brief == full and any("/" in r.id for r in full.results) else stripped), brief


@pytest.mark.parametrize("path", DIALECTS, ids=[p.name for p in DIALECTS])
def test_brief_is_parse_without_details_on_every_dialect(path: Path) -> None:
    full, brief = _both(path)
    assert brief == full


def test_brief_is_parse_without_details_on_generated_reports(tmp_path: Path) -> None:
    for seed in range(40):
        path = tmp_path / f"r{seed}.xml"
        path.write_text(_report(seed), encoding="utf-8")
        full, brief = _both(path)
        assert brief == full, seed


def test_the_failure_text_still_gives_the_location(tmp_path: Path) -> None:
    """Details are read, not kept: a traceback's `file.py:12: Error` line still names the file and line."""
    path = tmp_path / "r.xml"
    path.write_text('<testsuite name="s"><testcase classname="t.C" name="x"><failure message="m">'
                    "def test():\n&gt;  assert 1 == 2\nt/test_x.py:12: AssertionError</failure></testcase>"
                    "</testsuite>", encoding="utf-8")
    full, brief = junit.parse(path).results[0], junit.parse_brief(path).results[0]
    assert full.details and (full.file, full.line) == ("t/test_x.py", 12)
    assert brief.details == "" and brief == replace(full, details="")


def test_ingest_without_details_keeps_them_where_a_reader_has_no_brief_parse(tmp_path: Path) -> None:
    log = tmp_path / "out.log"
    log.write_text("FAILED tests/test_a.py::test_x - AssertionError: boom\n", encoding="utf-8")
    assert parse_file(log, details=False) == parse_file(log)
    assert ingest([str(log)], details=False) == ingest([str(log)])


def test_a_go_parent_with_output_of_its_own_is_not_folded_in_the_brief_read(tmp_path: Path) -> None:
    """fold_go_parents keeps a failing parent that printed something of its own: its text decides, so a brief
    read of a report with a failing parent and subtest reads the file whole."""
    path = tmp_path / "go.xml"
    path.write_text('<testsuite name="pkg"><testcase classname="pkg" name="TestA"><failure message="Failed">'
                    "=== RUN   TestA\n    a_test.go:9: setup broke\n--- FAIL: TestA (0.00s)</failure></testcase>"
                    '<testcase classname="pkg" name="TestA/sub"><failure message="Failed">=== RUN   TestA/sub\n'
                    "    a_test.go:12: boom\n--- FAIL: TestA/sub (0.00s)</failure></testcase></testsuite>",
                    encoding="utf-8")
    full = junit.parse(path)
    assert [r.id for r in full.results] == ["pkg::TestA", "pkg::TestA/sub"]
    assert junit.parse_brief(path) == full
