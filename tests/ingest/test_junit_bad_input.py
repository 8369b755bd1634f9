"""Bad input: a one-line reason naming what is wrong, never a traceback, never the others lost."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gardener.errors import InputError
from gardener.ingest import ingest, junit
from gardener.ingest.junit.read import REFUSED
from gardener.model import Counts

DATA = Path(__file__).parent.parent / "data" / "junit"
BAD = DATA / "bad"
GOOD = DATA / "dialects" / "gradle.xml"

REJECTED = {
    "billion-laughs.xml": REFUSED,
    "external-dtd.xml": REFUSED,
    "parameter-entity.xml": REFUSED,
    "empty.xml": "empty file",
    "whitespace-only.xml": "empty file",
    "binary.xml": "binary file (NUL bytes), not a JUnit XML report",
    "not-xml.xml": "not XML: not well-formed (invalid token) at line 1, column 0",
    "json-instead.xml": "not XML: not well-formed (invalid token) at line 1, column 0",
    "html-page.xml": "not a JUnit report: an HTML page",
    "nunit3.xml": "not a JUnit report: root element <test-run> (NUnit?)",
    "xunit-net.xml": "not a JUnit report: root element <assemblies> (xUnit.net?)",
    "bare-testcase.xml": "not a JUnit report: root element <testcase> (a bare testcase without a suite?)",
    "truncated-first-case.xml": (
        "truncated XML: no element found at line 2, column 84 (the file ends inside the document)"
    ),
    "unescaped-attribute.xml": "malformed XML: not well-formed (invalid token) at line 4, column 35",
    "invalid-utf8.xml": "not valid UTF-8 at line 3 (byte 0xE9): the file is not in the encoding it declares",
    "unknown-encoding.xml": "unknown encoding declared: klingon",
}


def test_every_bad_file_has_an_expectation() -> None:
    on_disk = {p.name for p in BAD.iterdir()}
    assert on_disk == set(REJECTED) | {"truncated-after-cases.xml"}


@pytest.mark.parametrize("name", sorted(REJECTED))
def test_rejected_with_one_line_reason(name: str) -> None:
    with pytest.raises(InputError) as caught:
        junit.parse(BAD / name)
    assert caught.value.reason == REJECTED[name]
    assert caught.value.path == str(BAD / name)
    assert str(caught.value) == f"{BAD / name}: {REJECTED[name]}"


def test_truncated_file_with_complete_cases_is_partial() -> None:
    parsed = junit.parse(BAD / "truncated-after-cases.xml")
    assert parsed.partial
    assert parsed.warning == (
        "truncated XML: unclosed CDATA section at line 10, column 0 (the file ends inside the document)"
    )
    assert parsed.counts == Counts(cases=2, failures=1)
    assert [(r.id, r.outcome) for r in parsed.results] == [
        ("com.acme.ReportTest::first", "passed"),
        ("com.acme.ReportTest::second", "failed"),
    ]


def test_external_entity_never_reads_what_it_points_at(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-7f3a9c\n")
    # A named pipe blocks whoever opens it for reading: if the parser ever followed the entity,
    # this test would hang until pytest-timeout fails it.
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    report = tmp_path / "xxe.xml"
    report.write_text(
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE testsuites [<!ENTITY leak SYSTEM "file://{secret}"><!ENTITY block SYSTEM "file://{pipe}">]>\n'
        '<testsuites><testsuite name="s"><testcase classname="C" name="t">'
        '<failure message="&leak;">&leak; &block;</failure></testcase></testsuite></testsuites>\n'
    )
    ingested = ingest([str(report), str(GOOD)])
    bad, good = ingested.files
    assert bad.error == REFUSED and bad.kind is None
    assert good.error is None and good.counts == Counts(cases=4, failures=1, errors=1, skipped=0)
    everything = repr(ingested)
    assert "TOP-SECRET" not in everything


def test_bombs_and_bad_files_beside_a_good_one(tmp_path: Path) -> None:
    paths = [BAD / "billion-laughs.xml", BAD / "empty.xml", GOOD, BAD / "binary.xml", BAD / "nunit3.xml"]
    ingested = ingest([str(p) for p in paths])
    assert [f.path for f in ingested.files] == [str(p) for p in paths]
    errors = [f.error for f in ingested.files]
    assert errors[0] == REFUSED
    assert errors[1] == "empty file"
    assert errors[2] is None
    assert errors[3] is not None and errors[3].startswith("binary file")
    assert errors[4] == "not a JUnit report: root element <test-run> (NUnit?)"
    assert ingested.files[2].kind == "junit"
    assert {r.source.path for r in ingested.results} == {str(GOOD)}
    assert len(ingested.results) == 4


def test_file_that_vanishes_or_is_a_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file vanished before it could be read"):
        junit.parse(tmp_path / "gone.xml")
    with pytest.raises(InputError, match="is a directory"):
        junit.parse(tmp_path)


@pytest.mark.parametrize(
    ("head", "score"),
    [
        ('<?xml version="1.0"?>\n<testsuites name="x">', 100),
        ("<!-- by surefire -->\n<testsuite name='x'>", 100),
        ('<?xml version="1.0"?><!DOCTYPE testsuites [<!ENTITY a "b">]><testsuites>', 100),
        ('<?xml version="1.0"?>\n<test-run id="2">', 30),
        ("<html><body>502</body></html>", 30),
        ('<?xml version="1.0"?>\n<!-- a very long comment', 30),
        ("============================= test session starts", 0),
        ('{"tests": 3}', 0),
        ("", 0),
    ],
)
def test_sniff(head: str, score: int) -> None:
    assert junit.sniff(head) == score


def test_damaged_copies_of_every_data_file_never_raise_anything_else(tmp_path: Path) -> None:
    """Cut and corrupted variants of every JUnit data file: parsed, partial or refused, nothing else."""
    damaged = tmp_path / "damaged.xml"
    for source in sorted(DATA.rglob("*.xml")):
        data = source.read_bytes()
        if len(data) > 200_000:
            continue  # keeps the test quick; the shapes are all in the smaller files
        cuts = {len(data) * k // 7 for k in range(1, 7)}
        variants = [data[:cut] for cut in sorted(cuts)]
        if len(data) > 40:
            middle = len(data) // 2
            variants.append(data[:middle] + b"<\x00&" + data[middle:])
            variants.append(data[:middle] + data[middle + 25 :])
        for variant in variants:
            damaged.write_bytes(variant)
            try:
                junit.parse(damaged)
            except InputError as exc:
                assert exc.reason and "\n" not in exc.reason
