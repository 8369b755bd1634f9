"""The pure readers behind JUnit ingest: times, stamps, names, ids, bounds, and the memory policy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from gardener.ingest import junit
from gardener.ingest.junit import collect as junit_collect
from gardener.ingest.junit.case import identity
from gardener.ingest.junit.values import (
    bound,
    choose_message,
    parse_duration,
    parse_int,
    parse_timestamp,
    split_variant,
    traceback_location,
)
from gardener.model import Counts


@pytest.mark.parametrize(
    ("raw", "seconds"),
    [
        ("1.5", 1.5),
        ("1,234.5", 1234.5),
        ("12,345,678", 12345678.0),
        ("4.5e-05", 4.5e-05),
        ("0,25", 0.25),
        (" 3 ", 3.0),
        ("2s", 2.0),
        ("N/A", None),
        ("<<computed>>", None),
        ("", None),
        ("-1", None),
        ("nan", None),
        ("inf", None),
        (None, None),
    ],
)
def test_parse_duration(raw: str | None, seconds: float | None) -> None:
    assert parse_duration(raw) == seconds


@pytest.mark.parametrize(
    ("raw", "stamp"),
    [
        ("2024-01-02T03:04:05", datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)),
        ("2024-01-02T03:04:05Z", datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)),
        ("2024-01-02 03:04:05", datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)),
        ("2021-03-07T10:36:56 UTC", datetime(2021, 3, 7, 10, 36, 56, tzinfo=UTC)),
        ("2024-01-02T03:04:05.5-05:00", datetime(2024, 1, 2, 3, 4, 5, 500000, tzinfo=timezone(timedelta(hours=-5)))),
        ("yesterday", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_timestamp(raw: str | None, stamp: datetime | None) -> None:
    assert parse_timestamp(raw) == stamp


def test_parse_int() -> None:
    assert [parse_int(v) for v in ("3", " 7 ", "3.0", "3.5", "x", None)] == [3, 7, 3, None, None, None]


def test_parse_int_drops_absurd_numbers() -> None:
    absurd = ("-1", "1e999", "99999999999999999999", "9" * 5000, "1e13", "nan", "-0.5")
    assert [parse_int(v) for v in absurd] == [None] * len(absurd)
    assert parse_int("0") == 0 and parse_int("1e9") == 10**9


@pytest.mark.parametrize(
    ("name", "split"),
    [
        ("test_x[a-1]", ("test_x", "a-1")),
        ("test_x[a[1]-b]", ("test_x", "a[1]-b")),
        ("add(int, int)[2]", ("add(int, int)", "2")),
        ("case[0]", ("case", "0")),
        ('testFormats with data set "yen"', ("testFormats", '"yen"')),
        ("testFormats with data set #3", ("testFormats", "#3")),
        ("renders [object Object]", ("renders [object Object]", "")),
        ("[1] first", ("[1] first", "")),
        ("plain", ("plain", "")),
    ],
)
def test_split_variant(name: str, split: tuple[str, str]) -> None:
    assert split_variant(name) == split


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ("tests.test_x.TestFoo", "test_bar[a-1]", "tests/test_x.py", "pytest", True),
            "tests/test_x.py::TestFoo::test_bar",
        ),
        (("tests.test_x", "test_bar", "tests/test_x.py", "pytest", True), "tests/test_x.py::test_bar"),
        (("tests.test_x.TestFoo", "test_bar", "", "pytest", True), "tests/test_x.py::TestFoo::test_bar"),
        (
            ("test_foo.TestFoo", "t", "/home/runner/work/x/test_foo.py", "S", False),
            "/home/runner/work/x/test_foo.py::TestFoo::t",
        ),
        (("com.acme.FooTest", "testBar", "", "com.acme.FooTest", False), "com.acme.FooTest::testBar"),
        (("", "works", "src/a.test.ts", "src/a.test.ts", False), "src/a.test.ts::works"),
        (("", "A", "", "TestA", False), "TestA::A"),
        (("", "alone", "", "", False), "alone"),
        (("t/a.phpt", "t/a.phpt", "", "", False), "t/a.phpt"),
    ],
)
def test_identity(args: tuple[str, str, str, str, bool], expected: str) -> None:
    assert identity(*args)[0] == expected


def test_bound_keeps_head_and_tail() -> None:
    text = "H " * 50 + "M" * 1000 + " T" * 50
    cut = bound(text, 200)
    assert cut.startswith("H " * 49 + "H\n") and cut.endswith("\nT" + " T" * 49)
    assert "[... 1002 characters omitted ...]" in cut  # the spaces beside the cut go with it
    assert bound("short", 200) == "short"
    # Never inside a word (fuzz-10): a token across either cut would leave a piece redaction cannot know.
    assert bound("x " * 45 + "glpat-Zq9Xw7V3fuzzTOKENbody01 " + "y " * 100, 200).startswith("x " * 44 + "x\n")


def test_traceback_location_and_message_choice() -> None:
    assert traceback_location("E   assert 1\n\ntests/test_a.py:12: AssertionError") == ("tests/test_a.py", 12)
    assert traceback_location("=== RUN   TestX\n    x_test.go:9: boom\n--- FAIL: TestX") == ("x_test.go", 9)
    assert traceback_location("at Foo.bar(Foo.java:3)") is None
    assert choose_message("AssertionError: boom", "text") == "AssertionError: boom"
    assert choose_message("Failed", "=== RUN   TestX\n    x_test.go:9: boom") == "x_test.go:9: boom"
    assert choose_message(None, "\n\n  first real line\nsecond") == "first real line"
    assert choose_message("Failed", "") == "Failed"


def _big_report(path: Path, passed: int, failing_every: int, text: int = 300) -> None:
    cases = []
    for i in range(passed):
        if i % failing_every == 0:
            cases.append(
                f'<testcase classname="C" name="t{i}"><failure message="m{i}">{"x" * text}</failure></testcase>'
            )
        else:
            cases.append(f'<testcase classname="C" name="t{i}"/>')
    # a rerun far from its first run, and one close to it
    cases.append('<testcase classname="C" name="t1"><failure message="late"/></testcase>')
    cases.append(f'<testcase classname="C" name="t{passed - 2}"><failure message="near"/></testcase>')
    path.write_text('<testsuite name="big">' + "".join(cases) + "</testsuite>")


def test_quiet_tests_are_listed_up_to_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(junit_collect, "QUIET_LISTED", 50)
    monkeypatch.setattr(junit_collect, "QUIET_WINDOW", 20)
    small, big = tmp_path / "small.xml", tmp_path / "big.xml"
    _big_report(small, passed=40, failing_every=10)
    _big_report(big, passed=400, failing_every=10)

    listed = junit.parse(small)
    assert listed.warning is None
    assert len(listed.results) == 40  # every test, t1 and t38 merged with their reruns
    assert {r.id: r.outcome for r in listed.results}["C::t1"] == "flaky"

    counted = junit.parse(big)
    assert counted.counts == Counts(cases=402, failures=42, errors=0, skipped=0, flaky=1)
    assert counted.warning == "passed and skipped tests not listed (more than 50); counts are complete"
    outcomes = {r.id: (r.outcome, r.attempts) for r in counted.results}
    assert all(outcome != "passed" for outcome, _ in outcomes.values())
    assert outcomes["C::t398"] == ("flaky", 2)  # its pass is still in the window
    assert outcomes["C::t1"] == ("failed", 1)  # its pass left the window long ago: not merged
    assert len(counted.results) == 40 + 2


def test_the_rerun_window_holds_at_least_its_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the listing limit a pass is remembered for at least QUIET_WINDOW cases after it (two
    generations of that size: dropped whole, never before the newer one is full)."""
    monkeypatch.setattr(junit_collect, "QUIET_LISTED", 10)
    monkeypatch.setattr(junit_collect, "QUIET_WINDOW", 20)
    for gap in range(1, 21):  # wherever the pass falls in a generation, its rerun 1..20 cases on merges
        cases = [f'<testcase classname="C" name="t{i}"/>' for i in range(100 + gap)]
        cases.append('<testcase classname="C" name="t100"><failure message="rerun"/></testcase>')
        report = tmp_path / f"gap{gap}.xml"
        report.write_text('<testsuite name="w">' + "".join(cases) + "</testsuite>")
        outcomes = {r.id: (r.outcome, r.attempts) for r in junit.parse(report).results}
        assert outcomes == {"C::t100": ("flaky", 2)}, gap
    far = [f'<testcase classname="C" name="t{i}"/>' for i in range(200)]
    far.append('<testcase classname="C" name="t100"><failure message="rerun"/></testcase>')
    (tmp_path / "far.xml").write_text('<testsuite name="w">' + "".join(far) + "</testsuite>")
    assert [(r.outcome, r.attempts) for r in junit.parse(tmp_path / "far.xml").results] == [("failed", 1)]


def test_failure_text_past_the_budget_is_cut(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(junit_collect, "DETAILS_BUDGET", 1000)
    monkeypatch.setattr(junit_collect, "DETAILS_AFTER_BUDGET", 100)
    report = tmp_path / "many.xml"
    _big_report(report, passed=100, failing_every=1, text=400)
    details = {r.message: len(r.details) for r in junit.parse(report).results}
    assert details["m0"] == 400  # the budget of 1000 characters holds the first two texts (t0, t1)
    assert all(details[f"m{i}"] < 200 for i in range(2, 98))
    assert details["late"] == 0 and details["near"] == 0


def test_failures_repeating_one_text_share_one_string(tmp_path: Path) -> None:
    """100k failing cases of one broken service repeat a few texts: held once, not once per result
    (36 MiB of the classify benchmark's peak)."""
    detail = "Traceback (most recent call last):\n  File \"t.py\", line 3, in test\nConnectionError: refused\n" * 20
    cases = "".join(
        f'<testcase classname="t" name="test_{i}"><failure message="refused">{detail}</failure></testcase>'
        for i in range(3)
    )
    report = tmp_path / "r.xml"
    report.write_text(f'<testsuite name="s" tests="3">{cases}</testsuite>', encoding="utf-8")
    failed = [r for r in junit.parse(report).results if r.is_failing]
    assert len(failed) == 3 and "ConnectionError: refused" in failed[0].details
    assert len({id(r.details) for r in failed}) == 1
    assert len({id(r.message) for r in failed}) == 1


def test_a_suite_timestamp_is_read_once_and_shared() -> None:
    """Every case of a suite carries its timestamp: one datetime for all of them, not one each."""
    from gardener.ingest.junit.values import parse_timestamp

    first, again = parse_timestamp("2024-05-01T12:00:00"), parse_timestamp("2024-05-01T12:00:00")
    assert first is not None and first is again
    assert first.isoformat() == "2024-05-01T12:00:00+00:00"
