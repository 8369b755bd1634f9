"""The reader delivers character data only while an element that keeps text is innermost (stream.CaseReader):
switched off when the case is back in one that keeps none, on again for the next that keeps some."""

from __future__ import annotations

from pathlib import Path

from gardener.ingest import junit


def test_texts_before_between_and_after_kept_elements(tmp_path: Path) -> None:
    path = tmp_path / "r.xml"
    path.write_text(
        '<testsuite name="s"><testcase classname="C" name="a">lead<system-out>out 1</system-out>'
        '<failure message="m1">first <b>inner</b>tail</failure> between <system-out>out 2</system-out>'
        '<error message="m2">second</error><system-err>err</system-err></testcase>'
        '<testcase classname="C" name="b"><system-out>o</system-out><skipped message="s">why</skipped>'
        "<properties><property name=\"k\">v</property></properties></testcase></testsuite>",
        encoding="utf-8",
    )
    a, b = junit.parse(path).results
    assert (a.outcome, a.message, a.details) == ("error", "m2", "second")
    assert (b.outcome, b.message, b.details, b.properties) == ("skipped", "s", "why", (("k", "v"),))
    failing = tmp_path / "f.xml"
    failing.write_text('<testsuite name="s"><testcase classname="C" name="a"><system-out>x</system-out>'
                       '<failure>first <b>inner</b>tail</failure><system-out>y</system-out>'
                       '<failure message="m">again</failure></testcase></testsuite>', encoding="utf-8")
    (only,) = junit.parse(failing).results
    assert (only.message, only.details) == ("first tail", "first tail\n\nagain")
