"""A testcase's children that nothing reads (system-out, system-err, anything but a result or its
properties) are not built by the reader (stream.CaseReader), and read_case finds the most severe result
among the direct children in one pass (case._final_result). What the file gives must not change: results,
counts, the deep-nesting warning, salvage of a file cut inside an unread child."""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import Element

from gardener.ingest import junit
from gardener.ingest.junit import stream
from gardener.ingest.junit.read import read_cases


def _cases(path: Path) -> list[Element]:
    built: list[Element] = []
    read_cases(path, lambda batch: built.extend(elem for _, elem, _, _ in batch.built))
    return built


def test_unread_children_are_not_built_but_results_and_properties_are(tmp_path: Path) -> None:
    path = tmp_path / "r.xml"
    path.write_text(
        '<testsuite name="s"><testcase classname="C" name="a"><system-out>out <b>x</b></system-out>'
        '<failure message="m" type="E">trace <i>in</i> end</failure><system-err>err</system-err>'
        '<properties><property name="k" value="v"/></properties></testcase>'
        '<testcase classname="C" name="b"><system-out>only output</system-out></testcase></testsuite>',
        encoding="utf-8",
    )
    a, b = _cases(path)
    assert [child.tag for child in a] == ["failure", "properties"]
    assert [child.tag for child in a[0]] == ["i"]  # inside a result everything is kept as before
    assert len(b) == 0
    first, second = junit.parse(path).results
    assert (first.outcome, first.message, first.error_type, first.details) == ("failed", "m", "E", "trace  end")
    assert first.properties == (("k", "v"),)
    assert (second.id, second.outcome) == ("C::b", "passed")


def test_most_severe_result_wins_in_any_order_and_equal_ones_are_joined(tmp_path: Path) -> None:
    cases = {
        "fe": '<failure message="f">ft</failure><system-out>o</system-out><error message="e">et</error>',
        "ef": '<error message="e">et</error><failure message="f">ft</failure>',
        "sf": '<skipped message="s"/><failure message="f1">one</failure><failure message="f2">two</failure>',
        "s": '<system-out>o</system-out><skipped message="why"/>',
    }
    body = "".join(f'<testcase classname="C" name="{name}">{inner}</testcase>' for name, inner in cases.items())
    path = tmp_path / "r.xml"
    path.write_text(f'<testsuite name="s">{body}</testsuite>', encoding="utf-8")
    got = {r.id: (r.outcome, r.message, r.details) for r in junit.parse(path).results}
    assert got == {
        "C::fe": ("error", "e", "et"),
        "C::ef": ("error", "e", "et"),
        "C::sf": ("failed", "f1", "one\n\ntwo"),
        "C::s": ("skipped", "why", ""),
    }


def test_elements_nested_too_deep_inside_system_out_are_still_counted(tmp_path: Path) -> None:
    depth = stream.MAX_CASE_DEPTH + 3
    deep = "<d>" * depth + "</d>" * depth
    path = tmp_path / "r.xml"
    path.write_text(
        f'<testsuite name="s"><testcase classname="C" name="a"><failure message="m">t</failure>'
        f"<system-out>{deep}</system-out></testcase></testsuite>",
        encoding="utf-8",
    )
    parsed = junit.parse(path)
    assert [r.outcome for r in parsed.results] == ["failed"]
    # The testcase and its system-out are 2 of the MAX_CASE_DEPTH open elements: the last 5 <d> are beyond (as before).
    assert parsed.warning == f"5 element(s) nested deeper than {stream.MAX_CASE_DEPTH} in a testcase ignored"


def test_a_file_cut_inside_an_unread_child_keeps_the_case_whose_result_closed(tmp_path: Path) -> None:
    path = tmp_path / "r.xml"
    path.write_text(
        '<testsuite name="s"><testcase classname="C" name="a"><failure message="m">t</failure>'
        "<system-out>partial <b>outp",
        encoding="utf-8",
    )
    parsed = junit.parse(path)
    assert parsed.partial
    assert [(r.id, r.outcome, r.message) for r in parsed.results] == [("C::a", "failed", "m")]
