"""`--annotate-reports`: each failed testcase gets its issue in `<system-out>`; the file still parses,
keeps its counts and results, and is otherwise the same bytes."""

from __future__ import annotations

import os
import re
import stat
from dataclasses import replace
from pathlib import Path

import defusedxml.ElementTree as SafeET

from gardener.config import Config
from gardener.ingest import ingest
from gardener.model import IssueRef
from gardener.pipeline import RunOptions, build_report
from gardener.writeback import annotate_file, annotate_reports, describe

REPORT = """<?xml version="1.0" encoding="UTF-8"?>
<testsuites tests="7" failures="3" errors="1" skipped="1">
  <testsuite name="shop" tests="7" failures="3" errors="1" skipped="1" timestamp="2026-03-02T09:00:00">
    <testcase classname="tests.test_cart" name="test_total" file="tests/test_cart.py" line="4">
      <failure message="AssertionError: assert 3 == 4" type="AssertionError">E   AssertionError: assert 3 == 4</failure>
    </testcase>
    <testcase classname="tests.test_cart" name="test_empty" file="tests/test_cart.py">
      <failure message="AssertionError: assert [] == [1]">E   AssertionError: assert [] == [1]</failure>
      <system-out>cart created
cart emptied
</system-out>
    </testcase>
    <testcase classname="tests.test_ws" name="test_connect" file="tests/test_ws.py">
      <error message="No module named 'websockets'">E   ModuleNotFoundError</error><system-out/>
    </testcase>
    <testcase classname="tests.test_pay" name="test_refund[eur]" file="tests/test_pay.py">
      <failure message="ValueError: négatif">E   ValueError: négatif</failure>
      <system-out><![CDATA[refund <started>
]]></system-out>
    </testcase>
    <testcase classname="tests.test_cart" name="test_ok" file="t.py"><system-out>fine</system-out></testcase>
    <testcase classname="tests.test_cart" name="test_skip" file="t.py"><skipped message="later"/></testcase>
    <testcase classname="tests.test_cart" name="test_ok2" file="tests/test_cart.py"/>
  </testsuite>
</testsuites>
"""


def write(tmp_path: Path, text: str = REPORT, name: str = "junit.xml") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def report_for(path: Path):
    return build_report(RunOptions(paths=(str(path),), out_dir=path.parent / "out"), Config(base_dir=path.parent))


def facts(path: Path):
    """What ingestion reads from the file: its counts, what it declares, and every result."""
    ing = ingest([str(path)])
    (file,) = ing.files
    assert file.error is None and not file.partial
    results = [(r.id, r.variant, r.outcome, r.message, r.details, r.file, r.line) for r in ing.results]
    return file.counts, file.declared, results


def system_out(path: Path) -> dict[str, str]:
    root = SafeET.parse(path, forbid_dtd=True).getroot()
    return {case.get("name"): "".join(case.findtext("system-out") or "") for case in root.iter("testcase")}


def test_each_failed_case_gets_its_line_and_the_report_keeps_its_counts(tmp_path):
    path = write(tmp_path)
    before = facts(path)
    report = report_for(path)
    (done,) = annotate_reports(report)
    assert done.cases == 4 and done.skipped is None
    assert facts(path) == before  # same counts, same declared counts, same results

    outs = system_out(path)
    ids = {r.id + (f"[{r.variant}]" if r.variant else ""): f.id for f in report.findings for r in f.results}
    assert outs["test_total"].strip() == f"[gardener] Finding {ids['tests/test_cart.py::test_total']} " \
        "(P2 assertion-failure), seen once; not filed yet"
    assert outs["test_empty"].startswith("cart created\ncart emptied\n[gardener] Finding ")
    assert outs["test_connect"].startswith("[gardener] Finding ")
    assert outs["test_refund[eur]"].startswith("refund <started>\n\n[gardener] Finding ") or \
        outs["test_refund[eur]"].startswith("refund <started>\n[gardener] Finding ")
    assert outs["test_ok"] == "fine" and outs["test_skip"] == "" and outs["test_ok2"] == ""


def test_only_lines_are_added_everything_else_is_the_same_bytes(tmp_path):
    path = write(tmp_path)
    annotate_reports(report_for(path))
    text = path.read_text(encoding="utf-8")
    line = r"\[gardener\] [^<\n]*"
    # Undo exactly the three kinds of edit; what is left must be the original, byte for byte.
    undone = re.sub(r"(?<=\n)([ \t]*)  <system-out>" + line + r"</system-out>\n\1(?=</testcase>)", r"\1", text)
    undone = re.sub(r"<system-out>" + line + r"</system-out>", "<system-out/>", undone)  # filled empty one
    undone = re.sub(r"(?:(?<=\]\]>)\n|(?<=\n))" + line + r"\n(?=</system-out>)", "", undone)  # appended line
    assert undone == REPORT
    assert text.count("[gardener] ") == 4
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file left behind


def test_tracked_issues_are_named_with_their_count_and_a_rerun_replaces_the_line(tmp_path):
    path = write(tmp_path)
    report = report_for(path)
    first = report.findings[0]
    issue = IssueRef(number=443, id=9443, title=first.title, state="open",
                     url="https://github.com/octo/shop/issues/443", meta={"count": 7})
    tracked = replace(report, issues=((first.id, issue),))
    annotate_reports(tracked)
    once = path.read_bytes()
    line = "[gardener] Tracked in #443, seen 7 times: https://github.com/octo/shop/issues/443"
    assert once.decode("utf-8").count(line) == len([r for r in first.results if r.is_failing])
    annotate_reports(tracked)
    assert path.read_bytes() == once  # idempotent: the same line again, not a second one
    issue8 = replace(issue, meta={"count": 8})
    annotate_reports(replace(report, issues=((first.id, issue8),)))
    text = path.read_text(encoding="utf-8")
    assert line not in text and line.replace("seen 7", "seen 8") in text
    assert text.count("[gardener] ") == once.decode("utf-8").count("[gardener] ")


def test_test_output_that_quotes_a_gardener_line_is_not_overwritten(tmp_path):
    quoted = REPORT.replace("cart emptied\n", "[gardener] Tracked in #1, seen once: x\ncart emptied\n")
    path = write(tmp_path, quoted)
    annotate_reports(report_for(path))
    out = system_out(path)["test_empty"]
    assert out.startswith("cart created\n[gardener] Tracked in #1, seen once: x\ncart emptied\n[gardener] Finding")


def test_files_that_cannot_be_annotated_safely_are_left_untouched(tmp_path):
    utf16 = tmp_path / "utf16.xml"
    utf16.write_bytes(REPORT.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"))
    dtd = write(tmp_path, '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><testsuite/>', "dtd.xml")
    broken = write(tmp_path, REPORT[: len(REPORT) // 2], "broken.xml")
    lines = {("tests/test_cart.py::test_total", ""): b"[gardener] x"}
    for path in (utf16, dtd, broken):
        before = path.read_bytes()
        done = annotate_file(path, lines, {})
        assert done.cases == 0 and done.skipped, path
        assert path.read_bytes() == before
        assert "not annotated" in describe(done)


def test_the_file_keeps_its_permissions(tmp_path):
    path = write(tmp_path)
    os.chmod(path, 0o640)
    annotate_reports(report_for(path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert "annotated 4 failed testcase(s)" in describe(annotate_reports(report_for(path))[0])


def test_dialect_reports_keep_counts_after_annotation(tmp_path):
    corpus = Path(__file__).resolve().parent / "data" / "junit" / "dialects"
    names = ("surefire-reruns.xml", "gradle.xml", "jest-junit.xml", "namespaced.xml", "nested-suites.xml",
             "pytest-xunit1.xml", "several-results.xml", "latin1-declared.xml", "root-testcases.xml")
    paths = []
    for name in names:
        target = tmp_path / name
        target.write_bytes((corpus / name).read_bytes())
        paths.append(target)
    before = {p.name: facts(p) for p in paths}
    report = build_report(RunOptions(paths=tuple(map(str, paths)), out_dir=tmp_path / "out"), Config(base_dir=tmp_path))
    done = {Path(d.path).name: d for d in annotate_reports(report)}
    assert all(d.skipped is None and d.cases > 0 for d in done.values()), done
    assert {p.name: facts(p) for p in paths} == before
    assert "[gardener] Finding" in (tmp_path / "latin1-declared.xml").read_bytes().decode("latin-1")
